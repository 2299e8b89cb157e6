// The Annoy class: the seed's API (scikit-plot's Annoy) in camelCase, with the seed's snake_case
// names as aliases (lib/aliases.ts, which also declares their types). Argument types are checked
// here; everything else is the core's job, reached through lib/native.ts.

import { addon, NativeIndex } from './native';
import { AnnoyError, ErrorCodes } from './errors';
import { AnnoyInfo, BuildAsyncOptions, LoadOptions, Logger, MetricName, Vector } from './types';
import * as persistence from './persistence';
import { flatRows } from './batch';
import { AnnoyState, CompressMode, PickleMode } from './persistence';
import * as check from './validate';
import { installSnakeCaseAliases, SNAKE_CASE_ALIASES } from './aliases';
import { describeIndex } from './info';
import { deliverLogs, FlushLogs, logged, loggedAsync, settledBuild } from './logged-calls';
import { asyncBuildOptions, startBuild, withCallerStack } from './async-work';
import * as graph from './graph';
import type { GraphBuildAsyncOptions, GraphOptions } from './graph';
import {
  BatchOptions,
  BatchResult,
  batchQuery,
  batchQueryByItems,
  batchQueryByItemsSync,
  batchQuerySync,
  NnsResult,
  itemVector,
  nns,
  QueryOptions,
} from './queries';

export type { BatchOptions, BatchResult, NnsResult, QueryOptions } from './queries';
export type { BuildProgress } from './async-work';
export type { BuildAsyncOptions, LoadOptions } from './types';
export type { GraphBuildAsyncOptions, GraphInfo, GraphOptions, GraphProgress } from './graph';

export const DEFAULT_SEED = 1234567890987654321n;

const defaultLogger: Logger = (_level, message) => {
  console.error(`annoy-napi: ${message}`);
};

export class Annoy {
  readonly #native: NativeIndex;
  #verbosity = 0;
  #prefault = false;
  #pickleMode: PickleMode = 'auto';
  #compressMode: CompressMode = null;
  /** Where verbose messages go; replace it to route them into your own logging. */
  logger: Logger = defaultLogger;
  readonly #flushLogs: FlushLogs = () => deliverLogs(this.#native.drainLogs(), this.#verbosity, this.logger);

  /**
   * @param f dimension; 0 lets the first vector fix it. For hamming, the number of bits.
   * @param metric angular (default), euclidean, manhattan, dot, hamming, or an alias.
   */
  constructor(f: number = 0, metric: string = 'angular') {
    check.constructorArgs(f, metric);
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

  // Read-only: a setter that refuses, so that assignment fails loudly instead of being ignored.
  set onDiskPath(_value: string | null) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      'on_disk_path is read-only: it is set by load(), save() and onDiskBuild()',
    );
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

  /** Compression of byte-mode states: null, 'zlib', 'gzip' or 'brotli' (Node's zlib). */
  get compressMode(): CompressMode {
    return this.#compressMode;
  }

  set compressMode(value: CompressMode) {
    this.#compressMode = persistence.checkCompressMode(value);
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
    logged(this.#flushLogs, () => this.#native.build(check.integer(nTrees, 'n_trees'), check.integer(nJobs, 'n_jobs')));
    return this;
  }

  /** build() on native threads, off the event loop. onProgress runs on the event loop as trees
   * finish; aborting `signal` rejects with ANNOY_ABORTED and leaves the index as it was. */
  async buildAsync(nTrees: number, options?: BuildAsyncOptions): Promise<this> {
    const caller = new Error();
    const trees = check.integer(nTrees, 'n_trees');
    await settledBuild(
      this.#flushLogs,
      caller,
      startBuild(this.#native, trees, asyncBuildOptions(options, 'buildAsync')),
    );
    return this;
  }

  /** Builds the neighbour graph over the built or loaded trees (docs/graph.md); queries then walk
   * it unless they pass `graph: false`. Replaces any graph the index had. */
  buildGraph(options?: GraphOptions): this {
    logged(this.#flushLogs, () => graph.buildGraph(this.#native, options));
    return this;
  }

  /** buildGraph() on native threads, off the event loop; aborting `signal` rejects with
   * ANNOY_ABORTED and leaves the index (and any graph it had) as it was. */
  async buildGraphAsync(options?: GraphBuildAsyncOptions): Promise<this> {
    const caller = new Error();
    await settledBuild(this.#flushLogs, caller, graph.startGraphBuild(this.#native, options));
    return this;
  }

  /** Writes the graph alone (save() writes it beside the index file by itself). */
  saveGraph(path: string | URL): this {
    this.#native.saveGraph(check.filePath(path));
    return this;
  }

  /** Adopts the graph file at `path`, which must belong to this index's trees and items. */
  loadGraph(path: string | URL): this {
    logged(this.#flushLogs, () => this.#native.loadGraph(check.filePath(path)));
    return this;
  }

  /** Forgets the graph: queries use the trees alone again. */
  dropGraph(): this {
    this.#native.dropGraph();
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
  getNnsByItem(
    i: number,
    n: number,
    searchK: number | QueryOptions = -1,
    includeDistances = true,
  ): NnsResult | number[] {
    const id = check.itemId(i);
    return nns(this.#native, n, searchK, includeDistances, (q, ids, distances) =>
      this.#native.getNnsByItem(id, q.n, q.search, ids, distances, q.allow, q.deny),
    );
  }

  getNnsByVector(vector: Vector, n: number, searchK?: number, includeDistances?: true): NnsResult;
  getNnsByVector(vector: Vector, n: number, searchK: number, includeDistances: false): number[];
  getNnsByVector(vector: Vector, n: number, options: QueryOptions & { includeDistances: false }): number[];
  getNnsByVector(vector: Vector, n: number, options: QueryOptions): NnsResult;
  getNnsByVector(
    vector: Vector,
    n: number,
    searchK?: number | QueryOptions,
    includeDistances?: boolean,
  ): NnsResult | number[];
  getNnsByVector(
    vector: Vector,
    n: number,
    searchK: number | QueryOptions = -1,
    includeDistances = true,
  ): NnsResult | number[] {
    const v = check.vector(vector);
    return nns(this.#native, n, searchK, includeDistances, (q, ids, distances) =>
      this.#native.getNnsByVector(v, q.n, q.search, ids, distances, q.allow, q.deny),
    );
  }

  /** Many vectors at once, on native threads, off the event loop. `vectors`: one flat
   * Float32Array of m x f, or an array of vectors. Row i equals getNnsByVector(row i, k). */
  async query(vectors: Float32Array | readonly Vector[], k: number, options?: BatchOptions): Promise<BatchResult> {
    return batchQuery(this.#native, vectors, k, options, new Error());
  }

  /** The blocking twin of query(): same rows, same answers, on the calling thread's watch. */
  querySync(vectors: Float32Array | readonly Vector[], k: number, options?: BatchOptions): BatchResult {
    return batchQuerySync(this.#native, vectors, k, options);
  }

  /** Batch getNnsByItem for many item ids. */
  async queryByItems(
    ids: Int32Array | Uint32Array | readonly number[],
    k: number,
    options?: BatchOptions,
  ): Promise<BatchResult> {
    return batchQueryByItems(this.#native, ids, k, options, new Error());
  }

  queryByItemsSync(ids: Int32Array | Uint32Array | readonly number[], k: number, options?: BatchOptions): BatchResult {
    return batchQueryByItemsSync(this.#native, ids, k, options);
  }

  getDistance(i: number, j: number): number {
    return this.#native.getDistance(check.itemId(i, 'i'), check.itemId(j, 'j'));
  }

  getItemVector(i: number): number[];
  getItemVector(i: number, options: { out: Float32Array }): Float32Array;
  /** The stored vector; with `{ out }`, written into that Float32Array of length f (no allocation). */
  getItemVector(i: number, options?: { out?: Float32Array }): number[] | Float32Array {
    return itemVector(this.#native, i, options);
  }

  getNItems(): number {
    return this.#native.state().nItems;
  }

  getNTrees(): number {
    return this.#native.state().nTrees;
  }

  /** Writes the Annoy file, then serves it read-only (as Annoy does). */
  save(path: string | URL, prefault: boolean = false): this {
    logged(this.#flushLogs, () => this.#native.save(check.filePath(path), check.boolean(prefault, 'prefault')));
    return this;
  }

  /** Serves an Annoy file read-only: mapped (shared by every process that maps it), or with
   * `{ copy: true }` copied into memory. The second argument may be the seed's `prefault` flag. */
  load(path: string | URL, prefault: boolean | LoadOptions = this.#prefault): this {
    const o = check.loadOptions(prefault, this.#prefault);
    logged(this.#flushLogs, () => this.#native.load(check.filePath(path), o.prefault, o.copy));
    return this;
  }

  /** load() with the mapping (and the prefault read) done on a native thread. */
  async loadAsync(path: string | URL, options?: LoadOptions): Promise<this> {
    const caller = new Error();
    const o = check.loadOptions(check.options(options), this.#prefault);
    await loggedAsync(this.#flushLogs, caller, () => this.#native.loadAsync(check.filePath(path), o.prefault, o.copy));
    return this;
  }

  /** save() with the writing done on a native thread. */
  async saveAsync(path: string | URL, options?: { prefault?: boolean }): Promise<this> {
    const caller = new Error();
    const prefault = check.boolean(check.options(options).prefault ?? false, 'prefault');
    await loggedAsync(this.#flushLogs, caller, () => this.#native.saveAsync(check.filePath(path), prefault));
    return this;
  }

  /** serialize() on a native thread. */
  async serializeAsync(): Promise<Buffer> {
    return withCallerStack(this.#native.serializeAsync(), new Error());
  }

  unload(): this {
    logged(this.#flushLogs, () => this.#native.unload());
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
    return describeIndex(this.#native.state());
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
    if ('file' in payload) {
      index.load(payload.file, checked.prefault);
      persistence.checkRestoredGraph(payload, index.#native.state().graph !== null);
    } else {
      index.deserialize(payload.snapshot);
    }
    return index;
  }

  /** toState() as one self-describing, checksummed Buffer. */
  dumps(): Buffer {
    return persistence.encodeDump(this.toState());
  }

  static loads(bytes: Uint8Array): Annoy {
    return Annoy.fromState(persistence.decodeDump(bytes));
  }
}

installSnakeCaseAliases(Annoy.prototype, SNAKE_CASE_ALIASES);

/** The name Python's annoy exports. */
export const AnnoyIndex = Annoy;
export type AnnoyIndex = Annoy;
