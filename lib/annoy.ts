// The Annoy class: the seed's API (scikit-plot's Annoy) in camelCase, with the seed's
// snake_case names as aliases (see the bottom of this file). Argument types are checked here;
// everything else is the core's job, reached through lib/native.ts.
import { types } from 'util';

import { addon, BatchBuffers, NativeIndex } from './native';
import { AnnoyError, ErrorCodes } from './errors';
import { AnnoyInfo, Logger, MetricName, Vector } from './types';
import * as persistence from './persistence';
import { flatRows, IdSet, idList, itemIds } from './batch';
import { AnnoyState, CompressMode, PickleMode } from './persistence';
import * as check from './validate';

export const DEFAULT_SEED = 1234567890987654321n;

// Queries write into these and are copied out before returning; JavaScript runs one call at a
// time, so every index can share them. They grow when a result does not fit.
let idsOut = new Int32Array(256);
let distancesOut = new Float32Array(256);

function fetchResults(native: NativeIndex, found: number): number {
  if (found > idsOut.length) {
    idsOut = new Int32Array(found);
    distancesOut = new Float32Array(found);
    native.copyLastResults(idsOut, distancesOut);
  }
  return found;
}

const defaultLogger: Logger = (_level, message) => {
  console.error(`annoy-napi: ${message}`);
};

export type NnsResult = [number[], number[]];

/** The options-object form of getNnsByItem / getNnsByVector. */
export interface QueryOptions {
  searchK?: number;
  includeDistances?: boolean;
  /** Only these ids may be returned. */
  allow?: IdSet;
  /** These ids are never returned. */
  deny?: IdSet;
}

export interface BatchOptions {
  searchK?: number;
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

export interface BuildProgress {
  treesBuilt: number;
  /** The trees asked for; null for build(-1), whose count is not known in advance. */
  nTrees: number | null;
}

export interface LoadOptions {
  /** Read the mapped pages in now rather than on first use (default: the `prefault` property). */
  prefault?: boolean;
  /**
   * Copy the file into memory instead of mapping it: later changes to the file cannot reach the
   * index. A mapped file that another process truncates ends this process with SIGBUS on the next
   * read of a lost page; use this for files that cannot be trusted to stay put.
   */
  copy?: boolean;
}

export interface BuildAsyncOptions {
  nJobs?: number;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
}

// Builds in flight. Node waits for native work before a process exits, so on 'exit' they are
// cancelled: process.exit() during buildAsync returns at once instead of after the build.
const buildsInFlight = new Set<NativeIndex>();
let exitHookInstalled = false;

function trackBuild(native: NativeIndex): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pending of buildsInFlight) pending.cancelBuild();
    });
  }
  buildsInFlight.add(native);
}

function abortedError(): AnnoyError {
  return new AnnoyError(ErrorCodes.ABORTED, 'buildAsync: aborted by its AbortSignal; the index is as it was before the call');
}

// Native promises reject with an error made on another stack: give it the caller's.
async function withCallerStack<T>(work: Promise<T>, caller: Error): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof Error && caller.stack) {
      err.stack = `${err.name}: ${err.message}\n${caller.stack.split('\n').slice(1).join('\n')}`;
    }
    throw err;
  }
}

// Results are rows x k slots: refuse sizes no typed array can hold before trying.
const MAX_RESULT_SLOTS = 2 ** 31 - 1;

function checkResultSize(rows: number, k: number): void {
  if (rows * k > MAX_RESULT_SLOTS) {
    throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `k: ${rows} rows x k = ${k} results is more than one typed array can hold (${MAX_RESULT_SLOTS}); use a smaller k or fewer rows per call`);
  }
}

// No query returns more neighbours than the index has items, so rows are never wider than that:
// querySync([[1, 2, 3]], 2 ** 31 - 1) on 50 items allocates 50 slots, not 16 GB (issue #10, M4).
function resultWidth(k: number, nItems: number): number {
  return Math.min(k, Math.max(1, nItems));
}

function resultArrays(rows: number, width: number): BatchBuffers {
  checkResultSize(rows, width);
  try {
    return { ids: new Int32Array(rows * width), distances: new Float32Array(rows * width), counts: new Uint32Array(rows) };
  } catch (err) {
    throw new AnnoyError(ErrorCodes.OUT_OF_MEMORY, `query: no memory for ${rows} rows x ${width} results (${(err as Error).message})`);
  }
}

function batchResult(raw: BatchBuffers, width: number, withDistances: boolean): BatchResult {
  return { ids: raw.ids, distances: withDistances ? raw.distances : new Float32Array(0), counts: raw.counts, k: width };
}

export class Annoy {
  readonly #native: NativeIndex;
  #verbosity = 0;
  #prefault = false;
  #pickleMode: PickleMode = 'auto';
  #compressMode: CompressMode = null;
  /** Where verbose messages go; replace it to route them into your own logging. */
  logger: Logger = defaultLogger;

  /**
   * @param f dimension; 0 lets the first vector fix it. For hamming, the number of bits.
   * @param metric angular (default), euclidean, manhattan, dot, hamming, or an alias.
   */
  constructor(f: number = 0, metric: string = 'angular') {
    if (typeof f !== 'number' || !Number.isSafeInteger(f) || f < 0) {
      throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `f: expected a non-negative integer, received ${check.describe(f)}`);
    }
    if (typeof metric !== 'string') {
      throw new AnnoyError(ErrorCodes.UNKNOWN_METRIC, `metric: expected one of angular, euclidean, manhattan, dot, hamming, received ${check.describe(metric)}`);
    }
    this.#native = new addon.NativeIndex(metric, f);
  }

  /** The dimension (0 until the first vector when constructed with f = 0). */
  get f(): number {
    return this.#native.state().f;
  }

  /** The canonical metric name. */
  get metric(): MetricName {
    return this.#native.state().metric as MetricName;
  }

  /** The file this index was loaded from, saved to or built into; null when none. */
  get onDiskPath(): string | null {
    return this.#native.state().path;
  }

  get on_disk_path(): string | null {
    return this.onDiskPath;
  }

  // Read-only: a setter that refuses, so that assignment fails loudly instead of being ignored.
  set onDiskPath(_value: string | null) {
    throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, 'on_disk_path is read-only: it is set by load(), save() and onDiskBuild()');
  }

  set on_disk_path(_value: string | null) {
    this.onDiskPath = _value;
  }

  /** The default for load() and deserialize() when their prefault argument is omitted. */
  get prefault(): boolean {
    return this.#prefault;
  }

  set prefault(value: boolean) {
    this.#prefault = check.boolean(value, 'prefault');
  }

  /** How toState()/dumps() carry the index: 'byte' (its bytes), 'disk' (its file's path), or
   * 'auto' (disk when the index has a complete file, bytes otherwise). */
  get pickleMode(): PickleMode {
    return this.#pickleMode;
  }

  set pickleMode(value: PickleMode) {
    this.#pickleMode = persistence.checkPickleMode(value);
  }

  get pickle_mode(): PickleMode {
    return this.pickleMode;
  }

  set pickle_mode(value: PickleMode) {
    this.pickleMode = value;
  }

  /** Compression of byte-mode states: null, 'zlib', 'gzip' or 'brotli' (Node's zlib). */
  get compressMode(): CompressMode {
    return this.#compressMode;
  }

  set compressMode(value: CompressMode) {
    this.#compressMode = persistence.checkCompressMode(value);
  }

  get compress_mode(): CompressMode {
    return this.compressMode;
  }

  set compress_mode(value: CompressMode) {
    this.compressMode = value;
  }

  addItem(i: number, vector: Vector): this {
    this.#native.addItem(check.itemId(i), check.vector(vector));
    return this;
  }

  /** Many items at once: one flat Float32Array of m x f, or an array of vectors, as ids
   * startId, startId + 1, ... (default: after the last id). All rows are checked first. */
  addItems(vectors: Float32Array | readonly Vector[], options?: { startId?: number }): this {
    const o = check.options(options);
    const s = this.#native.state();
    const startId = o.startId === undefined ? s.nItems : check.itemId(o.startId, 'startId');
    const { flat, rowLength } = flatRows(vectors, s.f);
    if (flat.length === 0) return this;
    this.#native.addItems(startId, flat, rowLength);
    return this;
  }

  build(nTrees: number, nJobs: number = -1): this {
    try {
      this.#native.build(check.integer(nTrees, 'n_trees'), check.integer(nJobs, 'n_jobs'));
    } finally {
      this.#flushLogs();
    }
    return this;
  }

  /** build() on native threads, off the event loop. onProgress runs on the event loop as trees
   * finish; aborting `signal` rejects with ANNOY_ABORTED and leaves the index as it was. */
  async buildAsync(nTrees: number, options?: BuildAsyncOptions): Promise<this> {
    const caller = new Error();
    const o = check.options(options);
    const trees = check.integer(nTrees, 'n_trees');
    const jobs = check.integer(o.nJobs ?? -1, 'n_jobs');
    const onProgress = o.onProgress;
    const signal = check.abortSignal(o.signal);
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `onProgress: expected a function, received ${check.describe(onProgress)}`);
    }
    if (signal?.aborted) throw abortedError();
    let reported = 0;
    let settled = false;
    // The native side makes the last report itself while the index is still busy (so that the
    // callback cannot unload or change it, issue #10 W2); reports arriving after that are stale.
    const report = (treesBuilt: number) => {
      if (onProgress === undefined || settled || treesBuilt <= reported) return;
      reported = treesBuilt;
      try {
        onProgress({ treesBuilt, nTrees: trees === -1 ? null : trees });
      } catch (err) {
        process.emitWarning(`annoy-napi: onProgress threw: ${check.describeThrown(err)}`, 'AnnoyProgressWarning');
      }
    };
    const work = this.#native.buildAsync(trees, jobs, onProgress ? report : undefined);
    trackBuild(this.#native);
    const cancel = () => this.#native.cancelBuild();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      await withCallerStack(work, caller);
    } finally {
      settled = true;
      buildsInFlight.delete(this.#native);
      signal?.removeEventListener('abort', cancel);
      this.#flushLogs();
    }
    return this;
  }

  unbuild(): this {
    this.#native.unbuild();
    return this;
  }

  getNnsByItem(i: number, n: number, searchK?: number, includeDistances?: true): NnsResult;
  getNnsByItem(i: number, n: number, searchK: number, includeDistances: false): number[];
  getNnsByItem(i: number, n: number, options: QueryOptions & { includeDistances: false }): number[];
  getNnsByItem(i: number, n: number, options: QueryOptions): NnsResult;
  getNnsByItem(i: number, n: number, searchK?: number | QueryOptions, includeDistances?: boolean): NnsResult | number[];
  getNnsByItem(i: number, n: number, searchK: number | QueryOptions = -1, includeDistances = true): NnsResult | number[] {
    const id = check.itemId(i);
    const q = queryArgs(n, searchK, includeDistances);
    const found = this.#native.getNnsByItem(id, q.n, q.searchK, idsOut, distancesOut, q.allow, q.deny);
    return results(fetchResults(this.#native, found), q.withDistances);
  }

  getNnsByVector(vector: Vector, n: number, searchK?: number, includeDistances?: true): NnsResult;
  getNnsByVector(vector: Vector, n: number, searchK: number, includeDistances: false): number[];
  getNnsByVector(vector: Vector, n: number, options: QueryOptions & { includeDistances: false }): number[];
  getNnsByVector(vector: Vector, n: number, options: QueryOptions): NnsResult;
  getNnsByVector(vector: Vector, n: number, searchK?: number | QueryOptions, includeDistances?: boolean): NnsResult | number[];
  getNnsByVector(vector: Vector, n: number, searchK: number | QueryOptions = -1, includeDistances = true): NnsResult | number[] {
    const v = check.vector(vector);
    const q = queryArgs(n, searchK, includeDistances);
    const found = this.#native.getNnsByVector(v, q.n, q.searchK, idsOut, distancesOut, q.allow, q.deny);
    return results(fetchResults(this.#native, found), q.withDistances);
  }

  /** Many vectors at once, on native threads, off the event loop. `vectors`: one flat
   * Float32Array of m x f, or an array of vectors. Row i equals getNnsByVector(row i, k). */
  async query(vectors: Float32Array | readonly Vector[], k: number, options?: BatchOptions): Promise<BatchResult> {
    const caller = new Error();
    const s = this.#native.state();
    const { flat, rowLength } = flatRows(vectors, s.f);
    const b = batchArgs(k, options);
    const width = resultWidth(b.k, s.nItems);
    checkResultSize(rowLength > 0 ? flat.length / rowLength : 0, width);
    // Rows in a SharedArrayBuffer cannot be detached, so the native side reads them in place;
    // any other input is copied first (the caller may reuse it at once).
    const shared = types.isSharedArrayBuffer(flat.buffer);
    return withCallerStack(this.#native.query(flat, rowLength, width, b.searchK, b.threads, b.allow, b.deny, shared), caller).then(
      (raw) => batchResult(raw, width, b.withDistances),
    );
  }

  /** The blocking twin of query(): same rows, same answers, on the calling thread's watch. */
  querySync(vectors: Float32Array | readonly Vector[], k: number, options?: BatchOptions): BatchResult {
    const s = this.#native.state();
    const { flat, rowLength } = flatRows(vectors, s.f);
    const b = batchArgs(k, options);
    const rows = rowLength > 0 ? flat.length / rowLength : 0;
    const width = resultWidth(b.k, s.nItems);
    const out = resultArrays(rows, width);
    this.#native.querySync(flat, rowLength, width, b.searchK, b.threads, b.allow, b.deny, out.ids, out.distances, out.counts);
    return batchResult(out, width, b.withDistances);
  }

  /** Batch getNnsByItem for many item ids. */
  async queryByItems(ids: Int32Array | Uint32Array | readonly number[], k: number, options?: BatchOptions): Promise<BatchResult> {
    const caller = new Error();
    const list = itemIds(ids);
    const b = batchArgs(k, options);
    const width = resultWidth(b.k, this.getNItems());
    checkResultSize(list.length, width);
    return withCallerStack(this.#native.queryByItems(list, width, b.searchK, b.threads, b.allow, b.deny), caller).then((raw) =>
      batchResult(raw, width, b.withDistances),
    );
  }

  queryByItemsSync(ids: Int32Array | Uint32Array | readonly number[], k: number, options?: BatchOptions): BatchResult {
    const list = itemIds(ids);
    const b = batchArgs(k, options);
    const width = resultWidth(b.k, this.getNItems());
    const out = resultArrays(list.length, width);
    this.#native.queryByItemsSync(list, width, b.searchK, b.threads, b.allow, b.deny, out.ids, out.distances, out.counts);
    return batchResult(out, width, b.withDistances);
  }

  getDistance(i: number, j: number): number {
    return this.#native.getDistance(check.itemId(i, 'i'), check.itemId(j, 'j'));
  }

  getItemVector(i: number): number[];
  getItemVector(i: number, options: { out: Float32Array }): Float32Array;
  /** The stored vector; with `{ out }`, written into that Float32Array of length f (no allocation). */
  getItemVector(i: number, options?: { out?: Float32Array }): number[] | Float32Array {
    const id = check.itemId(i);
    const out = check.options(options).out;
    if (out !== undefined) {
      if (!types.isFloat32Array(out)) {
        throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `out: expected a Float32Array, received ${check.describe(out)}`);
      }
      return this.#native.getItemVector(id, out);
    }
    return Array.from(this.#native.getItemVector(id));
  }

  getNItems(): number {
    return this.#native.state().nItems;
  }

  getNTrees(): number {
    return this.#native.state().nTrees;
  }

  /** Writes the Annoy file, then serves it read-only (as Annoy does). */
  save(path: string | URL, prefault: boolean = false): this {
    try {
      this.#native.save(check.filePath(path), check.boolean(prefault, 'prefault'));
    } finally {
      this.#flushLogs();
    }
    return this;
  }

  /** Serves an Annoy file read-only: mapped (shared by every process that maps it), or with
   * `{ copy: true }` copied into memory. The second argument may be the seed's `prefault` flag. */
  load(path: string | URL, prefault: boolean | LoadOptions = this.#prefault): this {
    const o = loadOptions(prefault, this.#prefault);
    try {
      this.#native.load(check.filePath(path), o.prefault, o.copy);
    } finally {
      this.#flushLogs();
    }
    return this;
  }

  /** load() with the mapping (and the prefault read) done on a native thread. */
  async loadAsync(path: string | URL, options?: LoadOptions): Promise<this> {
    const caller = new Error();
    const o = loadOptions(check.options(options), this.#prefault);
    try {
      await withCallerStack(this.#native.loadAsync(check.filePath(path), o.prefault, o.copy), caller);
    } finally {
      this.#flushLogs();
    }
    return this;
  }

  /** save() with the writing done on a native thread. */
  async saveAsync(path: string | URL, options?: { prefault?: boolean }): Promise<this> {
    const caller = new Error();
    const prefault = check.boolean(check.options(options).prefault ?? false, 'prefault');
    try {
      await withCallerStack(this.#native.saveAsync(check.filePath(path), prefault), caller);
    } finally {
      this.#flushLogs();
    }
    return this;
  }

  /** serialize() on a native thread. */
  async serializeAsync(): Promise<Buffer> {
    return withCallerStack(this.#native.serializeAsync(), new Error());
  }

  unload(): this {
    this.#native.unload();
    this.#flushLogs();
    return this;
  }

  onDiskBuild(path: string | URL): this {
    this.#native.onDiskBuild(check.filePath(path));
    return this;
  }

  /** A self-describing, checksummed snapshot of the whole index (docs/format.md). */
  serialize(): Buffer {
    return this.#native.serialize();
  }

  /**
   * Restores a serialize() snapshot after checking it completely. prefault is accepted for the
   * seed's signature: the snapshot is copied into memory, so it is always resident.
   */
  deserialize(bytes: Uint8Array | ArrayBuffer, prefault: boolean = this.#prefault): this {
    check.boolean(prefault, 'prefault');
    this.#native.deserialize(check.bytes(bytes));
    return this;
  }

  /** The Kiss64 seed used by the next build(); no argument restores the default. */
  setSeed(seed?: number | bigint): void {
    this.#native.setSeed(seed === undefined || seed === null ? DEFAULT_SEED : check.seed(seed));
  }

  /** <= 0 quiet, 1 info, >= 2 debug (clamped to [-2, 2]); messages go to `logger`. */
  verbose(level: number | boolean = 1): this {
    const numeric = typeof level === 'boolean' ? (level ? 1 : 0) : check.integer(level, 'level');
    this.#verbosity = Math.max(-2, Math.min(2, numeric));
    this.#native.setVerbosity(this.#verbosity);
    return this;
  }

  info(): AnnoyInfo {
    const s = this.#native.state();
    return {
      dimension: s.f,
      metric: s.metric as MetricName,
      n_items: s.nItems,
      n_trees: s.nTrees,
      memory_usage_byte: s.memoryUsage,
      memory_usage_mib: s.memoryUsage / (1024 * 1024),
      on_disk_path: s.path,
      seed: s.seed,
      built: s.built,
      loaded: s.loaded,
      on_disk_build: s.onDisk,
    };
  }

  /** Bytes the index holds: its node storage in memory, or the size of the mapped file. */
  memoryUsage(): number {
    return this.#native.state().memoryUsage;
  }

  /** A plain object carrying this index (see pickleMode, compressMode); it survives
   * structuredClone, v8.serialize and worker.postMessage. Restore it with Annoy.fromState. */
  toState(): AnnoyState {
    return persistence.captureState(this.#native, {
      pickleMode: this.#pickleMode,
      compressMode: this.#compressMode,
      prefault: this.#prefault,
    });
  }

  /** A new index from a toState() object, checked completely first (a disk state's file must be
   * unchanged). Disk states map the file read-only. */
  static fromState(state: AnnoyState): Annoy {
    const checked = persistence.checkState(state);
    const payload = persistence.statePayload(checked);
    const index = new Annoy(checked.f, checked.metric);
    index.#pickleMode = checked.pickleMode;
    index.#compressMode = checked.compressMode;
    index.#prefault = checked.prefault;
    index.setSeed(checked.seed);
    if ('file' in payload) index.load(payload.file, checked.prefault);
    else index.deserialize(payload.snapshot);
    return index;
  }

  /** toState() as one self-describing, checksummed Buffer. */
  dumps(): Buffer {
    return persistence.encodeDump(this.toState());
  }

  static loads(bytes: Uint8Array): Annoy {
    return Annoy.fromState(persistence.decodeDump(bytes));
  }

  #flushLogs(): void {
    const pending = this.#native.drainLogs();
    if (this.#verbosity <= 0) return;
    for (const [level, message] of pending) {
      if (level > this.#verbosity) continue;
      // The operation has already happened; a failing logger must not make it look as if it
      // had not, so its error becomes a process warning.
      try {
        this.logger(level, message);
      } catch (err) {
        process.emitWarning(`annoy-napi: the logger threw: ${check.describeThrown(err)}`, 'AnnoyLoggerWarning');
      }
    }
  }
}

function loadOptions(given: boolean | LoadOptions | number, defaultPrefault: boolean): { prefault: boolean; copy: boolean } {
  if (typeof given !== 'object' || given === null) return { prefault: check.boolean(given, 'prefault'), copy: false };
  const o = check.options(given);
  return { prefault: check.boolean(o.prefault ?? defaultPrefault, 'prefault'), copy: check.boolean(o.copy ?? false, 'copy') };
}

function queryArgs(n: number, searchK: number | QueryOptions, includeDistances: boolean) {
  if (typeof searchK === 'object' && searchK !== null) {
    const o = check.options(searchK, 'options');
    return {
      n: check.integer(n, 'n'),
      searchK: check.integer(o.searchK ?? -1, 'search_k'),
      withDistances: check.boolean(o.includeDistances ?? true, 'include_distances'),
      allow: idList(o.allow, 'allow'),
      deny: idList(o.deny, 'deny'),
    };
  }
  return {
    n: check.integer(n, 'n'),
    searchK: check.integer(searchK, 'search_k'),
    withDistances: check.boolean(includeDistances, 'include_distances'),
    allow: undefined,
    deny: undefined,
  };
}

function batchArgs(k: number, given: BatchOptions | undefined) {
  const options = check.options(given);
  const count = check.integer(k, 'k');
  if (count < 1) throw new AnnoyError(ErrorCodes.INVALID_ARGUMENT, `k: expected a positive number of neighbours, received ${count}`);
  return {
    k: count,
    searchK: check.integer(options.searchK ?? -1, 'search_k'),
    threads: check.integer(options.threads ?? -1, 'threads'),
    withDistances: check.boolean(options.includeDistances ?? true, 'include_distances'),
    allow: idList(options.allow, 'allow'),
    deny: idList(options.deny, 'deny'),
  };
}

function results(found: number, withDistances: boolean): NnsResult | number[] {
  // Plain loops: the seed's shape is number[], and this is cheaper than subarray + Array.from.
  const ids = new Array<number>(found);
  for (let i = 0; i < found; i++) ids[i] = idsOut[i];
  if (!withDistances) return ids;
  const distances = new Array<number>(found);
  for (let i = 0; i < found; i++) distances[i] = distancesOut[i];
  return [ids, distances];
}

/** The seed's snake_case names: the same functions as their camelCase twins. */
const SNAKE_CASE_ALIASES = {
  add_item: 'addItem',
  get_nns_by_item: 'getNnsByItem',
  get_nns_by_vector: 'getNnsByVector',
  get_distance: 'getDistance',
  get_item_vector: 'getItemVector',
  get_n_items: 'getNItems',
  get_n_trees: 'getNTrees',
  on_disk_build: 'onDiskBuild',
  set_seed: 'setSeed',
  memory_usage: 'memoryUsage',
} as const;

export interface Annoy {
  add_item: Annoy['addItem'];
  get_nns_by_item: Annoy['getNnsByItem'];
  get_nns_by_vector: Annoy['getNnsByVector'];
  get_distance: Annoy['getDistance'];
  get_item_vector: Annoy['getItemVector'];
  get_n_items: Annoy['getNItems'];
  get_n_trees: Annoy['getNTrees'];
  on_disk_build: Annoy['onDiskBuild'];
  set_seed: Annoy['setSeed'];
  memory_usage: Annoy['memoryUsage'];
}

for (const [snake, camel] of Object.entries(SNAKE_CASE_ALIASES)) {
  Object.defineProperty(Annoy.prototype, snake, {
    value: Annoy.prototype[camel as keyof typeof Annoy.prototype],
    writable: true,
    configurable: true,
  });
}

/** The name Python's annoy exports. */
export const AnnoyIndex = Annoy;
export type AnnoyIndex = Annoy;
