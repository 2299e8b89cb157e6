// Conversions for batch queries and id filters: everything is turned into the flat typed arrays
// the binding reads in place. Arrays are checked for holes (a hole is never read as 0 or skipped)
// and sizes are checked before anything is allocated, so `new Array(2 ** 32 - 1)` fails at once.
import { types } from 'util';

import { AnnoyError, ErrorCodes } from './errors';
import { typedArrayFacts } from './intrinsics';
import { attached, describe, denseLength, element, isArray, readSafely, vector } from './validate';

/** Ids a query may (allow) or may not (deny) return. */
export type IdSet = Int32Array | Uint32Array | ReadonlySet<number> | readonly number[];

const INT32_MAX = 2 ** 31 - 1;

/**
 * At most this many ids per list, and this many floats (rows x f) when an array of vectors is
 * packed into one Float32Array: 2^31 - 1, the most any typed array is guaranteed to hold. A
 * flat Float32Array is used in place and is not limited.
 */
export const MAX_ELEMENTS_PER_CALL = INT32_MAX;

/** A Uint32Array's elements, by index: its iterator could be replaced on the instance. */
function uint32Elements(value: Uint32Array): number[] {
  const length = (typedArrayFacts(value) as { length: number }).length;
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = value[i];
  return out;
}

/** The elements of a plain array or a Set, read once each, holes refused. */
function listElements(value: readonly unknown[] | ReadonlySet<unknown>, name: string): unknown[] {
  if (types.isSet(value)) return readSafely(name, () => Array.from(value as ReadonlySet<unknown>));
  const list = value as readonly unknown[];
  const length = denseLength(list, name, MAX_ELEMENTS_PER_CALL, 'ids');
  return readSafely(name, () => {
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = list[i];
    return out;
  });
}

export function idList(value: IdSet | undefined | null, name: string): Int32Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (types.isInt32Array(value)) return attached(value, name);
  if (types.isUint32Array(value)) {
    attached(value, name);
    // Ids above int32 can never be in an index: map them to -1, which the filter ignores.
    const ids = uint32Elements(value);
    const mapped = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) mapped[i] = ids[i] > INT32_MAX ? -1 : ids[i];
    return mapped;
  }
  if (!types.isSet(value) && !isArray(value, name)) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `${name}: expected an Int32Array, Uint32Array, Set or array of ids, received ${describe(value)}`,
    );
  }
  const values = listElements(value as readonly unknown[], name);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const id = values[i];
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw new AnnoyError(
        ErrorCodes.INVALID_ARGUMENT,
        `${name}: expected integer ids, received ${describe(id)} at index ${i}`,
      );
    }
    out[i] = id < 0 || id > INT32_MAX ? -1 : id;
  }
  return out;
}

/** Many vectors as one flat Float32Array: a flat array is used as is, an array of vectors is
 * packed. rowLength is the expected length of each (0: take it from the first vector). */
export function flatRows(
  value: unknown,
  rowLength: number,
  name = 'vectors',
): { flat: Float32Array; rowLength: number } {
  if (types.isFloat32Array(value)) {
    if (rowLength === 0) {
      throw new AnnoyError(
        ErrorCodes.DIMENSION_UNKNOWN,
        `${name}: a flat Float32Array needs a known dimension (f = 0): pass an array of vectors`,
      );
    }
    return { flat: attached(value, name), rowLength };
  }
  if (!isArray(value, name)) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `${name}: expected a flat Float32Array or an array of vectors, received ${describe(value)}`,
    );
  }
  // The row count is bounded before the rows are scanned or read; when the dimension is not
  // known yet (f = 0), the first row fixes it first.
  const maxRows = (length: number) => (length > 0 ? Math.floor(MAX_ELEMENTS_PER_CALL / length) : MAX_ELEMENTS_PER_CALL);
  let length = rowLength;
  if (length === 0 && readSafely(name, () => value.length) > 0)
    length = vector(element(value, 0, name), `${name}[0]`).length;
  const count = denseLength(value, name, maxRows(length), `rows of ${length} floats`);
  const rows = new Array<Float32Array>(count);
  for (let i = 0; i < count; i++) {
    const row = vector(
      readSafely(name, () => value[i]),
      `${name}[${i}]`,
    );
    if (row.length !== length) {
      throw new AnnoyError(
        ErrorCodes.DIMENSION_MISMATCH,
        `${name}[${i}]: expected length ${length}, received ${row.length}`,
      );
    }
    rows[i] = row;
  }
  const flat = new Float32Array(count * length);
  for (let i = 0; i < count; i++) flat.set(rows[i], i * length);
  return { flat, rowLength: length };
}

export function itemIds(value: unknown, name = 'ids'): Int32Array {
  if (types.isInt32Array(value)) return attached(value, name);
  if (types.isUint32Array(value)) attached(value, name);
  const isList = types.isUint32Array(value) || isArray(value, name);
  if (!isList) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `${name}: expected an Int32Array, Uint32Array or array of ids, received ${describe(value)}`,
    );
  }
  const source = types.isUint32Array(value) ? uint32Elements(value) : listElements(value as readonly unknown[], name);
  const out = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const id = source[i];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > INT32_MAX) {
      throw new AnnoyError(ErrorCodes.INVALID_ID, `${name}[${i}]: expected an item id, received ${describe(id)}`);
    }
    out[i] = id;
  }
  return out;
}
