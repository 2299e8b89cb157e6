// Helpers for the neighbour-graph tests (test/graph): clustered and uniform data for every metric,
// indexes with and without a graph, exact answers and a tie-tolerant recall, answer lists for
// comparing two indexes, and the sidecar's layout (cpp/graph_file.h) with a resealer that fixes
// its checksums after an edit, so that a test reaches the check behind them.
import * as fs from 'fs';
import * as zlib from 'zlib';

import { Annoy } from '../../lib';
import type { QueryOptions } from '../../lib';
import { mulberry32, Rng } from './random';
import { exhaustiveSearchK, MetricName, vectorsFor } from './serving';

export type DataKind = 'clustered' | 'uniform';
export const DATA_KINDS: DataKind[] = ['clustered', 'uniform'];

/** n rows for `metric`: 'uniform' is vectorsFor's gaussians (random bits for hamming);
 * 'clustered' is points around 16 centres chosen by `seed` (hamming: each centre bit flipped with
 * p = 0.1); `pointSeed` draws the points (queries: the data's seed, another pointSeed). */
export function graphRows(
  metric: MetricName,
  n: number,
  f: number,
  kind: DataKind,
  seed: number,
  pointSeed = seed,
): number[][] {
  if (kind === 'uniform') return vectorsFor(metric, n, f, pointSeed);
  const rng = new Rng(pointSeed);
  const centres = vectorsFor(metric, 16, f, seed + 1);
  const flip = mulberry32(pointSeed + 2);
  return Array.from({ length: n }, () => {
    const c = centres[rng.int(centres.length)];
    return metric === 'hamming'
      ? c.map((bit) => (flip() < 0.1 ? 1 - bit : bit))
      : c.map((x) => 3 * x + 0.5 * rng.gaussian());
  });
}

export interface GraphIndexOptions {
  trees?: number;
  seed?: number;
  degree?: number;
  nJobs?: number;
  /** Ids never added (holes below n_items). */
  holes?: readonly number[];
  /** false: the trees only (the index to compare a graph index with). */
  graph?: boolean;
}

/** An index of `rows` (row i as item i, but holes), trees built on one job with a fixed seed,
 * then (unless graph: false) its graph. */
export function graphIndex(metric: MetricName, rows: readonly number[][], opts: GraphIndexOptions = {}): Annoy {
  const index = new Annoy(rows[0].length, metric);
  index.setSeed(opts.seed ?? 42);
  const holes = new Set(opts.holes ?? []);
  rows.forEach((v, i) => {
    if (!holes.has(i)) index.addItem(i, v);
  });
  index.build(opts.trees ?? 8, 1);
  if (opts.graph !== false) index.buildGraph({ degree: opts.degree, nJobs: opts.nJobs ?? 1 });
  return index;
}

/** The exact k nearest by the trees (every leaf visited), ignoring any graph. */
export function exactAnswer(index: Annoy, v: readonly number[], k: number): [number[], number[]] {
  return index.getNnsByVector(v as number[], k, { graph: false, searchK: exhaustiveSearchK(index) });
}

/** Whether distance a ranks no worse than b (dot: larger is nearer), with a float tolerance. */
export function noWorse(metric: MetricName, a: number, b: number): boolean {
  const tol = 1e-5 * Math.max(1, Math.abs(b));
  return metric === 'dot' ? a >= b - tol : a <= b + tol;
}

/** recall@k of `answer` against `exact`: the share of the exact k that the answer matches, where
 * an answer id counts when it is distinct and no farther than the exact k-th (ties are equal). */
export function hits(metric: MetricName, answer: [number[], number[]], exact: [number[], number[]]): number {
  const k = exact[0].length;
  const kth = exact[1][k - 1];
  let found = 0;
  const seen = new Set<number>();
  answer[0].forEach((id, j) => {
    if (!seen.has(id) && noWorse(metric, answer[1][j], kth)) found += 1;
    seen.add(id);
  });
  return Math.min(found, k);
}

/** recall@k over `queries` of the graph search with `options` (exact: the trees, exhaustively). */
export function graphRecall(index: Annoy, queries: readonly number[][], k: number, options: QueryOptions): number {
  let found = 0;
  for (const q of queries) found += hits(index.metric, index.getNnsByVector(q, k, options), exactAnswer(index, q, k));
  return found / (queries.length * k);
}

/** getNnsByVector and getNnsByItem answers for `queries` and `items`: what two indexes compare. */
export function answerList(
  index: Annoy,
  queries: readonly number[][],
  items: readonly number[],
  k: number,
  options: QueryOptions = {},
): unknown[] {
  return [
    ...queries.map((q) => index.getNnsByVector(q, k, options)),
    ...items.map((i) => index.getNnsByItem(i, k, options)),
  ];
}

// ---------------------------------------------------------------------------------------------
// The sidecar (cpp/graph_file.h, cpp/graph_file.cc): a 64-byte header, then n_items x degree int32.

export const SIDECAR = {
  magic: 0,
  version: 8,
  headerSize: 12,
  metric: 16,
  f: 20,
  nItems: 24,
  degree: 28,
  annBytes: 32,
  annCrc: 40,
  edges: 48,
  rowsCrc: 56,
  headerCrc: 60,
  header: 64,
} as const;

export function sidecarPath(annPath: string): string {
  return `${annPath}.graph`;
}

export function readSidecar(annPath: string): Buffer {
  return fs.readFileSync(sidecarPath(annPath));
}

/** The byte offset of slot `slot` of item `item`'s row. */
export function slotOffset(sidecar: Buffer, item: number, slot: number): number {
  return SIDECAR.header + 4 * (item * sidecar.readInt32LE(SIDECAR.degree) + slot);
}

/** A copy of `sidecar` changed by `edit`, with the rows' and the header's CRC-32 made right again. */
export function resealed(sidecar: Buffer, edit: (copy: Buffer) => void): Buffer {
  const copy = Buffer.from(sidecar);
  edit(copy);
  copy.writeUInt32LE(zlib.crc32(copy.subarray(SIDECAR.header)), SIDECAR.rowsCrc);
  copy.writeUInt32LE(zlib.crc32(copy.subarray(0, SIDECAR.headerCrc)), SIDECAR.headerCrc);
  return copy;
}

/** Collects an index's verbose messages (level 1) into the returned array. */
export function captureLog(index: Annoy): string[] {
  const lines: string[] = [];
  index.verbose(1);
  index.logger = (_level, message) => {
    lines.push(message);
  };
  return lines;
}
