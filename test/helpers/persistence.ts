// Helpers for test/persistence: the PickleMixin contract (pickleMode / compressMode, toState /
// fromState, dumps / loads), through the small accessors below (typed by lib's public types; px
// and the arguments of fromState / loads stay untyped, for the values the tests forge).
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import * as zlib from 'zlib';
import { Annoy, AnnoyState } from '../../lib';
import { REPO_ROOT } from './tmp';
import { makeBitVectors, makeVectors } from './random';

export const METRICS = ['angular', 'euclidean', 'manhattan', 'dot', 'hamming'] as const;
export type Metric = (typeof METRICS)[number];
export const COMPRESS_MODES = [null, 'zlib', 'gzip', 'brotli'] as const;
export type CompressMode = (typeof COMPRESS_MODES)[number];
export const PICKLE_MODES = ['auto', 'byte', 'disk'] as const;
export type PickleMode = (typeof PICKLE_MODES)[number];

/** The codes the persistence layer adds to lib/errors.ts (strings: they may not exist yet). */
export const INVALID_STATE = 'ANNOY_INVALID_STATE';
export const FILE_CHANGED = 'ANNOY_FILE_CHANGED';

/** A state as toState() gives it: lib's AnnoyState, whose fields the contract promises, and any
 * more a forger may add. */
export type PickleState = AnnoyState & { [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Access to the API under test.

/** The index untyped: for properties set by a computed name, the snake_case aliases, and values
 * of the wrong type. */
export function px(index: Annoy): any {
  return index as never;
}

export function toState(index: Annoy): PickleState {
  return index.toState() as PickleState;
}

/** Annoy.fromState of anything (the states under test are often not AnnoyStates). */
export function fromState(state: unknown): Annoy {
  return Annoy.fromState(state as AnnoyState);
}

export function dumps(index: Annoy): Buffer {
  return index.dumps();
}

/** Annoy.loads of anything (the bytes under test are often not bytes). */
export function loads(bytes: unknown): Annoy {
  return Annoy.loads(bytes as Uint8Array);
}

/** Sets pickleMode / compressMode / prefault (camelCase setters) and returns the index. */
export function configure(
  index: Annoy,
  opts: { pickleMode?: PickleMode; compressMode?: CompressMode; prefault?: boolean },
): Annoy {
  if (opts.pickleMode !== undefined) index.pickleMode = opts.pickleMode;
  if (opts.compressMode !== undefined) index.compressMode = opts.compressMode;
  if (opts.prefault !== undefined) index.prefault = opts.prefault;
  return index;
}

/** A copy of a state with some fields replaced (undefined deletes the field). */
export function withFields(state: PickleState, changes: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...state };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete copy[k];
    else copy[k] = v;
  }
  return copy;
}

const CONTRACT_FIELDS = new Set([
  'version',
  'f',
  'metric',
  'seed',
  'mode',
  'compressMode',
  'prefault',
  'bytes',
  'rawSize',
  'path',
]);

/**
 * A copy of a byte-mode state that carries `bytes` (and `rawSize`, when given) as a forger would
 * write it: any field outside the contract that describes the old payload's layout (an array of
 * integers adding up to the old payload's length, such as per-chunk compressed sizes) is rewritten
 * to describe the new payload as a single piece. Without this, a bookkeeping check on such a field
 * would reject the payload before it ever reaches the decompressor.
 */
export function withPayload(state: PickleState, bytes: Uint8Array, rawSize?: number): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...state, bytes };
  if (rawSize !== undefined) copy.rawSize = rawSize;
  else if (state.compressMode === null && 'rawSize' in state) copy.rawSize = bytes.length;
  const oldLength = (state.bytes as Uint8Array).length;
  for (const [key, value] of Object.entries(state)) {
    if (CONTRACT_FIELDS.has(key) || !Array.isArray(value)) continue;
    if (value.every((x) => Number.isSafeInteger(x)) && value.reduce((a: number, b: number) => a + b, 0) === oldLength) {
      copy[key] = [bytes.length];
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Deterministic indexes.

export interface Fixture {
  metric: Metric;
  f: number;
  items: number[][];
  queries: number[][];
  /** Item ids used by getNnsByItem / getItemVector checks. */
  probes: number[];
}

/** f = 10 for the float metrics, 70 bits for hamming (not a multiple of 64). */
export function fixture(metric: Metric, n = 200, seed = 11): Fixture {
  const f = metric === 'hamming' ? 70 : 10;
  const gen = metric === 'hamming' ? makeBitVectors : makeVectors;
  return {
    metric,
    f,
    items: gen(n, f, seed),
    queries: gen(4, f, seed + 1000),
    probes: [0, 1, Math.floor(n / 2), n - 1],
  };
}

/** The fixture's items added in order; built with `trees` trees on one thread unless build = false. */
export function buildIndex(fx: Fixture, opts: { trees?: number; build?: boolean; seed?: number } = {}): Annoy {
  const index = new Annoy(fx.f, fx.metric);
  if (opts.seed !== undefined) index.setSeed(opts.seed);
  fx.items.forEach((v, i) => index.addItem(i, v));
  if (opts.build !== false) index.build(opts.trees ?? 5, 1);
  return index;
}

/** Everything the contract says must survive a round trip, for a built index. */
export function answers(index: Annoy, fx: Fixture): Record<string, unknown> {
  return {
    f: index.f,
    metric: index.metric,
    nItems: index.getNItems(),
    nTrees: index.getNTrees(),
    byItem: fx.probes.map((i) => index.getNnsByItem(i, 10)),
    byVector: fx.queries.map((q) => index.getNnsByVector(q, 10)),
    byVectorSearchK: index.getNnsByVector(fx.queries[0], 5, 40),
    vectors: fx.probes.map((i) => index.getItemVector(i)),
    distance: index.getDistance(fx.probes[0], fx.probes[1]),
  };
}

/** What can be observed on an unbuilt index. */
export function itemsView(index: Annoy, fx: Fixture): Record<string, unknown> {
  return {
    f: index.f,
    metric: index.metric,
    nItems: index.getNItems(),
    built: index.info().built,
    vectors: fx.items.map((_, i) => index.getItemVector(i)),
  };
}

// The node size: one implementation, in fixtures.ts (hamming: f in bits).
export { nodeSize } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Bytes.

/** Cross-realm check (values made by the addon or by Node's zlib come from Node's realm). */
export function isBytes(x: unknown): x is Uint8Array {
  return util.types.isUint8Array(x);
}

export function toBuffer(x: Uint8Array): Buffer {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
}

/** Decompresses with Node's own zlib, as the named standard format. */
export function decompress(mode: CompressMode, bytes: Uint8Array): Buffer {
  const b = toBuffer(bytes);
  if (mode === null) return Buffer.from(b);
  if (mode === 'zlib') return zlib.inflateSync(b);
  if (mode === 'gzip') return zlib.gunzipSync(b);
  return zlib.brotliDecompressSync(b);
}

export function compress(mode: Exclude<CompressMode, null>, bytes: Uint8Array): Buffer {
  const b = toBuffer(bytes);
  if (mode === 'zlib') return zlib.deflateSync(b);
  if (mode === 'gzip') return zlib.gzipSync(b);
  return zlib.brotliCompressSync(b);
}

/** A copy of `bytes` with bit `bit` of byte `pos` flipped. */
export function flipBit(bytes: Uint8Array, pos: number, bit = 0): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[pos] ^= 1 << bit;
  return copy;
}

// Zip bombs, built without ever holding the inflated data: raw deflate blocks of `chunk` zeros
// ended by a full flush (byte-aligned, no back-references across chunks) are repeated, closed by
// an empty final block and wrapped with a correct header and trailer.

function repeatedZeroBlocks(total: number, chunk: number): { raw: Buffer; n: number } {
  const block = zlib.deflateRawSync(Buffer.alloc(chunk), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const count = Math.ceil(total / chunk);
  const parts: Buffer[] = new Array(count).fill(block);
  parts.push(zlib.deflateRawSync(Buffer.alloc(0)));
  return { raw: Buffer.concat(parts), n: count * chunk };
}

/** A valid zlib stream (correct Adler-32) that inflates to `total` zero bytes. */
export function zlibBomb(total: number, chunk = 1 << 20): Buffer {
  const { raw, n } = repeatedZeroBlocks(total, chunk);
  const trailer = Buffer.alloc(4);
  // Adler-32 of n zero bytes: A = 1, B = n mod 65521
  trailer.writeUInt32BE((((n % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0xda]), raw, trailer]);
}

/** A valid gzip member (correct CRC-32 and ISIZE, MTIME 0) that inflates to `total` zero bytes. */
export function gzipBomb(total: number, chunk = 1 << 20): Buffer {
  const { raw, n } = repeatedZeroBlocks(total, chunk);
  const zeros = Buffer.alloc(chunk);
  let crc = 0;
  const crc32 = (zlib as unknown as { crc32: (d: Buffer, v: number) => number }).crc32;
  for (let k = 0; k < n / chunk; k++) crc = crc32(zeros, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(n % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), raw, trailer]);
}

/** A brotli stream of `total` zeros (brotli packs long zero runs into a few hundred bytes). */
export function brotliBomb(total: number): Buffer {
  return zlib.brotliCompressSync(Buffer.alloc(total), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 },
  });
}

// ---------------------------------------------------------------------------------------------
// State checks.

/** A plain data object: '[object Object]' whose prototype is some realm's Object.prototype. */
export function expectPlainObject(x: unknown): void {
  expect(typeof x).toBe('object');
  expect(x).not.toBeNull();
  expect(Object.prototype.toString.call(x)).toBe('[object Object]');
  const proto = Object.getPrototypeOf(x);
  expect(proto === null || Object.getPrototypeOf(proto) === null).toBe(true);
  for (const v of Object.values(x as object)) expect(typeof v).not.toBe('function');
}

/**
 * Checks the fields the contract promises for a state made from `index` with the given resolved
 * mode and compressMode.
 */
export function expectStateShape(
  state: PickleState,
  index: Annoy,
  mode: 'byte' | 'disk',
  compressMode: CompressMode,
): void {
  expectPlainObject(state);
  expect(typeof state.version).toBe('number');
  expect(Number.isInteger(state.version)).toBe(true);
  expect(state.version).toBeGreaterThanOrEqual(1);
  expect(state.f).toBe(index.f);
  expect(state.metric).toBe(index.metric);
  expect(typeof state.seed).toBe('bigint');
  expect(state.seed).toBe(index.info().seed);
  expect(state.mode).toBe(mode);
  expect(state.compressMode).toBe(compressMode);
  expect(state.prefault).toBe(index.prefault);
  if (mode === 'byte') {
    expect(isBytes(state.bytes)).toBe(true);
    const bytes = state.bytes as Uint8Array;
    expect(bytes.length).toBeGreaterThan(0);
    if (compressMode !== null) {
      // a standard stream of the named format, whose length is declared in rawSize
      expect(typeof state.rawSize).toBe('number');
      expect(decompress(compressMode, bytes).length).toBe(state.rawSize);
    }
  } else {
    expect(state.path).toBe(index.onDiskPath);
    expect(state.bytes === undefined || state.bytes === null).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------
// The compiled package, for child processes and worker threads.

export const DIST = path.join(REPO_ROOT, 'dist');

/**
 * Fails with a clear message when dist/ is missing or older than the persistence API (checked on
 * the file text: requiring dist/ here would load the addon a second time in this process).
 */
export function expectDistHasPersistence(): void {
  const entry = path.join(DIST, 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build:ts\` first`);
  const files = fs.readdirSync(DIST).filter((name) => name.endsWith('.js'));
  const hasIt = files.some((name) => fs.readFileSync(path.join(DIST, name), 'utf8').includes('fromState'));
  if (!hasIt) throw new Error('dist/ has no Annoy.fromState: run `npm run build:ts` first');
}
