// Argument checks for the JavaScript types the core never sees. Range and state checks live in
// the core, so that every binding reports them the same way. Every value here may be hostile:
// reads of user objects go through readSafely, so a throwing getter or a revoked Proxy is an
// AnnoyError, and arrays are checked for holes before their length is trusted.
import { types } from 'util';
import { fileURLToPath } from 'url';

import { describe, readSafely } from './describe';
import { AnnoyError, ErrorCodes } from './errors';
import type { LoadOptions } from './types';
import { backingBuffer, bytesOf, isDetached, typedArrayFacts } from './intrinsics';

export { describe, describeThrown, readSafely } from './describe';

function invalid(message: string): AnnoyError {
  return new AnnoyError(ErrorCodes.INVALID_ARGUMENT, message);
}

/** Array.isArray without running a Proxy's traps (a revoked Proxy makes Array.isArray throw). */
export function isArray(value: unknown, name: string): value is readonly unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  return readSafely(name, () => Array.isArray(value));
}

/**
 * A typed array passed through to the native side as it is: refused when its buffer is
 * detached, which would otherwise read as an empty vector, batch or id list.
 */
export function attached<T extends ArrayBufferView>(value: T, name: string): T {
  if (isDetached(backingBuffer(value) as ArrayBuffer)) {
    throw invalid(`${name}: its ArrayBuffer is detached (transferred to a worker or structuredClone?)`);
  }
  return value;
}

/** The largest vector the core accepts (binding/native_index.cc refuses f above it). */
export const MAX_DIMENSION = 2 ** 26;

/**
 * The length of a plain array after checking it has no holes: `[1, , 3]` or `new Array(n)` would
 * otherwise read as undefined or be skipped by map/forEach. The scan stops at the first hole, so
 * a huge sparse array fails at once; `limit` refuses a length before scanning it.
 */
export function denseLength(value: readonly unknown[], name: string, limit: number, what: string): number {
  return readSafely(name, () => {
    const length = value.length;
    if (length > limit) throw invalid(`${name}: ${length} ${what} are more than the ${limit} one call accepts`);
    for (let i = 0; i < length; i++) {
      if (!(i in value)) throw invalid(`${name}[${i}]: a hole (an empty slot of a sparse array), expected a value`);
    }
    return length;
  });
}

/** Element i of a plain array, refused when it is a hole. */
export function element(value: readonly unknown[], i: number, name: string): unknown {
  return readSafely(name, () => {
    if (!(i in value)) throw invalid(`${name}[${i}]: a hole (an empty slot of a sparse array), expected a value`);
    return value[i];
  });
}

/** An item id: a non-negative safe integer (the core checks the upper bound). */
export function itemId(value: unknown, name = 'i'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new AnnoyError(ErrorCodes.INVALID_ID, `${name}: expected an integer item id, received ${describe(value)}`);
  }
  return value;
}

export function integer(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(`${name}: expected an integer, received ${describe(value)}`);
  }
  return value;
}

export function boolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw invalid(`${name}: expected a boolean, received ${describe(value)}`);
}

/**
 * A vector as float32: a Float32Array is passed through untouched (no copy); plain arrays and
 * other typed arrays are converted, and every element of a plain array must be a number. Each
 * element is read once, so a getter cannot pass the check and then change its answer.
 */
export function vector(value: unknown, name = 'vector'): Float32Array {
  if (types.isFloat32Array(value)) return attached(value, name);
  if (isArray(value, name)) {
    const length = denseLength(value, name, MAX_DIMENSION, 'components');
    const out = new Float32Array(length);
    readSafely(name, () => {
      for (let i = 0; i < length; i++) {
        const x: unknown = value[i];
        if (typeof x !== 'number') throw invalid(`${name}: expected numbers, received ${describe(x)} at index ${i}`);
        out[i] = x;
      }
    });
    return out;
  }
  const typed = typedArrayFacts(value);
  if (typed !== null && !types.isBigInt64Array(value) && !types.isBigUint64Array(value)) {
    if (typed.length === 0) return new Float32Array(attached(value as unknown as Uint8Array, name).length);
    // The constructor copies from the internal slots: no iterator or getter of the value runs.
    return new Float32Array(value as unknown as Float64Array);
  }
  throw invalid(`${name}: expected an array of numbers or a Float32Array, received ${describe(value)}`);
}

// file: URLs only; anything fileURLToPath refuses (another scheme, a host, an encoded '/') is
// a bad argument, not Node's ERR_INVALID_URL_SCHEME.
function pathFromUrl(href: string, name: string): string {
  if (!href.startsWith('file:')) throw invalid(`${name}: expected a file: URL, received ${describe(href)}`);
  try {
    return fileURLToPath(href);
  } catch (err) {
    throw invalid(`${name}: ${describe(href)} is not a usable file URL (${(err as Error).message})`);
  }
}

export function filePath(value: unknown, name = 'path'): string {
  let path: unknown = value;
  if (typeof value === 'object' && value !== null) {
    // A URL, or a URL from another realm (worker, vm) recognised by its href; read once.
    const href = readSafely(name, () => (types.isProxy(value) ? undefined : (value as { href?: unknown }).href));
    if (typeof href !== 'string')
      throw invalid(`${name}: expected a file path string or a file: URL, received ${describe(value)}`);
    path = pathFromUrl(href, name);
  }
  if (typeof path !== 'string') throw invalid(`${name}: expected a file path string, received ${describe(value)}`);
  if (path.length === 0) throw invalid(`${name}: expected a file path, received an empty string`);
  // The native side takes a C string: a NUL would silently cut the path short.
  if (path.includes('\0')) throw invalid(`${name}: a file path cannot contain a NUL character`);
  return path;
}

/** Every option name the API reads: check.options copies exactly these (see below). */
const OPTION_NAMES = [
  'startId',
  'nJobs',
  'onProgress',
  'signal',
  'searchK',
  'includeDistances',
  'allow',
  'deny',
  'threads',
  'prefault',
  'copy',
  'out',
  'degree',
  'ef',
  'graph',
] as const;
type OptionName = (typeof OPTION_NAMES)[number];

/**
 * An options object: undefined gives {}, anything but an object is refused. Returns a plain copy
 * of the known options, each read once through readSafely: later reads cannot hit a throwing
 * getter, a Proxy trap, or a value that changes between the check and the use. The return type
 * lists only OPTION_NAMES, so reading an option missing from the list does not compile.
 */
export function options<T extends object>(
  value: T | undefined | null,
  name = 'options',
): Partial<Pick<T, Extract<keyof T, OptionName>>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || isArray(value, name) || typedArrayFacts(value) !== null) {
    throw invalid(`${name}: expected an object, received ${describe(value)}`);
  }
  const copy: Record<string, unknown> = {};
  readSafely(name, () => {
    for (const key of OPTION_NAMES) {
      const option: unknown = (value as Record<string, unknown>)[key];
      if (option !== undefined) copy[key] = option;
    }
  });
  return copy as Partial<Pick<T, Extract<keyof T, OptionName>>>;
}

export function abortSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const looksLikeSignal =
    typeof value === 'object' &&
    value !== null &&
    !types.isProxy(value) &&
    readSafely(
      'signal',
      () =>
        typeof (value as AbortSignal).aborted === 'boolean' &&
        typeof (value as AbortSignal).addEventListener === 'function',
    );
  if (!looksLikeSignal) throw invalid(`signal: expected an AbortSignal, received ${describe(value)}`);
  return value as AbortSignal;
}

/** Binary input as a Uint8Array over the same memory; a detached buffer is refused here, where
 * the engine would otherwise throw a TypeError or hand the core zero bytes. */
export function bytes(value: unknown, name = 'bytes'): Uint8Array {
  const buffer = backingBuffer(value);
  if (buffer === null)
    throw invalid(`${name}: expected a Buffer, Uint8Array or ArrayBuffer, received ${describe(value)}`);
  if (isDetached(buffer))
    throw invalid(`${name}: its ArrayBuffer is detached (transferred to a worker or structuredClone?)`);
  return bytesOf(value) as Uint8Array;
}

const MAX_SEED = (1n << 64n) - 1n;

export function seed(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint' && value >= 0n && value <= MAX_SEED) return value;
  throw invalid(`seed: expected a non-negative safe integer or a bigint below 2^64, received ${describe(value)}`);
}

/** load()/loadAsync()'s second argument: the seed's prefault flag, or { prefault, copy }. */
export function loadOptions(
  given: boolean | LoadOptions | number,
  defaultPrefault: boolean,
): { prefault: boolean; copy: boolean } {
  if (typeof given !== 'object' || given === null) return { prefault: boolean(given, 'prefault'), copy: false };
  const o = options(given);
  return { prefault: boolean(o.prefault ?? defaultPrefault, 'prefault'), copy: boolean(o.copy ?? false, 'copy') };
}

/** new Annoy(f, metric): the types the native constructor cannot report as well. */
export function constructorArgs(f: unknown, metric: unknown): void {
  if (typeof f !== 'number' || !Number.isSafeInteger(f) || f < 0) {
    throw invalid(`f: expected a non-negative integer, received ${describe(f)}`);
  }
  if (typeof metric !== 'string') {
    throw new AnnoyError(
      ErrorCodes.UNKNOWN_METRIC,
      `metric: expected one of angular, euclidean, manhattan, dot, hamming, received ${describe(metric)}`,
    );
  }
}
