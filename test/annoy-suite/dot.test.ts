/**
 * Annoy's test/dot_index_test.py (docs/compatibility.md "Dot product (dot_index_test.py)"), the dot
 * case measured on Annoy and the seed's dot example, with seeded data from the helper PRNG. The
 * "distance" returned for dot is the dot product itself: larger is nearer.
 */
import { Annoy } from '../../lib';
import { asIds, asPair, builtIndex, Rng } from '../helpers/fixtures';

const build = (items: number[][], trees = 10, nJobs = -1): Annoy => builtIndex('dot', items, trees, nJobs);

const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);

describe('dot: small hand-made cases', () => {
  const THREE = [
    [2, 2],
    [3, 2],
    [3, 3],
  ];

  test('getNnsByVector: every query gives [2, 1, 0]', () => {
    const index = build(THREE);
    expect(asIds(index.getNnsByVector([4, 4], 3, -1, false))).toEqual([2, 1, 0]);
    expect(asIds(index.getNnsByVector([1, 1], 3, -1, false))).toEqual([2, 1, 0]);
    expect(asIds(index.getNnsByVector([4, 2], 3, -1, false))).toEqual([2, 1, 0]);
  });

  test('getNnsByItem: items 0 and 2 give [2, 1, 0]', () => {
    const index = build(THREE);
    expect(asIds(index.getNnsByItem(0, 3, -1, false))).toEqual([2, 1, 0]);
    expect(asIds(index.getNnsByItem(2, 3, -1, false))).toEqual([2, 1, 0]);
  });

  test('distances [0,1], [1,1], [0,0]: d(0,1) = 1, d(1,2) = 0, before and after build', () => {
    const index = new Annoy(2, 'dot');
    index.addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
    // v1.17.3 layout: get_distance is the plain dot product even before build.
    expect(index.getDistance(0, 1)).toBeCloseTo(1.0, 6);
    expect(index.getDistance(1, 2)).toBeCloseTo(0.0, 6);
    index.build(10);
    expect(index.getDistance(0, 1)).toBeCloseTo(1.0, 6);
    expect(index.getDistance(1, 2)).toBeCloseTo(0.0, 6);
  });

  test('with distances: items [0,0,2], [0,1,1], [1,0,0]', () => {
    const index = build([
      [0, 0, 2],
      [0, 1, 1],
      [1, 0, 0],
    ]);
    {
      const [ids, dists] = asPair(index.getNnsByItem(0, 3, -1, true));
      expect(ids).toEqual([0, 1, 2]);
      [4, 2, 0].forEach((d, k) => expect(dists[k]).toBeCloseTo(d, 5));
    }
    {
      const [ids, dists] = asPair(index.getNnsByVector([2, 2, 2], 3, -1, true));
      expect(ids).toEqual([0, 1, 2]);
      [4, 4, 2].forEach((d, k) => expect(dists[k]).toBeCloseTo(d, 5));
    }
  });

  test('v and -v (f=40): indices [0, 1], the first score is <v, v>', () => {
    const rng = new Rng(42);
    const v = rng.gaussVec(40).map(Math.fround);
    const index = build([v, v.map((x) => -x)]);
    const [ids, dists] = asPair(index.getNnsByItem(0, 2, 10, true));
    expect(ids).toEqual([0, 1]);
    expect(dists[0]).toBeCloseTo(dot(v, v), 3);
    expect(dists[1]).toBeCloseTo(-dot(v, v), 3);
  });

  test('measured on Annoy: items (1,2), (3,-1), (-1,-1), build(3, 1): [1,1] gives [0,1,2] scores [3, 2, -2]', () => {
    const index = build(
      [
        [1, 2],
        [3, -1],
        [-1, -1],
      ],
      3,
      1,
    );
    const [ids, dists] = asPair(index.getNnsByVector([1, 1], 3));
    expect(ids).toEqual([0, 1, 2]);
    [3, 2, -2].forEach((d, k) => expect(dists[k]).toBeCloseTo(d, 5));
  });

  test('seed example: items [0,1], [1,1], [0,0]: [2,2] gives [1,0,2] scores [4, 2, 0]', () => {
    const index = build([
      [0, 1],
      [1, 1],
      [0, 0],
    ]);
    const [ids, dists] = asPair(index.getNnsByVector([2, 2], 3));
    expect(ids).toEqual([1, 0, 2]);
    [4, 2, 0].forEach((d, k) => expect(dists[k]).toBeCloseTo(d, 5));
  });
});

// Annoy: 5 rounds of 1,000 points, every point queried. Same here, except that the n = 1000
// cases query every 4th point (250 a round) to keep this file fast; with 1,000 points the exact
// top-1000 is every point, so recall@1000 is the fraction of the index a query returns.
describe('dot: recall against an exact top-n (5 rounds of 1,000 Gaussian points, f=10)', () => {
  const f = 10;
  const nPoints = 1000;
  const rounds = 5;

  // Per round: the points and, for every point, the ids of its exact top 100 by dot product.
  const data: number[][][] = [];
  const exactTop100: number[][][] = [];
  beforeAll(() => {
    const rng = new Rng(628);
    for (let r = 0; r < rounds; r++) {
      const pts = Array.from({ length: nPoints }, () => rng.gaussVec(f).map(Math.fround));
      data.push(pts);
      exactTop100.push(
        pts.map((q) => {
          const scores = pts.map((p) => dot(q, p));
          return Array.from({ length: nPoints }, (_, j) => j)
            .sort((a, b) => scores[b] - scores[a] || a - b)
            .slice(0, 100);
        }),
      );
    }
  });

  function recallAt(n: number, nTrees = 10): number {
    const stride = n >= nPoints ? 4 : 1;
    let total = 0;
    let count = 0;
    for (let r = 0; r < rounds; r++) {
      const index = new Annoy(f, 'dot');
      data[r].forEach((v, i) => index.addItem(i, v));
      index.build(nTrees);
      for (let i = 0; i < nPoints; i += stride) {
        const nns = new Set(asIds(index.getNnsByVector(data[r][i], n, -1, false)));
        if (n >= nPoints) {
          total += nns.size / nPoints;
        } else {
          const relevant = exactTop100[r][i].slice(0, n);
          total += relevant.filter((j) => nns.has(j)).length / relevant.length;
        }
        count++;
      }
      index.unload();
    }
    return total / count;
  }

  test('recall@10 >= 0.65', () => {
    expect(recallAt(10)).toBeGreaterThanOrEqual(0.65);
  });
  test('recall@100 >= 0.95', () => {
    expect(recallAt(100)).toBeGreaterThanOrEqual(0.95);
  });
  test('recall@1000 >= 0.99', () => {
    expect(recallAt(1000)).toBeGreaterThanOrEqual(0.99);
  });
  test('recall@1000 with 4 trees >= 0.99', () => {
    expect(recallAt(1000, 4)).toBeGreaterThanOrEqual(0.99);
  });
});

test('dot: returned score == direct dot product == getDistance', () => {
  const rng = new Rng(31);
  const n = 1000;
  const f = 3;
  const vs: number[][] = [];
  const index = new Annoy(f, 'dot');
  for (let j = 0; j < n; j++) {
    const v = rng.gaussVec(f).map(Math.fround);
    vs.push(v);
    index.addItem(j, v);
  }
  index.build(10);
  for (const a of rng.sample(n, 100)) {
    const [ids, dists] = asPair(index.getNnsByItem(a, 100));
    for (let k = 1; k < dists.length; k++) expect(dists[k]).toBeLessThanOrEqual(dists[k - 1]);
    ids.forEach((b, k) => {
      const exact = dot(vs[a], vs[b]);
      expect(Math.abs(dists[k] - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(exact)));
      expect(Math.abs(index.getDistance(a, b) - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(exact)));
    });
  }
});
