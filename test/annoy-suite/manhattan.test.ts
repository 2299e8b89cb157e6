/**
 * Annoy's test/manhattan_index_test.py (docs/compatibility.md "Manhattan
 * (manhattan_index_test.py)"), with seeded data from the helper PRNG.
 */
import { Annoy } from '../../lib';
import { asIds, asPair, builtIndex, Rng } from '../helpers/fixtures';

const build = (items: number[][], trees = 10): Annoy => builtIndex('manhattan', items, trees);

const THREE = [
  [2, 2],
  [3, 2],
  [3, 3],
];

describe('manhattan: small hand-made cases', () => {
  test('getNnsByVector', () => {
    const index = build(THREE);
    expect(asIds(index.getNnsByVector([4, 4], 3, -1, false))).toEqual([2, 1, 0]);
    expect(asIds(index.getNnsByVector([1, 1], 3, -1, false))).toEqual([0, 1, 2]);
    expect(asIds(index.getNnsByVector([5, 3], 3, -1, false))).toEqual([2, 1, 0]);
  });

  test('getNnsByItem', () => {
    const index = build(THREE);
    expect(asIds(index.getNnsByItem(0, 3, -1, false))).toEqual([0, 1, 2]);
    expect(asIds(index.getNnsByItem(2, 3, -1, false))).toEqual([2, 1, 0]);
  });

  test('distances: d([0,1],[1,1]) = 1, d([1,1],[0,0]) = 2', () => {
    const index = new Annoy(2, 'manhattan');
    index.addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
    expect(index.getDistance(0, 1)).toBeCloseTo(1.0, 6);
    expect(index.getDistance(1, 2)).toBeCloseTo(2.0, 6);
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
      [0, 2, 3].forEach((d, k) => expect(dists[k]).toBeCloseTo(d, 5));
    }
    {
      const [ids, dists] = asPair(index.getNnsByVector([2, 2, 1], 3, -1, true));
      expect(ids).toEqual([1, 2, 0]);
      [3, 4, 5].forEach((d, k) => expect(dists[k]).toBeCloseTo(d, 5));
    }
  });

  test('v and -v (f=40) give [0, 1], the first at distance 0', () => {
    const rng = new Rng(41);
    const v = rng.gaussVec(40);
    const index = build([v, v.map((x) => -x)]);
    const [ids, dists] = asPair(index.getNnsByItem(0, 2, 10, true));
    expect(ids).toEqual([0, 1]);
    expect(dists[0]).toBe(0);
  });
});

describe('manhattan: larger random cases', () => {
  // Annoy: 10 rounds of 10,000 points per n. Here: 3 rounds, each queried for every n.
  test('precision >= 0.98 for n = 1, 10, 100, 1000 (points unit + j, default search_k)', () => {
    const f = 10;
    const ns = [1, 10, 100, 1000];
    const rounds = 3;
    const found = new Map<number, number>(ns.map((n) => [n, 0]));
    const rng = new Rng(3000);
    for (let r = 0; r < rounds; r++) {
      const index = new Annoy(f, 'manhattan');
      for (let j = 0; j < 10000; j++)
        index.addItem(
          j,
          rng.unitVec(f).map((x) => x + j),
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

  test('distance consistency with the L1 sum', () => {
    const rng = new Rng(29);
    const n = 1000;
    const f = 3;
    const vs: number[][] = [];
    const index = new Annoy(f, 'manhattan');
    for (let j = 0; j < n; j++) {
      const v = rng.gaussVec(f).map(Math.fround);
      vs.push(v);
      index.addItem(j, v);
    }
    index.build(10);
    for (const a of rng.sample(n, 100)) {
      const [ids, dists] = asPair(index.getNnsByItem(a, 100));
      ids.forEach((b, k) => {
        const exact = vs[a].reduce((s, x, z) => s + Math.abs(x - vs[b][z]), 0);
        expect(Math.abs(dists[k] - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, exact));
        expect(Math.abs(index.getDistance(a, b) - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, exact));
      });
    }
  });
});
