// Conversions for batch queries and id filters: everything is turned into the flat typed arrays
// the binding reads in place.
import { types } from 'util';

import { AnnoyError, ErrorCodes } from './errors';
import { describe, vector } from './validate';

/** Ids a query may (allow) or may not (deny) return. */
export type IdSet = Int32Array | Uint32Array | ReadonlySet<number> | readonly number[];

const INT32_MAX = 2 ** 31 - 1;

export function idList(value: IdSet | undefined | null, name: string): Int32Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (types.isInt32Array(value)) return value;
  if (types.isUint32Array(value)) {
    // Ids above int32 can never be in an index: map them to -1, which the filter ignores.
    return Int32Array.from(value, (id) => (id > INT32_MAX ? -1 : id));
  }
  const values = value instanceof Set || Array.isArray(value) ? Array.from(value as Iterable<unknown>) : null;
  if (values === null) {
    throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `${name}: expected an Int32Array, Uint32Array, Set or array of ids, received ${describe(value)}`);
  }
  const out = new Int32Array(values.length);
  values.forEach((id, i) => {
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `${name}: expected integer ids, received ${describe(id)} at index ${i}`);
    }
    out[i] = id < 0 || id > INT32_MAX ? -1 : id;
  });
  return out;
}

/** Many vectors as one flat Float32Array: a flat array is used as is, an array of vectors is
 * packed. rowLength is the expected length of each (0: take it from the first vector). */
export function flatRows(value: unknown, rowLength: number, name = 'vectors'): { flat: Float32Array; rowLength: number } {
  if (types.isFloat32Array(value)) {
    if (rowLength === 0) {
      throw new AnnoyError(ErrorCodes.DIMENSION_UNKNOWN, `${name}: a flat Float32Array needs a known dimension (f = 0): pass an array of vectors`);
    }
    return { flat: value, rowLength };
  }
  if (!Array.isArray(value)) {
    throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `${name}: expected a flat Float32Array or an array of vectors, received ${describe(value)}`);
  }
  const rows = value.map((row, i) => vector(row, `${name}[${i}]`));
  const length = rowLength || (rows.length > 0 ? rows[0].length : 0);
  const flat = new Float32Array(rows.length * length);
  rows.forEach((row, i) => {
    if (row.length !== length) {
      throw new AnnoyError(ErrorCodes.DIMENSION_MISMATCH, `${name}[${i}]: expected length ${length}, received ${row.length}`);
    }
    flat.set(row, i * length);
  });
  return { flat, rowLength: length };
}

export function itemIds(value: unknown, name = 'ids'): Int32Array {
  if (types.isInt32Array(value)) return value;
  if (types.isUint32Array(value) || Array.isArray(value)) {
    const source = Array.from(value as ArrayLike<unknown>);
    const out = new Int32Array(source.length);
    source.forEach((id, i) => {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > INT32_MAX) {
        throw new AnnoyError(ErrorCodes.INVALID_ID, `${name}[${i}]: expected an item id, received ${describe(id)}`);
      }
      out[i] = id;
    });
    return out;
  }
  throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `${name}: expected an Int32Array, Uint32Array or array of ids, received ${describe(value)}`);
}
