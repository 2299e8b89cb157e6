// Words for a bad value in an error message, and a guard for reading untrusted objects. An error
// message must never become a second error: describing a value runs none of its code (no
// toString, toJSON, getters or Proxy traps), so BigInts, Symbols, revoked Proxies, objects with
// throwing getters or no prototype all describe without throwing.
import { types } from 'util';

import { AnnoyError, AnnoyErrorCode, ErrorCodes } from './errors';
import { isDetached, typedArrayFacts } from './intrinsics';

const SHOWN_CHARS = 40;

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

// What JSON escapes in a string: control characters (escaping them is the point of the rule's
// exception), quotes, backslashes and the two line separators JavaScript treats as newlines.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u2028\u2029]/g;

// JSON-style quoting by hand: JSON.stringify would look up String.prototype.toJSON.
function quote(text: string): string {
  const escaped = shorten(text).replace(NEEDS_ESCAPE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

// The constructor's name, read from own data properties only (a getter could throw or lie).
function constructorName(proto: object): string | null {
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  if (typeof ctor !== 'function' || types.isProxy(ctor)) return null;
  const name = Object.getOwnPropertyDescriptor(ctor, 'name')?.value;
  return typeof name === 'string' && name.length > 0 ? shorten(name) : null;
}

function describeObject(value: object): string {
  // Checked first: Array.isArray and Object.getPrototypeOf run a Proxy's traps (or throw on a
  // revoked one).
  if (types.isProxy(value)) return 'a Proxy';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const typed = typedArrayFacts(value);
  if (typed !== null) return `a ${typed.name} of length ${typed.length}`;
  if (types.isArrayBuffer(value))
    return isDetached(value) ? 'a detached ArrayBuffer' : `an ArrayBuffer of ${value.byteLength} bytes`;
  if (types.isSharedArrayBuffer(value)) return `a SharedArrayBuffer of ${value.byteLength} bytes`;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return 'an object with a null prototype';
  const name = typeof proto === 'object' || typeof proto === 'function' ? constructorName(proto as object) : null;
  return name === null ? 'an object' : `an object (${name})`;
}

/** A short description of any value, for error messages; never throws. */
export function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case 'undefined':
        return 'undefined';
      case 'boolean':
        return value ? 'boolean true' : 'boolean false';
      case 'number':
        return `number ${Object.is(value, -0) ? '-0' : String(value)}`;
      case 'bigint':
        // String() of a primitive bigint or symbol runs no user code (unlike a template literal
        // of a symbol, which throws).
        return `bigint ${shorten(String(value))}n`;
      case 'symbol':
        return `symbol ${shorten(String(value))}`;
      case 'string':
        return `the string ${quote(value)}`;
      case 'function':
        return types.isProxy(value) ? 'a Proxy' : 'a function';
      default:
        return value === null ? 'null' : describeObject(value as object);
    }
  } catch {
    // Unreachable for ordinary engines; typeof itself cannot throw.
    return `a value of type ${typeof value}`;
  }
}

/** The message of whatever user code (a getter, a trap, a callback) threw, described as safely:
 * for warnings about a throwing logger or onProgress as much as for readSafely below. */
export function describeThrown(thrown: unknown): string {
  try {
    if (types.isNativeError(thrown) && !types.isProxy(thrown)) {
      const message = Object.getOwnPropertyDescriptor(thrown, 'message')?.value;
      if (typeof message === 'string') return shorten(message);
    }
  } catch {
    // fall through to the plain description
  }
  return describe(thrown);
}

/**
 * Runs `read`, which reads user-supplied objects (property gets, `in`, Array.isArray on a Proxy),
 * and turns anything it throws into an AnnoyError with `code`, the original kept as `cause`:
 * a throwing getter or a revoked Proxy is a bad argument, not a crash inside the library.
 */
export function readSafely<T>(what: string, read: () => T, code: AnnoyErrorCode = ErrorCodes.INVALID_ARGUMENT): T {
  try {
    return read();
  } catch (thrown) {
    // Our own checks inside `read` throw AnnoyErrors already (isProxy first: instanceof runs a
    // Proxy's getPrototypeOf trap).
    if (!types.isProxy(thrown) && thrown instanceof AnnoyError) throw thrown;
    throw new AnnoyError(code, `${what}: reading it threw (${describeThrown(thrown)})`, { cause: thrown });
  }
}
