/**
 * Annoy's test/dot_index_test.py (docs/compatibility.md "Dot product (dot_index_test.py)"), the dot
 * case measured on Annoy and the seed's dot example, with seeded data from the helper PRNG. The
 * "distance" returned for dot is the dot product itself: larger is nearer.
 */
import { Annoy } from '../../lib';
import { asIds, builtIndex, Rng } from '../helpers/fixtures';
import * as suite from '../helpers/suite-metrics';

const build = (items: number[][], trees = 10, nJobs = -1): Annoy => builtIndex('dot', items, trees, nJobs);

const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);

describe('dot: small hand-made cases', () => {
  const TOP = [2, 1, 0];

  suite.rankingTests(
    'dot',
    {
      title: 'getNnsByVector: every query gives [2, 1, 0]',
      cases: [
        { query: [4, 4], ids: TOP },
        { query: [1, 1], ids: TOP },
        { query: [4, 2], ids: TOP },
      ],
    },
    {
      title: 'getNnsByItem: items 0 and 2 give [2, 1, 0]',
      cases: [
        { item: 0, ids: TOP },
        { item: 2, ids: TOP },
      ],
    },
  );

  // v1.17.3 layout: get_distance is the plain dot product even before build.
  suite.distanceTest('distances [0,1], [1,1], [0,0]: d(0,1) = 1, d(1,2) = 0, before and after build', 'dot', 0.0, true);

  suite.withDistancesTest('dot', { item0: [4, 2, 0], query: [2, 2, 2], ids: [0, 1, 2], dists: [4, 4, 2] });

  suite.oppositeVectorsTest('v and -v (f=40): indices [0, 1], the first score is <v, v>', 'dot', {
    seed: 42,
    searchK: 10,
    fround: true,
    check: (dists, v) => {
      expect(dists[0]).toBeCloseTo(dot(v, v), 3);
      expect(dists[1]).toBeCloseTo(-dot(v, v), 3);
    },
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
    suite.expectAnswer(index.getNnsByVector([1, 1], 3), [0, 1, 2], [3, 2, -2]);
  });

  test('seed example: items [0,1], [1,1], [0,0]: [2,2] gives [1,0,2] scores [4, 2, 0]', () => {
    const index = build([
      [0, 1],
      [1, 1],
      [0, 0],
    ]);
    suite.expectAnswer(index.getNnsByVector([2, 2], 3), [1, 0, 2], [4, 2, 0]);
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

suite.distanceConsistencyTest('dot: returned score == direct dot product == getDistance', 'dot', 31, dot, {
  descending: true,
});
