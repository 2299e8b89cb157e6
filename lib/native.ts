// The addon as lib/ uses it: loaded once, through load-addon.ts's loadAddon() (the one function
// that loads it; the packaging scripts only ask node-gyp-build where it is), and handed lib's
// AnnoyError class. node-gyp-build looks in build/Release, then build/Debug, then
// prebuilds/<platform>-<arch>/ under the package root.
import * as path from 'path';

import { AnnoyError } from './errors';
import { loadAddon as loadFromRoot } from './load-addon';

export interface NativeState {
  f: number;
  metric: string;
  nItems: number;
  nTrees: number;
  built: boolean;
  loaded: boolean;
  onDisk: boolean;
  path: string | null;
  memoryUsage: number;
  nodeBytes: number;
  seed: bigint;
  graph: NativeGraphState | null;
}

export interface NativeGraphState {
  degree: number;
  edges: number;
  memoryUsage: number;
  inSidecar: boolean;
}

/** How a query searches: Annoy's searchK, or [searchK, ef, graph 0/1] (binding/convert.h). */
export type NativeSearch = number | Float64Array;

/** What getNnsByItem / getNnsByVector take after the item or vector; they return the count. */
type NnsArgs = [
  n: number,
  search: NativeSearch,
  ids: Int32Array,
  distances: Float32Array,
  allow?: Int32Array,
  deny?: Int32Array,
];

/** What every batch query takes after its rows, in the order binding/batch_args.h reads it. */
type BatchQueryArgs = [
  k: number,
  search: NativeSearch,
  threads: number,
  allow: Int32Array | undefined,
  deny: Int32Array | undefined,
];
type BatchOutputs = [ids: Int32Array, distances: Float32Array, counts: Uint32Array];

export interface BatchBuffers {
  ids: Int32Array;
  distances: Float32Array;
  counts: Uint32Array;
}

export interface NativeIndex {
  addItem(i: number, vector: Float32Array): void;
  build(nTrees: number, nJobs: number): void;
  unbuild(): void;
  save(path: string, prefault: boolean): void;
  load(path: string, prefault: boolean, copy?: boolean): void;
  unload(): void;
  onDiskBuild(path: string): void;
  addItems(startId: number, vectors: Float32Array, rowLength: number): void;
  getNnsByItem(i: number, ...rest: NnsArgs): number;
  getNnsByVector(vector: Float32Array, ...rest: NnsArgs): number;
  copyLastResults(ids: Int32Array, distances: Float32Array): number;
  querySync(vectors: Float32Array, rowLength: number, ...rest: [...BatchQueryArgs, ...BatchOutputs]): void;
  queryByItemsSync(items: Int32Array, ...rest: [...BatchQueryArgs, ...BatchOutputs]): void;
  // shared: the rows are in a SharedArrayBuffer, read in place.
  query(vectors: Float32Array, rowLength: number, ...rest: [...BatchQueryArgs, shared: boolean]): Promise<BatchBuffers>;
  queryByItems(items: Int32Array, ...rest: BatchQueryArgs): Promise<BatchBuffers>;
  buildAsync(nTrees: number, nJobs: number, onProgress?: (treesBuilt: number, unused: number) => void): Promise<void>;
  buildGraph(degree: number, nJobs: number): void;
  buildGraphAsync(degree: number, nJobs: number, onProgress?: (done: number, total: number) => void): Promise<void>;
  saveGraph(path: string): void;
  loadGraph(path: string): void;
  dropGraph(): void;
  serializeGraph(): Buffer;
  cancelBuild(): void;
  loadAsync(path: string, prefault: boolean, copy?: boolean): Promise<void>;
  saveAsync(path: string, prefault: boolean): Promise<void>;
  serializeAsync(): Promise<Buffer>;
  getDistance(i: number, j: number): number;
  getItemVector(i: number, out?: Float32Array): Float32Array;
  serialize(): Buffer;
  serializeHead(): Buffer;
  copyNodeBytes(offset: number, out: Uint8Array): void;
  fileChecksum(): number;
  deserialize(bytes: Uint8Array): void;
  state(): NativeState;
  setSeed(seed: bigint): void;
  setVerbosity(level: number): void;
  drainLogs(): Array<[number, string]>;
}

interface Addon {
  NativeIndex: new (metric: string, f: number) => NativeIndex;
  setErrorClass(errorClass: typeof AnnoyError): void;
  crc32(bytes: Uint8Array, previous?: number): number;
  adler32(bytes: Uint8Array, previous?: number): number;
  simdLevel: string;
}

const packageRoot = path.resolve(__dirname, '..');

function loadAddon(): Addon {
  return loadFromRoot(packageRoot) as Addon;
}

export const addon: Addon = loadAddon();
addon.setErrorClass(AnnoyError);
