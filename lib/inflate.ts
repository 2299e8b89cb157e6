// Decompression of byte-mode state payloads that never allocates more than the payload can
// honestly need. A state may come from an untrusted source, and its declared rawSize is only a
// claim, so three bounds apply before and during inflation:
//  1. a cap on every declared size (maxInflatedBytes, 1 GiB by default, configurable);
//  2. for zlib and gzip, deflate's format limit: no stream inflates more than 1032 times its size;
//  3. the snapshot header (the first bytes of the stream, inflated alone first, with at most
//     1 MiB of output) must describe exactly rawSize bytes for the state's metric and f
//     (docs/format.md, "Snapshots").
// Inflation then stops at rawSize (zlib's maxOutputLength), and deserialize() checks the rest.
import { constants as bufferConstants } from 'buffer';
import * as zlib from 'zlib';

import { describe } from './describe';
import { AnnoyError, ErrorCodes } from './errors';
import { addon } from './native';
import { MetricName } from './types';

export type Compression = 'zlib' | 'gzip' | 'brotli';

/**
 * The default cap on the size a compressed state may declare: 1 GiB. Inflating costs about
 * twice the declared size at its peak (zlib's output pieces, then one joined buffer), plus the
 * index's own copy; 1 GiB keeps a forged state's worst case near 3 GiB, which a typical server
 * survives, while every index small enough to ship as bytes comfortably fits (larger ones
 * travel better in disk mode, which maps the file instead of copying it).
 */
export const DEFAULT_MAX_INFLATED_BYTES = 2 ** 30;

let maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES;

/** The largest snapshot a compressed state may declare (fromState, loads). */
export function getMaxInflatedBytes(): number {
  return maxInflatedBytes;
}

/**
 * Raises or lowers that cap for this process (and its worker threads' own copies of the
 * library). Only raise it for states from a trusted source: a forged state can make a restore
 * allocate about twice this much before its checksum fails.
 */
export function setMaxInflatedBytes(bytes: number): void {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 64 || bytes > bufferConstants.MAX_LENGTH) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `maxInflatedBytes: expected an integer from 64 to ${bufferConstants.MAX_LENGTH}, received ${describe(bytes)}`,
    );
  }
  maxInflatedBytes = bytes;
}

function corrupt(why: string): AnnoyError {
  return new AnnoyError(ErrorCodes.CORRUPT, `not a valid annoy-napi state: ${why}`);
}

const DEFLATE_MAX_RATIO = 1032;
const HEADER_BYTES = 64;
// Enough of the header to know the snapshot's size: up to and including the root count.
const SIZE_FIELDS_BYTES = 48;

/** Bounds 1 and 2: refuses a declared size before anything is inflated. */
export function checkDeclaredSize(mode: Compression, compressedBytes: number, rawSize: number): void {
  if (rawSize < HEADER_BYTES) throw corrupt(`declared size ${rawSize} is smaller than a snapshot header`);
  if (rawSize > maxInflatedBytes) {
    throw corrupt(
      `declared size ${rawSize} bytes is above the ${maxInflatedBytes} a compressed state may inflate to; ` +
        'if the state is trusted, raise the limit with setMaxInflatedBytes() or use a disk-mode state',
    );
  }
  if (mode !== 'brotli' && rawSize > compressedBytes * DEFLATE_MAX_RATIO + HEADER_BYTES) {
    throw corrupt(`declared size ${rawSize} bytes is more than ${compressedBytes} bytes of ${mode} can inflate to`);
  }
}

function inflate(mode: Compression, input: Uint8Array, maxOutputLength: number, partial: boolean): Buffer {
  const options: zlib.ZlibOptions & zlib.BrotliOptions = { maxOutputLength };
  // A flush instead of a finish lets a prefix of the stream decode without an end-of-stream error.
  if (partial)
    options.finishFlush = mode === 'brotli' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH;
  if (mode === 'zlib') return zlib.inflateSync(input, options);
  if (mode === 'gzip') return zlib.gunzipSync(input, options);
  return zlib.brotliDecompressSync(input, options);
}

const PROBE_OUTPUT = 1 << 20;
const PROBE_INPUT = 1 << 16;

function isTooLarge(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** What a prefix of `prefix` input bytes inflates to, or null when that is over PROBE_OUTPUT. */
function inflatePrefix(mode: Compression, bytes: Uint8Array, prefix: number): Buffer | null {
  try {
    return inflate(mode, bytes.subarray(0, prefix), PROBE_OUTPUT, true);
  } catch (err) {
    if (isTooLarge(err)) return null;
    throw corrupt(`the ${mode} payload is not a valid stream (${(err as Error).message})`);
  }
}

/**
 * The first bytes of the inflated stream (at least SIZE_FIELDS_BYTES), inflating growing
 * prefixes of the input with at most PROBE_OUTPUT bytes of output each. Brotli can expand a
 * few bytes enormously, so a prefix that overflows is narrowed down by bisection. A genuine
 * snapshot always gives up its header this way: its first 64 bytes hold a seed and two
 * checksums, which no copy of fewer than 64 earlier bytes can produce, so they come out as
 * literals before any long copy. A stream that yields no header is refused as corrupt.
 */
function probeHeader(mode: Compression, bytes: Uint8Array): Buffer {
  let short = 0;
  for (let prefix = Math.min(64, bytes.length); ; prefix = Math.min(prefix * 4, bytes.length)) {
    const out = inflatePrefix(mode, bytes, prefix);
    const head = out === null ? bisectHeader(mode, bytes, short, prefix) : out;
    if (head !== null && (head.length >= SIZE_FIELDS_BYTES || prefix === bytes.length)) return head;
    if (head === null || prefix >= PROBE_INPUT) {
      throw corrupt(
        `the ${mode} payload does not begin with a snapshot header (its first bytes inflate to nothing or to far more)`,
      );
    }
    short = prefix;
  }
}

function bisectHeader(mode: Compression, bytes: Uint8Array, short: number, overflowing: number): Buffer | null {
  let lo = short;
  let hi = overflowing;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const out = inflatePrefix(mode, bytes, mid);
    if (out === null) hi = mid;
    else if (out.length >= SIZE_FIELDS_BYTES) return out;
    else lo = mid;
  }
  return null;
}

const METRIC_IDS: Record<MetricName, number> = { angular: 0, euclidean: 1, manhattan: 2, dot: 3, hamming: 4 };

/** Bytes per node for a metric and f (docs/format.md, "Annoy files"). */
const GRAPH_HEADER_BYTES = 64;
const MAX_GRAPH_DEGREE = 1024;

function nodeSize(metric: MetricName, f: number): number {
  if (metric === 'hamming') return 16 + 8 * Math.ceil(f / 64);
  return (metric === 'angular' ? 12 : 16) + 4 * f;
}

/** Bound 3: the header must be a snapshot header of this metric and f, of exactly rawSize bytes. */
function checkHeader(head: Buffer, rawSize: number, metric: MetricName, f: number): void {
  if (head.length < SIZE_FIELDS_BYTES)
    throw corrupt(`the payload inflates to ${head.length} bytes, less than a snapshot header`);
  if (head.toString('latin1', 0, 8) !== 'ANNOYNJS')
    throw corrupt('the payload is not a serialize() snapshot (no magic number)');
  if (head.readUInt32LE(8) !== 1 || head.readUInt32LE(12) !== HEADER_BYTES)
    throw corrupt('the snapshot header has an unknown version or size');
  if (head.readUInt32LE(16) !== METRIC_IDS[metric])
    throw corrupt(`the snapshot is not of the state's metric (${metric})`);
  if (head.readInt32LE(20) !== f)
    throw corrupt(`the snapshot's dimension ${head.readInt32LE(20)} is not the state's f = ${f}`);
  const size = head.readUInt32LE(24);
  if (size !== nodeSize(metric, f))
    throw corrupt(`the snapshot's node size ${size} is not ${nodeSize(metric, f)} (${metric}, f = ${f})`);
  const nodes = head.readUInt32LE(32) + head.readUInt32LE(36) * 2 ** 32;
  const items = head.readInt32LE(40);
  if (nodes > 2 ** 31 - 1 || items < 0 || items > nodes) throw corrupt('the snapshot header has impossible counts');
  const expected = HEADER_BYTES + 4 * head.readUInt32LE(44) + size * nodes;
  // A neighbour graph may follow the forest: its 64-byte header and items x degree (at most
  // 1024) ids; deserialize() checks it exactly.
  const graphMax = rawSize === expected ? 0 : GRAPH_HEADER_BYTES + items * MAX_GRAPH_DEGREE * 4;
  if (
    rawSize < expected ||
    (rawSize > expected && rawSize - expected < GRAPH_HEADER_BYTES) ||
    rawSize > expected + graphMax
  )
    throw corrupt(`the snapshot header describes ${expected} bytes, the state declares ${rawSize}`);
  if (head.length >= HEADER_BYTES && addon.crc32(head.subarray(0, 60)) !== head.readUInt32LE(60)) {
    throw corrupt('the snapshot header checksum does not match');
  }
}

/** The snapshot inside a compressed payload, never inflated past rawSize. */
export function inflateSnapshot(
  mode: Compression,
  bytes: Uint8Array,
  rawSize: number,
  metric: MetricName,
  f: number,
): Uint8Array {
  checkDeclaredSize(mode, bytes.length, rawSize);
  checkHeader(probeHeader(mode, bytes), rawSize, metric, f);
  let out: Buffer;
  try {
    out = inflate(mode, bytes, rawSize, false);
  } catch (err) {
    throw corrupt(
      `the ${mode} payload does not decompress to its declared ${rawSize} bytes (${(err as Error).message})`,
    );
  }
  if (out.length !== rawSize) throw corrupt(`the ${mode} payload holds ${out.length} bytes, ${rawSize} were declared`);
  return out;
}
