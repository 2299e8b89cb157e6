// Argument checks for the JavaScript types the core never sees. Range and state checks live in
// the core, so that every binding reports them the same way.
import { types } from 'util';
import { fileURLToPath } from 'url';

import { AnnoyError, ErrorCodes } from './errors';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (types.isTypedArray(value)) return `a ${value.constructor.name} of length ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}

function invalid(message: string): AnnoyError {
  return new AnnoyError(ErrorCodes.INVALID_ARGUMENT, message);
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
 * other typed arrays are converted, and every element of a plain array must be a number.
 */
export function vector(value: unknown, name = 'vector'): Float32Array {
  if (types.isFloat32Array(value)) return value;
  if (Array.isArray(value)) {
    const out = new Float32Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const x: unknown = value[i];
      if (typeof x !== 'number') {
        throw invalid(`${name}: expected numbers, received ${describe(x)} at index ${i}`);
      }
      out[i] = x;
    }
    return out;
  }
  if (types.isTypedArray(value) && !types.isBigInt64Array(value) && !types.isBigUint64Array(value)) {
    return Float32Array.from(value as unknown as ArrayLike<number>);
  }
  throw invalid(`${name}: expected an array of numbers or a Float32Array, received ${describe(value)}`);
}

export function filePath(value: unknown, name = 'path'): string {
  if (value instanceof URL || (typeof value === 'object' && value !== null && (value as URL).href !== undefined && (value as URL).protocol === 'file:')) {
    return fileURLToPath(value as URL);
  }
  if (typeof value !== 'string') throw invalid(`${name}: expected a file path string, received ${describe(value)}`);
  if (value.length === 0) throw invalid(`${name}: expected a file path, received an empty string`);
  return value;
}

/** An options object: undefined gives {}, anything but a plain object is refused. */
export function options<T extends object>(value: T | undefined | null, name = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${name}: expected an object, received ${describe(value)}`);
  }
  return value;
}

export function abortSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const candidate = value as AbortSignal;
  if (typeof value !== 'object' || value === null || typeof candidate.aborted !== 'boolean' || typeof candidate.addEventListener !== 'function') {
    throw invalid(`signal: expected an AbortSignal, received ${describe(value)}`);
  }
  return candidate;
}

export function bytes(value: unknown, name = 'bytes'): Uint8Array {
  if (types.isUint8Array(value)) return value;
  if (types.isArrayBuffer(value) || types.isSharedArrayBuffer(value)) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw invalid(`${name}: expected a Buffer, Uint8Array or ArrayBuffer, received ${describe(value)}`);
}

const MAX_SEED = (1n << 64n) - 1n;

export function seed(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint' && value >= 0n && value <= MAX_SEED) return value;
  throw invalid(`seed: expected a non-negative safe integer or a bigint below 2^64, received ${describe(value)}`);
}
