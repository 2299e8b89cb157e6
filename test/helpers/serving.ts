// Helpers for the "Serving from Node" tests (test/serving): deterministic flat data, built indexes
// for every metric, row access into batch results, exact reference rankings, rejection matching
// by code, an event-loop tick counter, a Node child runner that accepts node flags
// (--expose-gc) and worker_threads scripts; both load the compiled package (dist/).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { types } from 'util';

import { Annoy } from '../../lib';
import { makeBitVectors, makeVectors, mulberry32 } from './random';
import { ChildResult, childResult, CodedError, describeChild, REPO_ROOT, tmpDir, tmpPath } from './tmp';

export type MetricName = 'angular' | 'euclidean' | 'manhattan' | 'dot' | 'hamming';
export const METRICS: MetricName[] = ['angular', 'euclidean', 'manhattan', 'dot', 'hamming'];

/** n deterministic vectors for `metric` (0/1 bits for hamming, gaussians otherwise). */
export function vectorsFor(metric: MetricName, n: number, f: number, seed: number): number[][] {
  return metric === 'hamming' ? makeBitVectors(n, f, seed) : makeVectors(n, f, seed);
}

/** Rows packed into one flat Float32Array (m x f, row-major). */
export function flatten(rows: readonly ArrayLike<number>[], f = rows.length > 0 ? rows[0].length : 0): Float32Array {
  const out = new Float32Array(rows.length * f);
  rows.forEach((r, i) => out.set(Array.from(r), i * f));
  return out;
}

const uniformCache = new Map<string, Float32Array>();

/** Deterministic uniform values in [-1, 1) as one flat Float32Array (memoized: do not modify). */
export function flatUniform(n: number, f: number, seed: number): Float32Array {
  const key = `${n}x${f}:${seed}`;
  const cached = uniformCache.get(key);
  if (cached !== undefined) return cached;
  const uniform = mulberry32(seed);
  const out = new Float32Array(n * f);
  for (let i = 0; i < out.length; i++) out[i] = uniform() * 2 - 1;
  uniformCache.set(key, out);
  return out;
}

export interface BuiltOptions {
  trees?: number;
  seed?: number;
  dataSeed?: number;
  /** Item ids never added (holes below n_items). */
  holes?: readonly number[];
}

/** An index of `n` items of dimension `f`, built with one job and a fixed seed. */
export function builtIndex(
  metric: MetricName,
  n: number,
  f: number,
  opts: BuiltOptions = {},
): { index: Annoy; items: number[][] } {
  const items = vectorsFor(metric, n, f, opts.dataSeed ?? 11);
  const holes = new Set(opts.holes ?? []);
  const index = new Annoy(f, metric);
  index.setSeed(opts.seed ?? 42);
  items.forEach((v, i) => {
    if (!holes.has(i)) index.addItem(i, v);
  });
  index.build(opts.trees ?? 8, 1);
  return { index, items };
}

/** builtIndex(metric, n, f, opts).index, made on first use for each metric and then shared. */
export function indexPerMetric(n: number, f: number, opts: BuiltOptions = {}): (metric: MetricName) => Annoy {
  const indexes = new Map<MetricName, Annoy>();
  return (metric) => {
    let index = indexes.get(metric);
    if (index === undefined) {
      index = builtIndex(metric, n, f, opts).index;
      indexes.set(metric, index);
    }
    return index;
  };
}

/** The batch-query cases [metric, threads, searchK]: every metric, threads 1 and 2, searchK -1
 * and `searchK`, in that nesting order. */
export function batchCases(searchK: number): Array<[MetricName, number, number]> {
  return METRICS.flatMap((metric) =>
    [1, 2].flatMap((threads) => [-1, searchK].map((k): [MetricName, number, number] => [metric, threads, k])),
  );
}

/** An unbuilt index of n x f uniform items (large-data cases: async build, timers). */
export function filledIndex(metric: MetricName, n: number, f: number, seed = 5): Annoy {
  const index = new Annoy(f, metric);
  index.setSeed(99);
  index.addItems(flatUniform(n, f, seed));
  return index;
}

export interface BatchLike {
  ids: Int32Array;
  distances: Float32Array;
  counts: Uint32Array;
}

/** Row i of a batch result as plain arrays (its counts[i] results only). */
export function row(result: BatchLike, i: number, k: number): [number[], number[]] {
  const c = result.counts[i];
  const ids = Array.from(result.ids.subarray(i * k, i * k + c));
  const distances = result.distances.length === 0 ? [] : Array.from(result.distances.subarray(i * k, i * k + c));
  return [ids, distances];
}

/** Checks the typed-array shapes of a batch result of m rows x k (values come from Node's realm). */
export function expectBatchShape(result: BatchLike, m: number, k: number, withDistances = true): void {
  expect(types.isInt32Array(result.ids)).toBe(true);
  expect(types.isFloat32Array(result.distances)).toBe(true);
  expect(types.isUint32Array(result.counts)).toBe(true);
  expect(result.ids.length).toBe(m * k);
  expect(result.distances.length).toBe(withDistances ? m * k : 0);
  expect(result.counts.length).toBe(m);
  for (let i = 0; i < m; i++) {
    const c = result.counts[i];
    expect(c).toBeLessThanOrEqual(k);
    for (let j = c; j < k; j++) {
      expect(result.ids[i * k + j]).toBe(-1);
      if (withDistances) expect(Number.isNaN(result.distances[i * k + j])).toBe(true);
    }
  }
}

/** A search_k that visits every leaf of every tree: the answer is then exact. */
export function exhaustiveSearchK(index: Annoy): number {
  return index.getNItems() * Math.max(1, index.getNTrees()) * 4 + 16;
}

/** The exact ranking of every item for a vector (ties to the smaller id, as the searcher orders). */
export function exactByVector(index: Annoy, v: ArrayLike<number>): [number[], number[]] {
  return index.getNnsByVector(Array.from(v), index.getNItems(), exhaustiveSearchK(index), true);
}

export function exactByItem(index: Annoy, i: number): [number[], number[]] {
  return index.getNnsByItem(i, index.getNItems(), exhaustiveSearchK(index), true);
}

/** The first k entries of an exact ranking that pass `keep`. */
export function filterRanking(
  ranking: [number[], number[]],
  keep: (id: number) => boolean,
  k: number,
): [number[], number[]] {
  const ids: number[] = [];
  const distances: number[] = [];
  for (let j = 0; j < ranking[0].length && ids.length < k; j++) {
    if (keep(ranking[0][j])) {
      ids.push(ranking[0][j]);
      distances.push(ranking[1][j]);
    }
  }
  return [ids, distances];
}

/**
 * Awaits `promise` and asserts that it rejects with an AnnoyError (by `name`) of `code`.
 * Returns the error for further checks (message, stack).
 */
export async function expectRejectCode(
  promise: Promise<unknown>,
  code: string | readonly string[],
): Promise<CodedError> {
  const codes = typeof code === 'string' ? [code] : code;
  let value: unknown;
  try {
    value = await promise;
  } catch (e) {
    const err = e as Partial<CodedError> | null;
    if (!err || err.name !== 'AnnoyError' || typeof err.code !== 'string' || !codes.includes(err.code)) {
      throw new Error(
        `expected a rejection with AnnoyError code ${codes.join(' or ')}, but got ${err?.name}(${err?.code}): ${err?.message}`,
        { cause: e },
      );
    }
    expect(typeof err.message).toBe('string');
    expect((err.message as string).length).toBeGreaterThan(0);
    return err as CodedError;
  }
  throw new Error(
    `expected a rejection with AnnoyError code ${codes.join(' or ')}, but it resolved to ${String(value)}`,
  );
}

/**
 * Counts setInterval(…, 1) ticks while `work` runs: a functional check that the event loop keeps
 * turning. Returns the work's value and the tick count.
 */
export async function countTicks<T>(work: () => Promise<T> | T): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 1);
  try {
    const value = await work();
    return { value, ticks };
  } finally {
    clearInterval(timer);
  }
}

/** Resolves after the event loop has turned a few times (pending callbacks have run). */
export async function settle(ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise((resolve) => setImmediate(resolve));
}

// ---------------------------------------------------------------------------------------------
// Code run outside jest: child processes (with node flags) and worker threads. Both load the
// compiled package from dist/, rebuilt with `npm run build:ts` when any lib/*.ts is newer.

export const DIST_DIR = path.join(REPO_ROOT, 'dist');

/** Makes sure dist/ holds the current lib/ (runs `npm run build:ts` when it is stale). */
export function ensureDist(): void {
  const libDir = path.join(REPO_ROOT, 'lib');
  const stale = fs.readdirSync(libDir).some((name) => {
    if (!name.endsWith('.ts')) return false;
    const js = path.join(DIST_DIR, name.replace(/\.ts$/, '.js'));
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(libDir, name)).mtimeMs;
  });
  if (!stale) return;
  const res = spawnSync('npm', ['run', 'build:ts'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120000 });
  if (res.status !== 0) throw new Error(`npm run build:ts failed: ${res.stdout}\n${res.stderr}`);
}

/** JS that defines `lib` (the compiled package). */
export function libPrelude(): string {
  return `const lib = require(${JSON.stringify(DIST_DIR)});\n`;
}

/**
 * Runs `body` (plain JavaScript, CommonJS; `lib`, `input` and `emit(obj)` in scope) in a fresh
 * `node` with `nodeArgs` (e.g. ['--expose-gc']). emit writes one JSON line synchronously.
 * `virtualMemoryKb` caps the child's address space (`ulimit -v`), for cases that ask for
 * absurd amounts of memory.
 */
export function runNode(
  body: string,
  input: unknown,
  opts: { nodeArgs?: string[]; timeoutMs?: number; virtualMemoryKb?: number } = {},
): ChildResult {
  const script = tmpPath('serving-child.js');
  const inputPath = tmpPath('serving-child-input.json');
  fs.writeFileSync(inputPath, JSON.stringify(input ?? null));
  ensureDist();
  const preamble = `'use strict';
const __fs = require('fs');
${libPrelude()}
const input = JSON.parse(__fs.readFileSync(${JSON.stringify(inputPath)}, 'utf8'));
function emit(obj) { __fs.writeSync(1, JSON.stringify(obj) + '\\n'); }
`;
  fs.writeFileSync(script, preamble + '\n' + body + '\n');
  const nodeArgv = [...(opts.nodeArgs ?? []), script];
  const [command, argv] =
    opts.virtualMemoryKb === undefined
      ? [process.execPath, nodeArgv]
      : [
          '/bin/sh',
          ['-c', `ulimit -v ${Math.floor(opts.virtualMemoryKb)} && exec "$0" "$@"`, process.execPath, ...nodeArgv],
        ];
  const res = spawnSync(command, argv, {
    cwd: tmpDir(),
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  return childResult(res);
}

/** Writes a worker_threads script (`lib` from dist/ in scope, then `body`) and returns its path. */
export function writeWorkerScript(body: string): string {
  ensureDist();
  const script = tmpPath('serving-worker.js');
  fs.writeFileSync(script, `'use strict';\n${libPrelude()}\n${body}\n`);
  return script;
}

/** exit code 0, no signal, no timeout, nothing on stderr. */
export function expectCleanExit(res: ChildResult): void {
  const how = describeChild(res);
  if (res.timedOut || res.signal !== null || res.status !== 0) throw new Error(how);
  expect(res.stderr).toBe('');
}

/** JS for child scripts and workers: uniform(n, f, seed) (a flat Float32Array) and
 * filled(metric, n, f, seed) (an unbuilt index of it, seed 7). Needs `lib` in scope. */
export const CHILD_HELPERS = `
function uniform(n, f, seed) {
  let a = seed >>> 0;
  const out = new Float32Array(n * f);
  for (let i = 0; i < out.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
function filled(metric, n, f, seed) {
  const index = new lib.Annoy(f, metric);
  index.setSeed(7);
  index.addItems(uniform(n, f, seed));
  return index;
}
`;
