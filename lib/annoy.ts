// The Annoy class: the seed's API (scikit-plot's Annoy) in camelCase, with the seed's
// snake_case names as aliases (see the bottom of this file). Argument types are checked here;
// everything else is the core's job, reached through lib/native.ts.
import { addon, NativeIndex } from './native';
import { AnnoyError, ErrorCodes } from './errors';
import { AnnoyInfo, Logger, MetricName, Vector } from './types';
import * as persistence from './persistence';
import { AnnoyState, CompressMode, PickleMode } from './persistence';
import * as check from './validate';

export const DEFAULT_SEED = 1234567890987654321n;

// Queries write into these and are copied out before returning; JavaScript runs one call at a
// time, so every index can share them.
let idsOut = new Int32Array(64);
let distancesOut = new Float32Array(64);

function resultBuffers(n: number, nItems: number): void {
  const needed = Math.max(1, Math.min(n, nItems));
  if (idsOut.length < needed) {
    idsOut = new Int32Array(needed);
    distancesOut = new Float32Array(needed);
  }
}

const defaultLogger: Logger = (_level, message) => {
  console.error(`annoy-napi: ${message}`);
};

export type NnsResult = [number[], number[]];

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

  build(nTrees: number, nJobs: number = -1): this {
    try {
      this.#native.build(check.integer(nTrees, 'n_trees'), check.integer(nJobs, 'n_jobs'));
    } finally {
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
  getNnsByItem(i: number, n: number, searchK?: number, includeDistances?: boolean): NnsResult | number[];
  getNnsByItem(i: number, n: number, searchK = -1, includeDistances = true): NnsResult | number[] {
    const id = check.itemId(i);
    const count = check.integer(n, 'n');
    const k = check.integer(searchK, 'search_k');
    const withDistances = check.boolean(includeDistances, 'include_distances');
    resultBuffers(count, this.#native.state().nItems);
    const found = this.#native.getNnsByItem(id, count, k, idsOut, distancesOut);
    return results(found, withDistances);
  }

  getNnsByVector(vector: Vector, n: number, searchK?: number, includeDistances?: true): NnsResult;
  getNnsByVector(vector: Vector, n: number, searchK: number, includeDistances: false): number[];
  getNnsByVector(vector: Vector, n: number, searchK?: number, includeDistances?: boolean): NnsResult | number[];
  getNnsByVector(vector: Vector, n: number, searchK = -1, includeDistances = true): NnsResult | number[] {
    const v = check.vector(vector);
    const count = check.integer(n, 'n');
    const k = check.integer(searchK, 'search_k');
    const withDistances = check.boolean(includeDistances, 'include_distances');
    resultBuffers(count, this.#native.state().nItems);
    const found = this.#native.getNnsByVector(v, count, k, idsOut, distancesOut);
    return results(found, withDistances);
  }

  getDistance(i: number, j: number): number {
    return this.#native.getDistance(check.itemId(i, 'i'), check.itemId(j, 'j'));
  }

  getItemVector(i: number): number[] {
    return Array.from(this.#native.getItemVector(check.itemId(i)));
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

  load(path: string | URL, prefault: boolean = this.#prefault): this {
    try {
      this.#native.load(check.filePath(path), check.boolean(prefault, 'prefault'));
    } finally {
      this.#flushLogs();
    }
    return this;
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
        process.emitWarning(`annoy-napi: the logger threw: ${(err as Error)?.message ?? String(err)}`, 'AnnoyLoggerWarning');
      }
    }
  }
}

function results(found: number, withDistances: boolean): NnsResult | number[] {
  const ids = Array.from(idsOut.subarray(0, found));
  if (!withDistances) return ids;
  return [ids, Array.from(distancesOut.subarray(0, found))];
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
