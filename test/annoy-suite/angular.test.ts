/**
 * Annoy's test/angular_index_test.py and examples/simple_test.py (docs/compatibility.md
 * "Angular (angular_index_test.py, examples/simple_test.py)"),
 * with seeded data from the helper PRNG instead of Python's random module.
 */
import * as fs from 'fs';
import { Annoy } from '../../lib';
import { asIds, asPair, builtIndex, range, Rng, useTempDir } from '../helpers/fixtures';
import * as suite from '../helpers/suite-metrics';

const tmp = useTempDir('annoy-angular-');

function threeItems(items: readonly (readonly number[])[], trees = 10): Annoy {
  const index = new Annoy(items[0].length, 'angular');
  items.forEach((v, i) => index.addItem(i, v));
  return index.build(trees);
}

function angularDistance(u: number[], v: number[]): number {
  const nu = Math.hypot(...u);
  const nv = Math.hypot(...v);
  return Math.hypot(...u.map((x, k) => x / nu - v[k] / nv));
}

describe('angular: small hand-made cases', () => {
  test('getNnsByVector (items e3, e2, e1)', () => {
    suite.expectNnsByVector(threeItems(suite.ANGULAR_UNIT_ITEMS), suite.ANGULAR_UNIT_ANSWERS);
  });

  test('explicit search_k = 10 gives the same results', () => {
    suite.expectNnsByVector(threeItems(suite.ANGULAR_UNIT_ITEMS), suite.ANGULAR_UNIT_ANSWERS, 10);
  });

  test('getNnsByItem', () => {
    const index = threeItems(suite.ANGULAR_BY_ITEM_ITEMS);
    suite.expectNnsByItem(index, [
      { item: 0, ids: [0, 1, 2] },
      { item: 1, ids: [1, 0, 2] },
    ]);
    expect([
      [2, 0, 1],
      [2, 1, 0],
    ]).toContainEqual(asIds(index.getNnsByItem(2, 3, -1, false)));
  });

  test('getNnsBy* return [ids, distances] by default', () => {
    const [ids, dists] = asPair(threeItems(suite.ANGULAR_BY_ITEM_ITEMS).getNnsByItem(0, 3));
    expect(ids).toEqual([0, 1, 2]);
    expect(dists[0]).toBeCloseTo(0, 6);
    expect(dists[2]).toBeCloseTo(Math.SQRT2, 5);
  });

  test('distances: [0,1] vs [1,1]', () => {
    const index = new Annoy(2, 'angular');
    index.addItem(0, [0, 1]).addItem(1, [1, 1]);
    expect(index.getDistance(0, 1)).toBeCloseTo(Math.sqrt(2 * (1 - Math.SQRT1_2)), 5);
    expect(index.getDistance(0, 1)).toBeCloseTo(0.765367, 5);
  });

  test('distances: [1000,0] vs [10,0] is 0', () => {
    const index = new Annoy(2, 'angular');
    index.addItem(0, [1000, 0]).addItem(1, [10, 0]);
    expect(index.getDistance(0, 1)).toBeCloseTo(0, 5);
  });

  test('distances: [97,0] vs [42,42]', () => {
    const index = new Annoy(2, 'angular');
    index.addItem(0, [97, 0]).addItem(1, [42, 42]);
    const expected = Math.sqrt((1 - Math.SQRT1_2) ** 2 + Math.SQRT1_2 ** 2);
    expect(index.getDistance(0, 1)).toBeCloseTo(expected, 5);
    expect(index.getDistance(0, 1)).toBeCloseTo(0.765367, 5);
  });

  test('distances: [1,0] vs [0,0] is sqrt(2); a zero vector is sqrt(2) from everything', () => {
    const index = new Annoy(2, 'angular');
    index.addItem(0, [1, 0]).addItem(1, [0, 0]).addItem(2, [0, 0]);
    expect(index.getDistance(0, 1)).toBeCloseTo(Math.SQRT2, 5);
    expect(index.getDistance(1, 2)).toBeCloseTo(Math.SQRT2, 5);
    expect(index.getDistance(1, 1)).toBeCloseTo(Math.SQRT2, 5);
  });

  suite.oppositeVectorsTest('include_distances: v and -v (f=40) give [0, 1] at distances [0, 2]', 'angular', {
    seed: 40,
    searchK: -1,
    check: (dists) => {
      expect(dists[0]).toBeCloseTo(0, 3);
      expect(dists[1]).toBeCloseTo(2, 3);
    },
  });

  test('getItemVector round-trips through save/load (about 7 decimals)', () => {
    const vs = [
      [1.1, 2.2, 3.3],
      [4.4, 5.5, 6.6],
      [7.7, 8.8, 9.9],
    ];
    const index = new Annoy(3, 'angular');
    vs.forEach((v, i) => index.addItem(i, v));
    index.getItemVector(0).forEach((x, k) => expect(x).toBeCloseTo(vs[0][k], 6));
    index.build(10);
    const file = tmp.file('item-vector.ann');
    index.save(file);
    index.getItemVector(1).forEach((x, k) => expect(x).toBeCloseTo(vs[1][k], 6));
    const again = new Annoy(3, 'angular').load(file);
    again.getItemVector(2).forEach((x, k) => expect(x).toBeCloseTo(vs[2][k], 6));
    expect(again.getItemVector(2)).toEqual(vs[2].map(Math.fround));
  });
});

describe('angular: examples/simple_test.py (measured on Annoy)', () => {
  test('orthonormal items, build(-1): 3 trees and the recorded answers', () => {
    const index = builtIndex(
      'angular',
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      -1,
      1,
    );
    expect(index.getNTrees()).toBe(3);
    suite.expectAnswer(index.getNnsByItem(0, 100), [0, 1, 2], [0, 1.414214, 1.414214]);
    suite.expectAnswer(index.getNnsByVector([1, 0.5, 0.5], 100), [0, 1, 2], [0.605811, 1.087889, 1.087889]);
  });
});

describe('angular: single items and empty indexes', () => {
  test('single item, f=100: save/load gives n_items 1 and [0] for n=50', () => {
    const rng = new Rng(100);
    const index = new Annoy(100, 'angular');
    index.addItem(0, rng.gaussVec(100));
    index.build(10);
    const file = tmp.file('single-item.ann');
    index.save(file);
    const again = new Annoy(100, 'angular').load(file);
    expect(again.getNItems()).toBe(1);
    expect(asIds(again.getNnsByItem(0, 50, -1, false))).toEqual([0]);
    expect(asIds(again.getNnsByVector(rng.gaussVec(100), 50, -1, false))).toEqual([0]);
  });

  test('no items: build(10), save/load gives n_items 0 and no neighbours', () => {
    const index = new Annoy(100, 'angular');
    index.build(10);
    const file = tmp.file('no-items.ann');
    index.save(file);
    const again = new Annoy(100, 'angular').load(file);
    expect(again.getNItems()).toBe(0);
    const rng = new Rng(101);
    expect(asIds(again.getNnsByVector(rng.gaussVec(100), 50, -1, false))).toEqual([]);
  });

  test('single vector [1,0,0]: save, query [1,0,0] n=3 gives [0] at distance 0 (#194)', () => {
    const index = new Annoy(3, 'angular');
    index.addItem(0, [1, 0, 0]);
    index.build(10);
    index.save(tmp.file('single-vector.ann'));
    const [ids, dists] = asPair(index.getNnsByVector([1, 0, 0], 3, -1, true));
    expect(ids).toEqual([0]);
    expect(dists[0] ** 2).toBeCloseTo(0, 6);
  });
});

describe('angular: larger random cases', () => {
  suite.nearDuplicatePairsTest(
    'near-duplicate pairs (5,000 pairs, f=10): the top 2 of j is [j, j+1]',
    'angular',
    7,
    (rng, p) => {
      const f1 = rng.random() + 1;
      const f2 = rng.random() + 1;
      return [p.map((x) => f1 * x + rng.gauss(0, 1e-2)), p.map((x) => f2 * x + rng.gauss(0, 1e-2))];
    },
  );

  suite.precisionTest(
    'precision >= 0.98 for n = 1, 10, 100, 1000 (points [1000] + unit*j, search_k 100000)',
    'angular',
    {
      seed: 1000,
      point: (rng, j) => [1000, ...rng.unitVec(9).map((x) => x * j)],
      query: [1000, ...new Array(9).fill(0)],
      searchK: 100000,
    },
  );

  // Annoy: 100,000 points; here 10,000.
  test('distance range: every distance lies in [0, 2], the nearest is ~0', () => {
    const rng = new Rng(3);
    const index = new Annoy(3, 'angular');
    for (let j = 0; j < 10000; j++) index.addItem(j, rng.gaussVec(3));
    index.build(10);
    const [ids, dists] = asPair(index.getNnsByItem(0, 10000));
    expect(ids.length).toBeGreaterThan(1000);
    expect(Math.max(...dists)).toBeLessThanOrEqual(2.0 + 1e-5);
    expect(Math.min(...dists)).toBeCloseTo(0, 3);
    expect(dists.every((d) => d >= 0)).toBe(true);
  });

  suite.distanceConsistencyTest(
    'distance consistency: query distance == getDistance == |u/|u| - v/|v||',
    'angular',
    11,
    angularDistance,
    { getDistanceVs: 'returned' },
  );
});

test('angular: saved files have 12 + 4f bytes per node', () => {
  const rng = new Rng(5);
  const index = new Annoy(10, 'angular');
  for (const j of range(50)) index.addItem(j, rng.gaussVec(10));
  index.build(3, 1);
  const file = tmp.file('node-size.ann');
  index.save(file);
  expect(fs.statSync(file).size % 52).toBe(0);
});
