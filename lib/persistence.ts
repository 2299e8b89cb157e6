// The seed's PickleMixin for Node: an index as a plain "state" object (byte mode: its snapshot,
// optionally compressed; disk mode: the path of the file every reader maps) and as one
// self-describing Buffer (dumps/loads). States survive structuredClone, v8.serialize and
// worker.postMessage. Nothing here trusts its input: every field is checked before use.
import * as path from 'path';
import * as zlib from 'zlib';

import { describe, readSafely } from './describe';
import { AnnoyError, ErrorCodes } from './errors';
import { inflateSnapshot } from './inflate';
import { backingBuffer, bytesOf, isDetached } from './intrinsics';
import { checkFileUnchanged } from './disk-state';
import { addon, NativeIndex } from './native';
import { MetricName } from './types';
import { bytes as checkBytes, MAX_DIMENSION } from './validate';

export type PickleMode = 'auto' | 'byte' | 'disk';
export type CompressMode = null | 'zlib' | 'gzip' | 'brotli';

export const PICKLE_MODES: readonly PickleMode[] = ['auto', 'byte', 'disk'];
export const COMPRESS_MODES: readonly CompressMode[] = [null, 'zlib', 'gzip', 'brotli'];
export const STATE_VERSION = 1;
const STATE_FORMAT = 'annoy-napi-state';
const METRICS: readonly MetricName[] = ['angular', 'euclidean', 'manhattan', 'dot', 'hamming'];

/** zlib and gzip compress the snapshot in chunks of this many bytes, so that compressing a large
 * index never needs a second full copy of it in memory. */
export const CHUNK_BYTES = 16 * 1024 * 1024;

export interface AnnoyState {
  format: typeof STATE_FORMAT;
  version: number;
  f: number;
  metric: MetricName;
  seed: bigint;
  /** The mode that was asked for. */
  pickleMode: PickleMode;
  /** The mode used: 'auto' resolved. */
  mode: 'byte' | 'disk';
  compressMode: CompressMode;
  prefault: boolean;
  /** Byte mode: the serialize() snapshot; when compressMode is set, one standard stream of that
   * format (zlib.inflateSync, gunzip, brotliDecompressSync read it). */
  bytes?: Uint8Array;
  /** Byte mode: the snapshot's length before compression. */
  rawSize?: number;
  /** Disk mode: the absolute path of the index file, its size and CRC-32 when the state was taken. */
  path?: string;
  fileSize?: number;
  fileCrc32?: number;
  /** Disk mode: whether the index served a neighbour graph from the file's sidecar, which the
   * restored index must then find there too. */
  graph?: boolean;
}

export interface PersistenceSettings {
  pickleMode: PickleMode;
  compressMode: CompressMode;
  prefault: boolean;
}

function corrupt(why: string): AnnoyError {
  return new AnnoyError(ErrorCodes.CORRUPT, `not a valid annoy-napi state: ${why}`);
}

export function checkPickleMode(value: unknown): PickleMode {
  if (!PICKLE_MODES.includes(value as PickleMode)) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `pickle_mode: expected one of 'auto', 'byte', 'disk', received ${describe(value)}`,
    );
  }
  return value as PickleMode;
}

export function checkCompressMode(value: unknown): CompressMode {
  const normalized = value === undefined ? null : value;
  if (!COMPRESS_MODES.includes(normalized as CompressMode)) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `compress_mode: expected one of null, 'zlib', 'gzip', 'brotli', received ${describe(value)}`,
    );
  }
  return normalized as CompressMode;
}

// ---------------------------------------------------------------- compression

const BROTLI_OPTIONS = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
// What Node's own gzipSync writes: no name, mtime 0 (so the same index gives the same bytes), Unix.
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
const ZLIB_HEADER = Buffer.from([0x78, 0x9c]);

/**
 * The snapshot in pieces of at most CHUNK_BYTES, straight from the index's memory, each handed
 * to `use` (with whether it is the last) in one reused buffer.
 */
function forEachSnapshotChunk(native: NativeIndex, use: (chunk: Uint8Array, last: boolean) => void): number {
  const head = native.serializeHead();
  const nodesEnd = head.length + native.state().nodeBytes;
  // The graph's image follows the nodes (docs/format.md "Snapshots"); it is small beside them.
  const graph = native.serializeGraph();
  const rawSize = nodesEnd + graph.length;
  const scratch = new Uint8Array(Math.min(CHUNK_BYTES, rawSize));
  for (let start = 0; start < rawSize; start += CHUNK_BYTES) {
    const end = Math.min(rawSize, start + CHUNK_BYTES);
    const chunk = scratch.subarray(0, end - start);
    let filled = 0;
    if (start < head.length) {
      filled = Math.min(head.length, end) - start;
      chunk.set(head.subarray(start, start + filled));
    }
    const nodesTo = Math.min(end, nodesEnd) - start;
    if (filled < nodesTo) {
      native.copyNodeBytes(start + filled - head.length, chunk.subarray(filled, nodesTo));
      filled = nodesTo;
    }
    if (filled < chunk.length) chunk.set(graph.subarray(start + filled - nodesEnd, end - nodesEnd), filled);
    use(chunk, end === rawSize);
  }
  return rawSize;
}

/**
 * One standard zlib or gzip stream, compressed chunk by chunk: each chunk is raw deflate from a
 * fresh compressor ending in a full flush (so the next chunk's blocks may follow it), the last
 * ends the stream; the header and checksum trailer are added here. Peak memory is one chunk
 * plus the compressed output, however large the index.
 */
function deflateInChunks(native: NativeIndex, format: 'zlib' | 'gzip'): { bytes: Buffer; rawSize: number } {
  const parts: Buffer[] = [format === 'zlib' ? ZLIB_HEADER : GZIP_HEADER];
  let checksum = format === 'zlib' ? 1 : 0;
  const rawSize = forEachSnapshotChunk(native, (chunk, last) => {
    parts.push(
      zlib.deflateRawSync(chunk, { finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_FULL_FLUSH }),
    );
    checksum = format === 'zlib' ? addon.adler32(chunk, checksum) : addon.crc32(chunk, checksum);
  });
  const trailer = Buffer.alloc(format === 'zlib' ? 4 : 8);
  if (format === 'zlib') {
    trailer.writeUInt32BE(checksum >>> 0, 0);
  } else {
    trailer.writeUInt32LE(checksum >>> 0, 0);
    trailer.writeUInt32LE(rawSize % 2 ** 32, 4);
  }
  parts.push(trailer);
  return { bytes: Buffer.concat(parts), rawSize };
}

function compressedSnapshot(
  native: NativeIndex,
  mode: Exclude<CompressMode, null>,
): { bytes: Buffer; rawSize: number } {
  if (mode !== 'brotli') return deflateInChunks(native, mode);
  // Brotli streams cannot be joined, and Node has no synchronous streaming compressor: brotli
  // compresses the whole snapshot at once (one full copy of it while it runs).
  const snapshot = native.serialize();
  return { bytes: zlib.brotliCompressSync(snapshot, BROTLI_OPTIONS), rawSize: snapshot.length };
}

function decompressedSnapshot(state: AnnoyState, bytes: Uint8Array): Uint8Array {
  if (state.compressMode === null) return bytes;
  return inflateSnapshot(state.compressMode, bytes, state.rawSize as number, state.metric, state.f);
}

// ---------------------------------------------------------------- states

// The fields every state has, in one order: what toState() writes and checkState() rebuilds.
function stateBase(f: number, metric: MetricName, seed: bigint, settings: PersistenceSettings) {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    f,
    metric,
    seed,
    pickleMode: settings.pickleMode,
    compressMode: settings.compressMode,
    prefault: settings.prefault,
  } as const;
}

export function captureState(native: NativeIndex, settings: PersistenceSettings): AnnoyState {
  const s = native.state();
  if (s.f === 0) {
    throw new AnnoyError(ErrorCodes.DIMENSION_UNKNOWN, 'toState: the index has no dimension yet (f = 0 and no items)');
  }
  // A graph the file's sidecar does not hold could not come back from the file's path.
  const graphOnDisk = s.graph === null || s.graph.inSidecar;
  const diskReady = s.path !== null && s.built && graphOnDisk;
  if (settings.pickleMode === 'disk' && !diskReady) {
    throw new AnnoyError(
      ErrorCodes.INVALID_STATE,
      graphOnDisk
        ? "pickle_mode 'disk': the index has no complete file to refer to; call save(), load() or onDiskBuild() then build() first, or use pickle_mode 'byte'"
        : "pickle_mode 'disk': the index's graph is not in the sidecar beside its file; call save() first, or use pickle_mode 'byte'",
    );
  }
  const base = stateBase(s.f, s.metric as MetricName, s.seed, settings);
  if (settings.pickleMode === 'disk' || (settings.pickleMode === 'auto' && diskReady)) {
    // The checksum is of what this index serves, and fails if its path now names another file
    // (replaced by a save from elsewhere) or none: the state must restore this index.
    const fileCrc32 = native.fileChecksum();
    const file = { path: path.resolve(s.path as string), fileSize: s.nodeBytes, fileCrc32, graph: s.graph !== null };
    return { ...base, mode: 'disk', ...file };
  }
  if (settings.compressMode === null) {
    const bytes = native.serialize();
    return { ...base, mode: 'byte', bytes, rawSize: bytes.length };
  }
  return { ...base, mode: 'byte', ...compressedSnapshot(native, settings.compressMode) };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

const STATE_FIELDS = [
  'format',
  'version',
  'f',
  'metric',
  'seed',
  'pickleMode',
  'compressMode',
  'prefault',
  'mode',
  'bytes',
  'rawSize',
  'path',
  'fileSize',
  'fileCrc32',
  'graph',
] as const;

/** Each field of an untrusted state read once: getters and Proxy traps run here and nowhere
 * later, and whatever they throw is ANNOY_CORRUPT. */
function readFields(value: unknown): Record<(typeof STATE_FIELDS)[number], unknown> {
  if (!isObject(value)) throw corrupt(`expected an object, received ${describe(value)}`);
  return readSafely(
    'state',
    () => {
      const fields = {} as Record<(typeof STATE_FIELDS)[number], unknown>;
      for (const key of STATE_FIELDS) fields[key] = value[key];
      return fields;
    },
    ErrorCodes.CORRUPT,
  );
}

/** A byte state's payload as a Uint8Array over the same memory, refused when detached. */
function payloadBytes(value: unknown): Uint8Array {
  if (!ArrayBuffer.isView(value)) throw corrupt(`a byte state needs bytes (a Uint8Array), received ${describe(value)}`);
  if (isDetached(backingBuffer(value) as ArrayBuffer))
    throw corrupt('the bytes of the state are detached (transferred to a worker or structuredClone?)');
  return bytesOf(value) as Uint8Array;
}

/** Checks every field of an untrusted state; returns a new, plain state of the checked values. */
export function checkState(value: unknown): AnnoyState {
  const s = readFields(value);
  if (s.format !== STATE_FORMAT) throw corrupt(`format is ${describe(s.format)}, expected "${STATE_FORMAT}"`);
  if (s.version !== STATE_VERSION)
    throw corrupt(`version ${describe(s.version)} is not supported (this is version ${STATE_VERSION})`);
  if (!isCount(s.f) || s.f === 0 || s.f > MAX_DIMENSION)
    throw corrupt(`f must be an integer from 1 to ${MAX_DIMENSION}, received ${describe(s.f)}`);
  if (!METRICS.includes(s.metric as MetricName)) {
    throw new AnnoyError(
      ErrorCodes.UNKNOWN_METRIC,
      `state.metric: expected one of ${METRICS.join(', ')}, received ${describe(s.metric)}`,
    );
  }
  if (typeof s.seed !== 'bigint' || s.seed < 0n || s.seed >= 1n << 64n)
    throw corrupt('seed must be a bigint in [0, 2^64)');
  if (!PICKLE_MODES.includes(s.pickleMode as PickleMode)) throw corrupt(`unknown pickleMode ${describe(s.pickleMode)}`);
  if (!COMPRESS_MODES.includes(s.compressMode as CompressMode))
    throw corrupt(`unknown compressMode ${describe(s.compressMode)}`);
  if (typeof s.prefault !== 'boolean') throw corrupt('prefault must be a boolean');
  const base = stateBase(s.f, s.metric as MetricName, s.seed, {
    pickleMode: s.pickleMode as PickleMode,
    compressMode: s.compressMode as CompressMode,
    prefault: s.prefault,
  });
  if (s.mode === 'disk') {
    // The native side takes the path as a C string: a NUL would cut it short.
    if (typeof s.path !== 'string' || s.path.length === 0 || s.path.includes('\0'))
      throw corrupt('a disk state needs a path');
    if (!isCount(s.fileSize) || !isCount(s.fileCrc32) || s.fileCrc32 > 0xffffffff)
      throw corrupt('a disk state needs fileSize and fileCrc32');
    if (s.graph !== undefined && typeof s.graph !== 'boolean') throw corrupt('graph must be a boolean');
    const file = { path: s.path, fileSize: s.fileSize, fileCrc32: s.fileCrc32, graph: s.graph === true };
    return { ...base, mode: 'disk', ...file };
  }
  if (s.mode !== 'byte') throw corrupt(`unknown mode ${describe(s.mode)}`);
  const bytes = payloadBytes(s.bytes);
  if (!isCount(s.rawSize)) throw corrupt('a byte state needs rawSize');
  // A compressed payload's rawSize is bounded when it is inflated (lib/inflate.ts).
  if (s.compressMode === null && s.rawSize !== bytes.byteLength) {
    throw corrupt(`rawSize ${s.rawSize} does not match the ${bytes.byteLength} bytes held`);
  }
  return { ...base, mode: 'byte', bytes, rawSize: s.rawSize };
}

/** A disk state taken with a graph needs the graph back from the file's sidecar. */
export function checkRestoredGraph(payload: { file: string; graph: boolean }, restoredHasGraph: boolean): void {
  if (payload.graph && !restoredHasGraph) {
    throw new AnnoyError(
      ErrorCodes.FILE_CHANGED,
      `the graph beside '${payload.file}' is missing or belongs to another file; save the index again`,
      { path: payload.file },
    );
  }
}

/** What restoring a checked state needs: the snapshot bytes, or the verified file to map. */
export function statePayload(state: AnnoyState): { snapshot: Uint8Array } | { file: string; graph: boolean } {
  if (state.mode === 'disk') {
    checkFileUnchanged(state);
    return { file: state.path as string, graph: state.graph === true };
  }
  return { snapshot: decompressedSnapshot(state, state.bytes as Uint8Array) };
}

// ---------------------------------------------------------------- dumps / loads

// Layout: magic "ANNOYPKL", u32 version, u32 meta length, the state's fields except bytes as
// JSON (seed as a decimal string), the payload bytes, then a CRC-32 of everything before it.
const DUMP_MAGIC = Buffer.from('ANNOYPKL', 'latin1');

export function encodeDump(state: AnnoyState): Buffer {
  const { bytes, ...fields } = state;
  const meta = Buffer.from(JSON.stringify({ ...fields, seed: state.seed.toString() }), 'utf8');
  const head = Buffer.alloc(16);
  DUMP_MAGIC.copy(head, 0);
  head.writeUInt32LE(STATE_VERSION, 8);
  head.writeUInt32LE(meta.length, 12);
  const payload = bytes ?? new Uint8Array(0);
  const out = Buffer.allocUnsafe(16 + meta.length + payload.length + 4);
  head.copy(out, 0);
  meta.copy(out, 16);
  out.set(payload, 16 + meta.length);
  out.writeUInt32LE(addon.crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

export function decodeDump(value: unknown): AnnoyState {
  const view = checkBytes(value, 'loads');
  const buf = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  if (buf.length < 20 || !buf.subarray(0, 8).equals(DUMP_MAGIC)) throw corrupt('the dumps() magic number is missing');
  const version = buf.readUInt32LE(8);
  if (version !== STATE_VERSION)
    throw corrupt(`dump version ${version} is not supported (this is version ${STATE_VERSION})`);
  const metaLength = buf.readUInt32LE(12);
  if (16 + metaLength + 4 > buf.length) throw corrupt('the dump is truncated');
  if (addon.crc32(buf.subarray(0, buf.length - 4)) !== buf.readUInt32LE(buf.length - 4))
    throw corrupt('the dump checksum does not match');
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(buf.subarray(16, 16 + metaLength).toString('utf8'));
  } catch {
    throw corrupt('the dump metadata is not valid JSON');
  }
  // At most 20 digits (2^64 - 1 has 20): BigInt() of a megabyte of digits would take seconds.
  if (!isObject(fields) || typeof fields.seed !== 'string' || !/^\d{1,20}$/.test(fields.seed))
    throw corrupt('the dump metadata has no valid seed');
  const state: Record<string, unknown> = { ...fields, seed: BigInt(fields.seed) };
  if (fields.mode === 'byte') state.bytes = buf.subarray(16 + metaLength, buf.length - 4);
  return checkState(state);
}
