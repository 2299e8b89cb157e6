// The queries of the Annoy class: their arguments (the option forms of getNnsBy* and of the batch
// calls), the single-query result buffers, the batch results' shape and size, and the calls
// themselves on a NativeIndex.
import { AnnoyError, ErrorCodes } from './errors';
import { types } from 'util';

import { flatRows, IdSet, idList, itemIds } from './batch';
import { withCallerStack } from './async-work';
import type { Vector } from './types';
import { BatchBuffers, NativeIndex, NativeSearch } from './native';
import * as check from './validate';

export type NnsResult = [number[], number[]];

/** The options-object form of getNnsByItem / getNnsByVector. */
export interface QueryOptions {
  /** Annoy's tree-search budget (-1 = n x trees); used by the trees, not by the graph. */
  searchK?: number;
  /** The graph search's beam width (default 40, at least n): larger is slower and more exact. */
  ef?: number;
  /** false searches the trees even when the index has a graph (Annoy's answers, reproducibly). */
  graph?: boolean;
  includeDistances?: boolean;
  /** Only these ids may be returned. */
  allow?: IdSet;
  /** These ids are never returned. */
  deny?: IdSet;
}

export interface BatchOptions {
  searchK?: number;
  /** As in QueryOptions. */
  ef?: number;
  graph?: boolean;
  /** Native threads for the rows; -1 (default) = all cores. */
  threads?: number;
  /** false leaves `distances` empty. */
  includeDistances?: boolean;
  allow?: IdSet;
  deny?: IdSet;
}

/** m x k results, row-major: row i holds counts[i] results, then -1 ids and NaN distances. */
export interface BatchResult {
  ids: Int32Array;
  distances: Float32Array;
  counts: Uint32Array;
  /** The width of a row: k, or the number of items when that is smaller (no row can hold more). */
  k: number;
}

// Queries write into these and are copied out before returning; JavaScript runs one call at a
// time, so every index can share them. They grow when a result does not fit.
export const resultSlots = { ids: new Int32Array(256), distances: new Float32Array(256) };

export function fetchResults(native: NativeIndex, found: number): number {
  if (found > resultSlots.ids.length) {
    resultSlots.ids = new Int32Array(found);
    resultSlots.distances = new Float32Array(found);
    native.copyLastResults(resultSlots.ids, resultSlots.distances);
  }
  return found;
}

// Results are rows x k slots: refuse sizes no typed array can hold before trying.
const MAX_RESULT_SLOTS = 2 ** 31 - 1;

export function checkResultSize(rows: number, k: number): void {
  if (rows * k > MAX_RESULT_SLOTS) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `k: ${rows} rows x k = ${k} results is more than one typed array can hold (${MAX_RESULT_SLOTS}); use a smaller k or fewer rows per call`,
    );
  }
}

// No query returns more neighbours than the index has items, so rows are never wider than that:
// querySync([[1, 2, 3]], 2 ** 31 - 1) on 50 items allocates 50 slots, not 16 GB (issue #10, M4).
export function resultWidth(k: number, nItems: number): number {
  return Math.min(k, Math.max(1, nItems));
}

export function resultArrays(rows: number, width: number): BatchBuffers {
  checkResultSize(rows, width);
  try {
    return {
      ids: new Int32Array(rows * width),
      distances: new Float32Array(rows * width),
      counts: new Uint32Array(rows),
    };
  } catch (err) {
    throw new AnnoyError(
      ErrorCodes.OUT_OF_MEMORY,
      `query: no memory for ${rows} rows x ${width} results (${(err as Error).message})`,
    );
  }
}

export function batchResult(raw: BatchBuffers, width: number, withDistances: boolean): BatchResult {
  return { ids: raw.ids, distances: withDistances ? raw.distances : new Float32Array(0), counts: raw.counts, k: width };
}

// ef and graph, when given, travel with searchK in one Float64Array (binding/convert.h
// search_arg). The binding reads it during the call, so one array serves every call.
const searchSlots = new Float64Array(3);

function searchOf(searchK: number, ef: unknown, graph: unknown): NativeSearch {
  if (ef === undefined && graph === undefined) return searchK;
  const beam = ef === undefined ? 0 : check.integer(ef, 'ef');
  if (ef !== undefined && beam < 1) {
    throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `ef: expected a positive beam width, received ${beam}`);
  }
  searchSlots[0] = searchK;
  searchSlots[1] = beam;
  searchSlots[2] = graph === undefined || check.boolean(graph, 'graph') ? 1 : 0;
  return searchSlots;
}

export function queryArgs(n: number, searchK: number | QueryOptions, includeDistances: boolean) {
  if (typeof searchK === 'object' && searchK !== null) {
    const o = check.options(searchK, 'options');
    return {
      n: check.integer(n, 'n'),
      search: searchOf(check.integer(o.searchK ?? -1, 'search_k'), o.ef, o.graph),
      withDistances: check.boolean(o.includeDistances ?? true, 'include_distances'),
      allow: idList(o.allow, 'allow'),
      deny: idList(o.deny, 'deny'),
    };
  }
  return {
    n: check.integer(n, 'n'),
    search: searchOf(check.integer(searchK, 'search_k'), undefined, undefined),
    withDistances: check.boolean(includeDistances, 'include_distances'),
    allow: undefined,
    deny: undefined,
  };
}

/** A batch call's options, and the width of its result rows (checked to fit rows x width). */
export function batchArgs(k: number, given: BatchOptions | undefined, rows: number, nItems: number) {
  const options = check.options(given);
  const count = check.integer(k, 'k');
  if (count < 1)
    throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `k: expected a positive number of neighbours, received ${count}`);
  const width = resultWidth(count, nItems);
  checkResultSize(rows, width);
  return {
    width,
    search: searchOf(check.integer(options.searchK ?? -1, 'search_k'), options.ef, options.graph),
    threads: check.integer(options.threads ?? -1, 'threads'),
    withDistances: check.boolean(options.includeDistances ?? true, 'include_distances'),
    allow: idList(options.allow, 'allow'),
    deny: idList(options.deny, 'deny'),
  };
}

export function results(found: number, withDistances: boolean): NnsResult | number[] {
  // Plain loops: the seed's shape is number[], and this is cheaper than subarray + Array.from.
  const ids = new Array<number>(found);
  for (let i = 0; i < found; i++) ids[i] = resultSlots.ids[i];
  if (!withDistances) return ids;
  const distances = new Array<number>(found);
  for (let i = 0; i < found; i++) distances[i] = resultSlots.distances[i];
  return [ids, distances];
}

/** getNnsByItem / getNnsByVector: `call` runs the native query for the checked arguments. */
export function nns(
  native: NativeIndex,
  n: number,
  searchK: number | QueryOptions,
  includeDistances: boolean,
  call: (q: ReturnType<typeof queryArgs>, ids: Int32Array, distances: Float32Array) => number,
): NnsResult | number[] {
  const q = queryArgs(n, searchK, includeDistances);
  const found = call(q, resultSlots.ids, resultSlots.distances);
  return results(fetchResults(native, found), q.withDistances);
}

/** getItemVector: a new number[], or, with `{ out }`, written into that Float32Array. */
export function itemVector(native: NativeIndex, i: number, options?: { out?: Float32Array }): number[] | Float32Array {
  const id = check.itemId(i);
  const out = check.options(options).out;
  if (out !== undefined) {
    if (!types.isFloat32Array(out)) {
      throw new AnnoyError(
        ErrorCodes.INVALID_ARGUMENT,
        `out: expected a Float32Array, received ${check.describe(out)}`,
      );
    }
    return native.getItemVector(id, out);
  }
  return Array.from(native.getItemVector(id));
}

type Rows = Float32Array | readonly Vector[];
type Ids = Int32Array | Uint32Array | readonly number[];

export function batchQuery(
  native: NativeIndex,
  vectors: Rows,
  k: number,
  options: BatchOptions | undefined,
  caller: Error,
) {
  const s = native.state();
  const { flat, rowLength } = flatRows(vectors, s.f);
  const { width, ...b } = batchArgs(k, options, rowLength > 0 ? flat.length / rowLength : 0, s.nItems);
  // Rows in a SharedArrayBuffer cannot be detached, so the native side reads them in place;
  // any other input is copied first (the caller may reuse it at once).
  const shared = types.isSharedArrayBuffer(flat.buffer);
  const work = native.query(flat, rowLength, width, b.search, b.threads, b.allow, b.deny, shared);
  return withCallerStack(work, caller).then((raw) => batchResult(raw, width, b.withDistances));
}

export function batchQuerySync(native: NativeIndex, vectors: Rows, k: number, options: BatchOptions | undefined) {
  const s = native.state();
  const { flat, rowLength } = flatRows(vectors, s.f);
  const rows = rowLength > 0 ? flat.length / rowLength : 0;
  const { width, ...b } = batchArgs(k, options, rows, s.nItems);
  const out = resultArrays(rows, width);
  native.querySync(flat, rowLength, width, b.search, b.threads, b.allow, b.deny, out.ids, out.distances, out.counts);
  return batchResult(out, width, b.withDistances);
}

export function batchQueryByItems(
  native: NativeIndex,
  ids: Ids,
  k: number,
  options: BatchOptions | undefined,
  caller: Error,
) {
  const list = itemIds(ids);
  const { width, ...b } = batchArgs(k, options, list.length, native.state().nItems);
  const work = native.queryByItems(list, width, b.search, b.threads, b.allow, b.deny);
  return withCallerStack(work, caller).then((raw) => batchResult(raw, width, b.withDistances));
}

export function batchQueryByItemsSync(native: NativeIndex, ids: Ids, k: number, options: BatchOptions | undefined) {
  const list = itemIds(ids);
  const { width, ...b } = batchArgs(k, options, list.length, native.state().nItems);
  const out = resultArrays(list.length, width);
  native.queryByItemsSync(list, width, b.search, b.threads, b.allow, b.deny, out.ids, out.distances, out.counts);
  return batchResult(out, width, b.withDistances);
}
