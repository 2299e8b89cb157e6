/**
 * Annoy's test/manhattan_index_test.py (docs/compatibility.md "Manhattan
 * (manhattan_index_test.py)"), with seeded data from the helper PRNG.
 */
import * as suite from '../helpers/suite-metrics';

describe('manhattan: small hand-made cases', () => {
  suite.distanceRankingTests('manhattan', [5, 3], [2, 1, 0]);

  suite.distanceTest('distances: d([0,1],[1,1]) = 1, d([1,1],[0,0]) = 2', 'manhattan', 2.0);

  suite.withDistancesTest('manhattan', { item0: [0, 2, 3], query: [2, 2, 1], ids: [1, 2, 0], dists: [3, 4, 5] });

  suite.oppositeVectorsZeroTest('manhattan', 41);
});

describe('manhattan: larger random cases', () => {
  suite.precisionTest('precision >= 0.98 for n = 1, 10, 100, 1000 (points unit + j, default search_k)', 'manhattan', {
    seed: 3000,
    point: (rng, j) => rng.unitVec(10).map((x) => x + j),
    query: new Array(10).fill(0),
    searchK: -1,
  });

  suite.distanceConsistencyTest('distance consistency with the L1 sum', 'manhattan', 29, (u, v) =>
    u.reduce((s, x, z) => s + Math.abs(x - v[z]), 0),
  );
});
