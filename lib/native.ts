// The only place that loads the compiled addon. node-gyp-build looks in build/Release, then
// build/Debug, then prebuilds/<platform>-<arch>/ under the package root.
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
}

export interface NativeIndex {
  addItem(i: number, vector: Float32Array): void;
  build(nTrees: number, nJobs: number): void;
  unbuild(): void;
  save(path: string, prefault: boolean): void;
  load(path: string, prefault: boolean): void;
  unload(): void;
  onDiskBuild(path: string): void;
  getNnsByItem(i: number, n: number, searchK: number, ids: Int32Array, distances: Float32Array): number;
  getNnsByVector(vector: Float32Array, n: number, searchK: number, ids: Int32Array, distances: Float32Array): number;
  getDistance(i: number, j: number): number;
  getItemVector(i: number): Float32Array;
  serialize(): Buffer;
  serializeHead(): Buffer;
  copyNodeBytes(offset: number, out: Uint8Array): void;
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
  simdLevel: string;
}

const packageRoot = path.resolve(__dirname, '..');

function loadAddon(): Addon {
  return loadFromRoot(packageRoot) as Addon;
}

export const addon: Addon = loadAddon();
addon.setErrorClass(AnnoyError);
