// Hand-crafted corruption of node contents in otherwise valid files (docs/format.md "Node layouts",
// "Node kinds and n_descendants", "The root scan"). load() must either throw ANNOY_CORRUPT /
// ANNOY_INVALID_FILE, or every query must throw ANNOY_CORRUPT (ANNOY_ID_OUT_OF_RANGE for by-id
// calls) or return valid ids (0 <= id < n_items, no duplicates, at most n) — never crash, hang or
// return out-of-range ids.
import * as fs from 'fs';
import { tmpPath } from '../helpers/tmp';
import { itemsFor, Rng } from '../helpers/random';
import { probe, ProbeCase, ProbeResult } from './probe';
import { savedBytes, withItems } from '../helpers/fixtures';

interface Layout {
  metric: string;
  f: number;
  /** node size */
  s: number;
  /** offset of children[] */
  co: number;
  /** bucket capacity */
  K: number;
  /** offset of v[] */
  vo: number;
}

function layout(metric: string, f: number): Layout {
  switch (metric) {
    case 'angular':
      return { metric, f, s: 12 + 4 * f, co: 4, K: f + 2, vo: 12 };
    case 'euclidean':
    case 'manhattan':
      return { metric, f, s: 16 + 4 * f, co: 8, K: f + 2, vo: 16 };
    case 'dot': // the 1.17 layout: n_descendants, children[2], dot_factor, v[f]
      return { metric, f, s: 16 + 4 * f, co: 4, K: f + 3, vo: 16 };
    case 'hamming': {
      const w = Math.ceil(f / 64);
      return { metric, f, s: 16 + 8 * w, co: 4, K: 2 * w + 3, vo: 16 };
    }
    default:
      throw new Error(metric);
  }
}

interface Parsed {
  L: Layout;
  nNodes: number;
  nItems: number;
  trees: number;
  nd: (i: number) => number;
  child: (i: number, k: number) => number;
  splits: number[]; // non-root split nodes in the tree region
  roots: number[]; // every node with nd == n_items past the items (originals and copies)
  buckets: number[];
  /** [parent, child] pairs where both are non-root splits */
  splitEdges: Array<[number, number]>;
}

function parse(buf: Buffer, L: Layout, trees: number): Parsed {
  const nNodes = buf.length / L.s;
  const nd = (i: number) => buf.readInt32LE(i * L.s);
  const child = (i: number, k: number) => buf.readInt32LE(i * L.s + L.co + 4 * k);
  const nItems = nd(nNodes - 1);
  const splits: number[] = [];
  const roots: number[] = [];
  const buckets: number[] = [];
  for (let i = nItems; i < nNodes; i++) {
    const d = nd(i);
    if (d === nItems) roots.push(i);
    else if (d > L.K) splits.push(i);
    else if (d >= 2) buckets.push(i);
  }
  const isSplit = new Set(splits);
  const splitEdges: Array<[number, number]> = [];
  for (const p of splits) {
    for (const k of [0, 1]) if (isSplit.has(child(p, k))) splitEdges.push([p, child(p, k)]);
  }
  return { L, nNodes, nItems, trees, nd, child, splits, roots, buckets, splitEdges };
}

type Mutation = (b: Buffer, P: Parsed) => void;

const setNd = (b: Buffer, P: Parsed, i: number, v: number) => b.writeInt32LE(v | 0, i * P.L.s);
const setChild = (b: Buffer, P: Parsed, i: number, k: number, v: number) =>
  b.writeInt32LE(v | 0, i * P.L.s + P.L.co + 4 * k);
const mid = (a: number[]) => a[Math.floor(a.length / 2)];

const GENERIC: Array<[string, Mutation]> = [
  ['unmodified (sanity)', () => undefined],
  ['split child = INT32_MAX', (b, P) => setChild(b, P, mid(P.splits), 0, 0x7fffffff)],
  ['split child = -5', (b, P) => setChild(b, P, mid(P.splits), 1, -5)],
  ['split child = INT32_MIN', (b, P) => setChild(b, P, mid(P.splits), 0, -0x80000000)],
  ['split child = n_nodes (one past the end)', (b, P) => setChild(b, P, mid(P.splits), 0, P.nNodes)],
  ['every split child = INT32_MAX', (b, P) => P.splits.forEach((i) => setChild(b, P, i, 0, 0x7fffffff))],
  ['every root child huge', (b, P) => P.roots.forEach((i) => setChild(b, P, i, 0, 0x7ffffff0))],
  [
    'every root: negative children',
    (b, P) => P.roots.forEach((i) => (setChild(b, P, i, 0, -1), setChild(b, P, i, 1, -2))),
  ],
  [
    'split n_descendants inflated (counts do not add up)',
    (b, P) => setNd(b, P, mid(P.splits), P.nd(mid(P.splits)) + 7),
  ],
  ['every split n_descendants = n_items - 1', (b, P) => P.splits.forEach((i) => setNd(b, P, i, P.nItems - 1))],
  ['split turned into a bucket (n_descendants = 3, children are node ids)', (b, P) => setNd(b, P, mid(P.splits), 3)],
  ['every split turned into a bucket of K', (b, P) => P.splits.forEach((i) => setNd(b, P, i, P.L.K))],
  ['split n_descendants = 0', (b, P) => setNd(b, P, mid(P.splits), 0)],
  ['split n_descendants = -7', (b, P) => setNd(b, P, mid(P.splits), -7)],
  [
    'bucket lists ids out of range',
    (b, P) => {
      for (const i of P.buckets) {
        setNd(b, P, i, P.L.K);
        const bad = [0x7fffffff, -1, P.nItems, P.nNodes - 1, P.nNodes + 5, 3, -0x80000000];
        for (let k = 0; k < P.L.K; k++) b.writeInt32LE(bad[k % bad.length], i * P.L.s + P.L.co + 4 * k);
      }
    },
  ],
  ['bucket n_descendants = INT32_MAX', (b, P) => setNd(b, P, mid(P.buckets), 0x7fffffff)],
  ['bucket n_descendants = -3', (b, P) => setNd(b, P, mid(P.buckets), -3)],
  [
    'cycle: a child points back to its parent',
    (b, P) => {
      for (const [parent, c] of P.splitEdges) setChild(b, P, c, 0, parent);
    },
  ],
  ['cycle: a split is its own child', (b, P) => P.splits.forEach((i) => setChild(b, P, i, 1, i))],
  [
    'cycle: every root is its own child',
    (b, P) => P.roots.forEach((i) => (setChild(b, P, i, 0, i), setChild(b, P, i, 1, i))),
  ],
  [
    'cycle: every root points at the last root copy',
    (b, P) => P.roots.forEach((i) => setChild(b, P, i, 0, P.nNodes - 1)),
  ],
  ['last node n_descendants = INT32_MAX (n_items huge)', (b, P) => setNd(b, P, P.nNodes - 1, 0x7fffffff)],
  ['every root n_descendants = INT32_MAX', (b, P) => P.roots.forEach((i) => setNd(b, P, i, 0x7fffffff))],
  ['every root n_descendants = n_nodes + 1', (b, P) => P.roots.forEach((i) => setNd(b, P, i, P.nNodes + 1))],
  ['last node n_descendants = -1', (b, P) => setNd(b, P, P.nNodes - 1, -1)],
  [
    'every root n_descendants = 10 (n_items smaller than the real item count)',
    (b, P) => P.roots.forEach((i) => setNd(b, P, i, 10)),
  ],
  ['every root n_descendants = 0', (b, P) => P.roots.forEach((i) => setNd(b, P, i, 0))],
  ['item 5 n_descendants = 3 (an item read as a bucket)', (b, P) => setNd(b, P, 5, 3)],
  ['item 5 n_descendants = 1000 (an item read as a split)', (b, P) => setNd(b, P, 5, 1000)],
  ['item 5 n_descendants = 0 (a hole)', (b, P) => setNd(b, P, 5, 0)],
  [
    'every node n_descendants = 1',
    (b, P) => {
      for (let i = 0; i < P.nNodes; i++) setNd(b, P, i, 1);
    },
  ],
  ['tree region zeroed', (b, P) => b.fill(0, P.nItems * P.L.s, (P.nNodes - P.trees) * P.L.s)],
  ['everything but the root copies zeroed', (b, P) => b.fill(0, 0, (P.nNodes - P.trees) * P.L.s)],
  [
    'split hyperplanes are NaN',
    (b, P) => {
      for (const i of P.splits.concat(P.roots)) {
        for (let off = P.L.vo; off < P.L.s; off += 4) b.writeFloatLE(NaN, i * P.L.s + off);
        if (P.L.co === 8) b.writeFloatLE(NaN, i * P.L.s + 4);
      }
    },
  ],
  [
    'random child ids everywhere',
    (b, P) => {
      const rng = new Rng(99);
      for (const i of P.splits.concat(P.roots)) {
        setChild(b, P, i, 0, rng.int(2 * P.nNodes) - P.nNodes / 2);
        setChild(b, P, i, 1, rng.int(2 * P.nNodes) - P.nNodes / 2);
      }
    },
  ],
];

const HAMMING_ONLY: Array<[string, Mutation]> = [
  [
    'hamming: split bit index beyond f',
    (b, P) =>
      P.splits
        .concat(P.roots)
        .forEach((i) => b.writeBigUInt64LE(BigInt(64 * Math.ceil(P.L.f / 64) + 3), i * P.L.s + P.L.vo)),
  ],
  [
    'hamming: split bit index 2^64 - 1',
    (b, P) => P.splits.concat(P.roots).forEach((i) => b.writeBigUInt64LE(2n ** 64n - 1n, i * P.L.s + P.L.vo)),
  ],
];

const BASES: Array<{ metric: string; f: number; n: number; trees: number; extra: Array<[string, Mutation]> }> = [
  { metric: 'euclidean', f: 4, n: 100, trees: 2, extra: [] },
  { metric: 'angular', f: 4, n: 100, trees: 2, extra: [] },
  { metric: 'manhattan', f: 3, n: 80, trees: 2, extra: [] },
  { metric: 'dot', f: 4, n: 100, trees: 2, extra: [] },
  { metric: 'hamming', f: 64, n: 100, trees: 2, extra: HAMMING_ONLY },
];

const cases: ProbeCase[] = [];
let results: Map<string, ProbeResult>;

beforeAll(() => {
  for (const base of BASES) {
    const L = layout(base.metric, base.f);
    const rng = new Rng(5);
    const index = withItems(base.metric, itemsFor(base.metric, base.n, base.f, rng, 5)).build(base.trees, 1);
    const buf = savedBytes(index, `${base.metric}-base.ann`);
    expect(buf.length % L.s).toBe(0);
    const P = parse(buf, L, base.trees);
    // the crafted mutations rely on this shape
    expect(P.nItems).toBe(base.n);
    expect(P.splits.length).toBeGreaterThan(2);
    expect(P.buckets.length).toBeGreaterThan(0);
    expect(P.roots.length).toBeGreaterThanOrEqual(base.trees);
    const query = base.metric === 'hamming' ? rng.bits(base.f) : new Rng(8).vector(base.f);
    [...GENERIC, ...base.extra].forEach(([name, mutate], k) => {
      const copy = Buffer.from(buf);
      mutate(copy, P);
      const cp = tmpPath(`${base.metric}-corrupt-${k}.ann`);
      fs.writeFileSync(cp, copy);
      cases.push({
        name: `${base.metric}: ${name}`,
        path: cp,
        f: base.f,
        metric: base.metric,
        prefault: k % 2 === 1,
        query,
      });
    });
  }
  results = probe(cases, {
    loadCodes: ['ANNOY_CORRUPT', 'ANNOY_INVALID_FILE'],
    queryCodes: ['ANNOY_CORRUPT'],
    timeoutMs: 15000,
  });
}, 120000);

const NAMES: string[] = [];
for (const base of BASES) for (const [name] of [...GENERIC, ...base.extra]) NAMES.push(`${base.metric}: ${name}`);

describe('Annoy#load() of files with corrupt nodes', () => {
  it.each(NAMES)('%s', (name) => {
    const r = results.get(name);
    expect(r).toBeDefined();
    expect({ case: name, outcome: r!.outcome, violations: r!.violations }).toEqual({
      case: name,
      outcome: expect.not.stringMatching(/^crashed$/),
      violations: [],
    });
    if (name.endsWith('unmodified (sanity)')) {
      expect(r!.outcome).toBe('loaded');
      expect(r!.queryErrors).toEqual([]);
    }
  });
});
