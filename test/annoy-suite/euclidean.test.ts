/**
 * Annoy's test/euclidean_index_test.py (docs/compatibility.md "Euclidean
 * (euclidean_index_test.py)") and the hole facts of docs/compatibility.md "Holes", with seeded
 * data from the helper PRNG.
 */
import { Annoy } from '../../lib';
import { asPair, expectAnnoyError } from '../helpers/fixtures';
import * as suite from '../helpers/suite-metrics';

describe('euclidean: small hand-made cases', () => {
  suite.distanceRankingTests('euclidean', [4, 2], [1, 2, 0]);

  suite.distanceTest('distances: d([0,1],[1,1]) = 1, d([1,1],[0,0]) = sqrt(2)', 'euclidean', Math.SQRT2);

  // Annoy compares the squared distances.
  suite.withDistancesTest(
    'euclidean',
    { item0: [0, 2, 5], query: [2, 2, 2], ids: [1, 0, 2], dists: [6, 8, 9] },
    (d) => d ** 2,
  );

  suite.oppositeVectorsZeroTest('euclidean', 40);

  test('#314: no negative distance from rounding (f=1)', () => {
    const index = new Annoy(1, 'euclidean');
    index.addItem(0, [0.712593]).addItem(1, [0.7123166]);
    expect(index.getDistance(0, 1)).toBeGreaterThanOrEqual(0);
    expect(index.getDistance(0, 1)).toBeCloseTo(0.0002764, 6);
  });

  test('metric keyword case of index_test.py: f=2, [1,0] vs [9,0] is 8 and f == 2', () => {
    const index = new Annoy(2, 'euclidean');
    index.addItem(0, [1, 0]).addItem(1, [9, 0]);
    expect(index.getDistance(0, 1)).toBeCloseTo(8, 6);
    expect(index.f).toBe(2);
    expect(index.metric).toBe('euclidean');
  });
});

describe('euclidean: larger random cases', () => {
  suite.nearDuplicatePairsTest(
    'near-duplicate pairs (5,000 pairs, f=10, offset 1 + p + noise)',
    'euclidean',
    17,
    (rng, p) => [p.map((x) => 1 + x + rng.gauss(0, 1e-2)), p.map((x) => 1 + x + rng.gauss(0, 1e-2))],
  );

  suite.precisionTest('precision >= 0.98 for n = 1, 10, 100, 1000 (points unit*j, default search_k)', 'euclidean', {
    seed: 2000,
    point: (rng, j) => rng.unitVec(10).map((x) => x * j),
    query: new Array(10).fill(0),
    searchK: -1,
  });

  suite.distanceConsistencyTest('distance consistency with a direct computation', 'euclidean', 23, (u, v) =>
    Math.hypot(...u.map((x, z) => x - v[z])),
  );
});

describe('euclidean: holes (docs/compatibility.md "Holes")', () => {
  test('after only addItem(5, v): n_items 6; holes are out of range; the nn of anything is [5]', () => {
    const index = new Annoy(3, 'euclidean');
    index.addItem(5, [1, 2, 3]);
    expect(index.getNItems()).toBe(6);
    // annoy-napi (lib/errors.ts): a hole that was never added is ANNOY_ID_OUT_OF_RANGE; the
    // original returned its zero vector.
    expectAnnoyError(() => index.getItemVector(2), 'ANNOY_ID_OUT_OF_RANGE');
    expectAnnoyError(() => index.getDistance(2, 5), 'ANNOY_ID_OUT_OF_RANGE');
    index.build(10);
    expect(index.getNItems()).toBe(6);
    expectAnnoyError(() => index.getNnsByItem(2, 10), 'ANNOY_ID_OUT_OF_RANGE');
    const [ids, dists] = asPair(index.getNnsByVector([0, 0, 0], 10));
    expect(ids).toEqual([5]);
    expect(dists[0]).toBeCloseTo(Math.sqrt(14), 5);
    expect(index.getDistance(5, 5)).toBe(0);
  });
});
