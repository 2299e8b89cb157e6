/**
 * Annoy's test/euclidean_index_test.py (docs/compatibility.md "Euclidean
 * (euclidean_index_test.py)") and the hole facts of docs/compatibility.md "Holes", with seeded
 * data from the helper PRNG.
 */
import { Annoy } from '../../lib';
import { asIds, asPair, builtIndex, expectAnnoyError, Rng } from '../helpers/fixtures';

const build = (items: number[][], trees = 10): Annoy => builtIndex('euclidean', items, trees);

const THREE = [
  [2, 2],
  [3, 2],
  [3, 3],
];

describe('euclidean: small hand-made cases', () => {
  test('getNnsByVector', () => {
    const index = build(THREE);
    expect(asIds(index.getNnsByVector([4, 4], 3, -1, false))).toEqual([2, 1, 0]);
    expect(asIds(index.getNnsByVector([1, 1], 3, -1, false))).toEqual([0, 1, 2]);
    expect(asIds(index.getNnsByVector([4, 2], 3, -1, false))).toEqual([1, 2, 0]);
  });

  test('getNnsByItem', () => {
    const index = build(THREE);
    expect(asIds(index.getNnsByItem(0, 3, -1, false))).toEqual([0, 1, 2]);
    expect(asIds(index.getNnsByItem(2, 3, -1, false))).toEqual([2, 1, 0]);
  });

  test('distances: d([0,1],[1,1]) = 1, d([1,1],[0,0]) = sqrt(2)', () => {
    const index = new Annoy(2, 'euclidean');
    index.addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
    expect(index.getDistance(0, 1)).toBeCloseTo(1.0, 6);
    expect(index.getDistance(1, 2)).toBeCloseTo(Math.SQRT2, 6);
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
      [0, 2, 5].forEach((sq, k) => expect(dists[k] ** 2).toBeCloseTo(sq, 5));
    }
    {
      const [ids, dists] = asPair(index.getNnsByVector([2, 2, 2], 3, -1, true));
      expect(ids).toEqual([1, 0, 2]);
      [6, 8, 9].forEach((sq, k) => expect(dists[k] ** 2).toBeCloseTo(sq, 5));
    }
  });

  test('v and -v (f=40) give [0, 1], the first at distance 0', () => {
    const rng = new Rng(40);
    const v = rng.gaussVec(40);
    const index = build([v, v.map((x) => -x)]);
    const [ids, dists] = asPair(index.getNnsByItem(0, 2, 10, true));
    expect(ids).toEqual([0, 1]);
    expect(dists[0]).toBe(0);
  });

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
  test('near-duplicate pairs (5,000 pairs, f=10, offset 1 + p + noise)', () => {
    const rng = new Rng(17);
    const f = 10;
    const index = new Annoy(f, 'euclidean');
    for (let j = 0; j < 10000; j += 2) {
      const p = rng.gaussVec(f);
      index.addItem(
        j,
        p.map((x) => 1 + x + rng.gauss(0, 1e-2)),
      );
      index.addItem(
        j + 1,
        p.map((x) => 1 + x + rng.gauss(0, 1e-2)),
      );
    }
    index.build(10);
    const bad: string[] = [];
    for (let j = 0; j < 10000; j += 2) {
      const a = asIds(index.getNnsByItem(j, 2, -1, false));
      const b = asIds(index.getNnsByItem(j + 1, 2, -1, false));
      if (a.join() !== `${j},${j + 1}`) bad.push(`item ${j}: ${a}`);
      if (b.join() !== `${j + 1},${j}`) bad.push(`item ${j + 1}: ${b}`);
    }
    expect(bad).toEqual([]);
  });

  // Annoy: 10 rounds of 10,000 points per n. Here: 3 rounds, each queried for every n.
  test('precision >= 0.98 for n = 1, 10, 100, 1000 (points unit*j, default search_k)', () => {
    const f = 10;
    const ns = [1, 10, 100, 1000];
    const rounds = 3;
    const found = new Map<number, number>(ns.map((n) => [n, 0]));
    const rng = new Rng(2000);
    for (let r = 0; r < rounds; r++) {
      const index = new Annoy(f, 'euclidean');
      for (let j = 0; j < 10000; j++)
        index.addItem(
          j,
          rng.unitVec(f).map((x) => x * j),
        );
      index.build(10);
      for (const n of ns) {
        const nns = asIds(index.getNnsByVector(new Array(f).fill(0), n, -1, false));
        expect(nns).toEqual([...nns].sort((a, b) => a - b));
        found.set(n, found.get(n)! + nns.filter((x) => x < n).length);
      }
      index.unload();
    }
    for (const n of ns) expect(found.get(n)! / (n * rounds)).toBeGreaterThanOrEqual(0.98);
  });

  test('distance consistency with a direct computation', () => {
    const rng = new Rng(23);
    const n = 1000;
    const f = 3;
    const vs: number[][] = [];
    const index = new Annoy(f, 'euclidean');
    for (let j = 0; j < n; j++) {
      const v = rng.gaussVec(f).map(Math.fround);
      vs.push(v);
      index.addItem(j, v);
    }
    index.build(10);
    for (const a of rng.sample(n, 100)) {
      const [ids, dists] = asPair(index.getNnsByItem(a, 100));
      ids.forEach((b, k) => {
        const exact = Math.hypot(...vs[a].map((x, z) => x - vs[b][z]));
        expect(Math.abs(dists[k] - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, exact));
        expect(Math.abs(index.getDistance(a, b) - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, exact));
      });
    }
  });
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
