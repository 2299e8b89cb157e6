/**
 * The one place that names test fixtures, plus the small helpers the compat and annoy-suite
 * tests share: fixture readers, a per-run temp dir, a deterministic PRNG, error-code matching
 * and the tolerant comparison of recorded answers.
 *
 * Fixtures live in test/fixtures (copied from the shared golden files written by the original
 * C++ Annoy 1.17, one thread, the seed in the file name). See test/fixtures/README.md.
 */
import * as fs from 'fs';
import * as path from 'path';

import { Annoy } from '../../lib';
import { tmpDir, tmpPath } from './tmp';

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

/** Annoy's own binary fixture (test/test.tree upstream): angular, f=10, 100 items, 10 trees. */
export const UPSTREAM_TREE = path.join(FIXTURES_DIR, 'upstream-test.tree');

export type MetricName = 'angular' | 'euclidean' | 'manhattan' | 'dot' | 'hamming';
export const METRICS: MetricName[] = ['angular', 'euclidean', 'manhattan', 'dot', 'hamming'];
export const FLOAT_METRICS: MetricName[] = ['angular', 'euclidean', 'manhattan', 'dot'];

// ---------------------------------------------------------------------------------------------
// Golden fixture cases: METRIC-SEED-nN-fF[-holes]
// ---------------------------------------------------------------------------------------------

export interface FixtureCase {
  /** File stem, e.g. `angular-3-n300-f12-holes`. */
  name: string;
  metric: MetricName;
  seed: number;
  /** Number of vectors added (the N of the name). */
  nAdded: number;
  /** Dimension; for hamming the bit count. */
  f: number;
  holes: boolean;
  annPath: string;
  itemsPath: string;
  queriesPath: string;
  jsonPath: string;
}

export interface RecordedAnswer {
  n: number;
  search_k: number;
  ids: number[];
  distances: number[];
}
export interface ByVectorEntry extends RecordedAnswer {
  query: number;
}
export interface ByItemEntry extends RecordedAnswer {
  item: number;
}
export interface DistanceEntry {
  i: number;
  j: number;
  distance: number;
}
export interface FixtureJson {
  metric: MetricName;
  f: number;
  n_added: number;
  n_items: number;
  n_trees_built: number;
  seed: number;
  n_jobs: number;
  n_trees_after_load: number;
  ids: number[];
  by_vector: ByVectorEntry[];
  by_item: ByItemEntry[];
  distances: DistanceEntry[];
}

const CASE_RE = /^(angular|euclidean|manhattan|dot|hamming)-(\d+)-n(\d+)-f(\d+)(-holes)?\.json$/;

/** Parses a fixture file stem (with or without `.json`); null when it is not a fixture case. */
export function parseCaseName(fileName: string): FixtureCase | null {
  const base = fileName.endsWith('.json') ? fileName : `${fileName}.json`;
  const m = CASE_RE.exec(base);
  if (!m) return null;
  const name = base.slice(0, -'.json'.length);
  const p = (ext: string) => path.join(FIXTURES_DIR, `${name}${ext}`);
  return {
    name,
    metric: m[1] as MetricName,
    seed: Number(m[2]),
    nAdded: Number(m[3]),
    f: Number(m[4]),
    holes: m[5] !== undefined,
    annPath: p('.ann'),
    itemsPath: p('.items.f32'),
    queriesPath: p('.queries.f32'),
    jsonPath: p('.json'),
  };
}

/** Every golden case in test/fixtures, sorted by name. */
export function listFixtureCases(): FixtureCase[] {
  return fs
    .readdirSync(FIXTURES_DIR)
    .map(parseCaseName)
    .filter((c): c is FixtureCase => c !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads `rows x f` little-endian float32 values. */
export function readF32Rows(file: string, f: number): Float32Array[] {
  const buf = fs.readFileSync(file);
  if (f <= 0 || buf.length % (4 * f) !== 0) {
    throw new Error(`${file}: ${buf.length} bytes is not a whole number of ${f}-float rows`);
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const rows: Float32Array[] = [];
  for (let off = 0; off < buf.length; off += 4 * f) {
    const row = new Float32Array(f);
    for (let k = 0; k < f; k++) row[k] = dv.getFloat32(off + 4 * k, true);
    rows.push(row);
  }
  return rows;
}

export function readFixtureJson(c: FixtureCase): FixtureJson {
  return JSON.parse(fs.readFileSync(c.jsonPath, 'utf8')) as FixtureJson;
}

/** The vectors added, in the order of `json.ids` (hamming: 0.0/1.0 per bit). */
export function readItems(c: FixtureCase): Float32Array[] {
  return readF32Rows(c.itemsPath, c.f);
}

/** The 20 query vectors (hamming: 0.0/1.0 per bit). */
export function readQueries(c: FixtureCase): Float32Array[] {
  return readF32Rows(c.queriesPath, c.f);
}

export interface LoadedFixture {
  c: FixtureCase;
  json: FixtureJson;
  items: Float32Array[];
  queries: Float32Array[];
}

export function loadFixture(c: FixtureCase): LoadedFixture {
  const json = readFixtureJson(c);
  const items = readItems(c);
  const queries = readQueries(c);
  if (items.length !== json.ids.length) {
    throw new Error(`${c.name}: ${items.length} item rows for ${json.ids.length} ids`);
  }
  return { c, json, items, queries };
}

// ---------------------------------------------------------------------------------------------
// Per-run temp dir
// ---------------------------------------------------------------------------------------------

/**
 * Creates a fresh temp dir for this test file (under os.tmpdir(), never the CWD) and removes it
 * in afterAll. Call at the top level of a test file or inside a describe block.
 */
export function useTempDir(prefix = 'annoy-napi-test-'): { dir: string; file: (name: string) => string } {
  // Inside the per-run directory of tmp.ts, which its afterAll removes: one temp mechanism.
  const dir = fs.mkdtempSync(path.join(tmpDir(), prefix));
  return { dir, file: (name: string) => path.join(dir, name) };
}

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (mulberry32 + Box-Muller): tests never use Math.random
// ---------------------------------------------------------------------------------------------

export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Standard normal (Box-Muller). */
  gauss(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return mean + sd * s;
    }
    let u = 0;
    while (u <= Number.MIN_VALUE) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  gaussVec(f: number, mean = 0, sd = 1): number[] {
    const v: number[] = [];
    for (let k = 0; k < f; k++) v.push(this.gauss(mean, sd));
    return v;
  }

  /** A random direction (unit L2 norm). */
  unitVec(f: number): number[] {
    const v = this.gaussVec(f);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    return v.map((x) => x / norm);
  }

  /** Bits as 0/1 numbers (each set with probability 1/2). */
  bits(f: number): number[] {
    const v: number[] = [];
    for (let k = 0; k < f; k++) v.push(this.random() < 0.5 ? 1 : 0);
    return v;
  }

  /** k distinct values of [0, n), in random order (partial Fisher-Yates). */
  sample(n: number, k: number): number[] {
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, k);
  }
}

// ---------------------------------------------------------------------------------------------
// Errors: match by `code` (addon values come from Node's realm, so no instanceof / toThrow(Class))
// ---------------------------------------------------------------------------------------------

export function catchError(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts that fn throws an AnnoyError whose code is `code` (or one of `code`): tmp.ts's expectCode. */
export { expectCode as expectAnnoyError } from './tmp';

// ---------------------------------------------------------------------------------------------
// Result shapes: [ids, distances] when includeDistances (the default), ids otherwise
// ---------------------------------------------------------------------------------------------

// One implementation of each, in tmp.ts.
export { asIds, asPair } from './tmp';

// ---------------------------------------------------------------------------------------------
// Tolerant comparison of recorded answers
// ---------------------------------------------------------------------------------------------

export const REL_TOL = 1e-5;
export const ABS_TOL = 1e-6;

/** Within a relative 1e-5, or an absolute 1e-6 near 0. */
export function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(ABS_TOL, REL_TOL * Math.abs(expected));
}

/** Positions grouped into runs of consecutive distances that tie within the tolerance. */
export function tieGroups(distances: number[]): number[][] {
  const groups: number[][] = [];
  for (let k = 0; k < distances.length; k++) {
    if (k > 0 && closeTo(distances[k], distances[k - 1])) groups[groups.length - 1].push(k);
    else groups.push([k]);
  }
  return groups;
}

/**
 * Compares an answer with a recorded one: same length; distances position by position within
 * the tolerance; ids identical except that ids inside a tie group (consecutive recorded
 * distances equal within the tolerance) may come in any order. Returns null when they agree,
 * else a description of the first difference.
 */
export function answerMismatch(
  actualIds: number[],
  actualDistances: number[],
  expectedIds: number[],
  expectedDistances: number[],
): string | null {
  const show = () =>
    `got ids ${JSON.stringify(actualIds)} distances ${JSON.stringify(actualDistances)}; expected ids ${JSON.stringify(expectedIds)} distances ${JSON.stringify(expectedDistances)}`;
  if (actualIds.length !== expectedIds.length || actualDistances.length !== expectedIds.length) {
    return `length ${actualIds.length} instead of ${expectedIds.length}: ${show()}`;
  }
  for (let k = 0; k < expectedDistances.length; k++) {
    if (!closeTo(actualDistances[k], expectedDistances[k])) {
      return `distance at position ${k}: ${actualDistances[k]} vs ${expectedDistances[k]}: ${show()}`;
    }
  }
  for (const g of tieGroups(expectedDistances)) {
    const a = g.map((k) => actualIds[k]).sort((x, y) => x - y);
    const e = g.map((k) => expectedIds[k]).sort((x, y) => x - y);
    if (a.join(',') !== e.join(',')) {
      return `ids at positions ${g.join(',')}: ${show()}`;
    }
  }
  return null;
}

/** The first `n` integers, [0, 1, ..., n-1]. */
export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

/** Node size `_s` in bytes of Annoy 1.17 files (dot: the v1.17.3 layout; hamming: f in bits). */
export function nodeSize(metric: MetricName, f: number): number {
  switch (metric) {
    case 'angular':
      return 12 + 4 * f;
    case 'euclidean':
    case 'manhattan':
    case 'dot':
      return 16 + 4 * f;
    case 'hamming':
      return 16 + 8 * Math.ceil(f / 64);
  }
}

/** The deterministic 8-point fixture (docs/format.md "The 8-point fixture"), f = 2. */
export const EIGHT_POINTS: readonly number[][] = [
  [2, 2],
  [3, 2],
  [3, 3],
  [-1, 0],
  [0, -1],
  [5, 1],
  [1, 5],
  [-2, -3],
];

/** A new, empty index: the one factory the tests share. `metric` may be any string (aliases and
 * bad names included): the constructor checks it at run time, which is what many tests test. */
export function make(f: number, metric: string): Annoy {
  return new Annoy(f, metric as MetricName);
}

/** A new, unbuilt index of `metric` (any string, as for make()) holding items[i] as item i. */
export function withItems(metric: string, items: readonly (readonly number[])[]): Annoy {
  const index = make(items[0].length, metric);
  items.forEach((v, i) => index.addItem(i, v as number[]));
  return index;
}

/** The bytes of `index` saved to a fresh temp file (tmpPath(name)). */
export function savedBytes(index: Annoy, name: string): Buffer {
  const file = tmpPath(name);
  index.save(file);
  return fs.readFileSync(file);
}

/** An index of `metric` holding items[i] as item i, built with `trees` trees on `nJobs` threads. */
export function builtIndex(metric: string, items: readonly (readonly number[])[], trees = 10, nJobs = -1): Annoy {
  return withItems(metric, items).build(trees, nJobs);
}
