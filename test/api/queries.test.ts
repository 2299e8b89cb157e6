import { Annoy, Vector } from '../../lib';
import { asIds, asPair, expectSortedAscending, expectSortedDescending } from '../helpers/tmp';
import { fround, makeBitVectors, makeVectors, Rng } from '../helpers/random';
import { make } from '../helpers/fixtures';
import {
  ANGULAR_BY_ITEM_ITEMS,
  ANGULAR_UNIT_ANSWERS,
  ANGULAR_UNIT_ITEMS,
  expectNnsByItem,
  expectNnsByVector,
  ITEMS_2D,
  ITEMS_3D,
} from '../helpers/suite-metrics';

function small(metric: string, items: readonly Vector[], trees = 10): Annoy {
  const index = make(items[0].length, metric);
  items.forEach((v, i) => index.addItem(i, v));
  return index.build(trees);
}

// Exact distances computed in double from the float32-rounded vectors.
function exact(metric: string, a: number[], b: number[]): number {
  const x = fround(a);
  const y = fround(b);
  let s = 0;
  switch (metric) {
    case 'euclidean':
      for (let k = 0; k < x.length; k++) s += (x[k] - y[k]) ** 2;
      return Math.sqrt(s);
    case 'manhattan':
      for (let k = 0; k < x.length; k++) s += Math.abs(x[k] - y[k]);
      return s;
    case 'dot':
      for (let k = 0; k < x.length; k++) s += x[k] * y[k];
      return s;
    case 'angular': {
      let xx = 0;
      let yy = 0;
      for (let k = 0; k < x.length; k++) {
        s += x[k] * y[k];
        xx += x[k] * x[k];
        yy += y[k] * y[k];
      }
      if (xx * yy <= 0) return Math.SQRT2;
      return Math.sqrt(Math.max(0, 2 - (2 * s) / Math.sqrt(xx * yy)));
    }
    case 'hamming':
      for (let k = 0; k < x.length; k++) s += (x[k] > 0.5 ? 1 : 0) !== (y[k] > 0.5 ? 1 : 0) ? 1 : 0;
      return s;
    default:
      throw new Error(metric);
  }
}

function bruteForce(metric: string, items: number[][], q: number[], n: number): Array<[number, number]> {
  const all = items.map((v, i) => [i, exact(metric, q, v)] as [number, number]);
  all.sort((p, r) => (metric === 'dot' ? r[1] - p[1] : p[1] - r[1]) || p[0] - r[0]);
  return all.slice(0, n);
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('Annoy#getNnsByVector()', () => {
  const euclid = small('euclidean', ITEMS_2D);

  it("finds Annoy's documented neighbours (euclidean)", () => {
    expect(asIds(euclid.getNnsByVector([4, 4], 3, -1, false))).toEqual([2, 1, 0]);
    expect(asIds(euclid.getNnsByVector([1, 1], 3, -1, false))).toEqual([0, 1, 2]);
    expect(asIds(euclid.getNnsByVector([4, 2], 3, -1, false))).toEqual([1, 2, 0]);
  });

  it('returns [ids, distances] by default', () => {
    const [ids, dists] = asPair(euclid.getNnsByVector([4, 4], 3));
    expect(ids).toEqual([2, 1, 0]);
    expect(dists[0]).toBeCloseTo(Math.SQRT2, 5);
    expect(dists[1]).toBeCloseTo(Math.sqrt(5), 5);
    expect(dists[2]).toBeCloseTo(Math.sqrt(8), 5);
  });

  it('returns [ids, distances] with includeDistances = true and ids with false', () => {
    const pair = asPair(euclid.getNnsByVector([4, 4], 2, -1, true));
    const ids = asIds(euclid.getNnsByVector([4, 4], 2, -1, false));
    expect(ids).toEqual(pair[0]);
    expect(ids.length).toBe(2);
    for (const id of ids) expect(typeof id).toBe('number');
  });

  it('searchK defaults to -1', () => {
    const index = small('angular', makeVectors(300, 8, 3), 4);
    const q = new Rng(11).vector(8);
    expect(index.getNnsByVector(q, 7)).toEqual(index.getNnsByVector(q, 7, -1));
    expect(index.getNnsByVector(q, 7)).toEqual(index.getNnsByVector(q, 7, -1, true));
  });

  it('searchK = 0 returns nothing, in both shapes', () => {
    expect(asPair(euclid.getNnsByVector([4, 4], 3, 0))).toEqual([[], []]);
    expect(asIds(euclid.getNnsByVector([4, 4], 3, 0, false))).toEqual([]);
  });

  it('an explicit searchK works and a larger searchK never loses recall', () => {
    const items = makeVectors(500, 6, 21);
    const index = small('euclidean', items, 3);
    const rng = new Rng(5);
    let recallSmall = 0;
    let recallLarge = 0;
    for (let t = 0; t < 10; t++) {
      const q = rng.vector(6);
      const truth = new Set(bruteForce('euclidean', items, q, 10).map((p) => p[0]));
      const a = asIds(index.getNnsByVector(q, 10, 10, false));
      const b = asIds(index.getNnsByVector(q, 10, 100000, false));
      expect(a.length).toBeLessThanOrEqual(10);
      expect(b.length).toBe(10);
      recallSmall += a.filter((id) => truth.has(id)).length;
      recallLarge += b.filter((id) => truth.has(id)).length;
    }
    expect(recallLarge).toBe(100); // exhaustive: exact answers
    expect(recallLarge).toBeGreaterThanOrEqual(recallSmall);
  });

  it("with searchK = 10 the small euclidean case still answers (Annoy's test)", () => {
    expect(asIds(euclid.getNnsByVector([4, 4], 3, 10, false))).toEqual([2, 1, 0]);
  });

  it('n larger than the number of items returns every item', () => {
    const [ids, dists] = asPair(euclid.getNnsByVector([4, 4], 100));
    expect(ids).toEqual([2, 1, 0]);
    expect(dists.length).toBe(3);
  });

  it('accepts a Float32Array query and answers like number[]', () => {
    const index = small('angular', makeVectors(200, 5, 8), 5);
    const q = new Rng(99).vector(5);
    const a = asPair(index.getNnsByVector(q, 10));
    const b = asPair(index.getNnsByVector(new Float32Array(q), 10));
    expect(b[0]).toEqual(a[0]);
    for (let k = 0; k < a[1].length; k++) expect(b[1][k]).toBeCloseTo(a[1][k], 6);
    expect(Array.isArray(b[0])).toBe(true);
    expect(Array.isArray(b[1])).toBe(true);
  });

  it.each(['angular', 'euclidean', 'manhattan'])(
    '%s: results are sorted by distance and distances are exact',
    (metric) => {
      const items = makeVectors(400, 8, 31);
      const index = small(metric, items, 8);
      const rng = new Rng(7);
      for (let t = 0; t < 5; t++) {
        const q = rng.vector(8);
        const [ids, dists] = asPair(index.getNnsByVector(q, 50));
        expect(ids.length).toBe(50);
        expect(new Set(ids).size).toBe(50);
        expectSortedAscending(dists);
        ids.forEach((id, k) => expect(close(dists[k], exact(metric, q, items[id]))).toBe(true));
      }
    },
  );

  it('exhaustive search equals brute force', () => {
    for (const metric of ['angular', 'euclidean', 'manhattan', 'dot']) {
      const items = makeVectors(300, 6, 41);
      const index = small(metric, items, 5);
      const q = new Rng(3).vector(6);
      const [ids, dists] = asPair(index.getNnsByVector(q, 10, 1000000));
      const truth = bruteForce(metric, items, q, 10);
      truth.forEach(([id, d], k) => {
        expect(close(dists[k], d)).toBe(true);
        if (ids[k] !== id) expect(close(exact(metric, q, items[ids[k]]), d)).toBe(true); // tie
      });
    }
  });

  it('dot: "distance" is the dot product, sorted descending', () => {
    const index = small('dot', [
      [0, 1],
      [1, 1],
      [0, 0],
    ]);
    const [ids, dists] = asPair(index.getNnsByVector([2, 2], 3));
    expect(ids).toEqual([1, 0, 2]);
    expect(dists[0]).toBeCloseTo(4, 5);
    expect(dists[1]).toBeCloseTo(2, 5);
    expect(dists[2]).toBeCloseTo(0, 5);

    const big = small('dot', makeVectors(300, 6, 2), 5);
    const [, d2] = asPair(big.getNnsByVector(new Rng(1).vector(6), 30));
    expectSortedDescending(d2);
  });

  it('dot: items [2,2], [3,2], [3,3] answer [2,1,0] for every query', () => {
    const index = small('dot', ITEMS_2D);
    for (const q of [
      [4, 4],
      [1, 1],
      [4, 2],
    ]) {
      expect(asIds(index.getNnsByVector(q, 3, -1, false))).toEqual([2, 1, 0]);
    }
  });

  it('manhattan: the documented case with distances', () => {
    const index = small('manhattan', ITEMS_3D);
    const [ids, dists] = asPair(index.getNnsByVector([2, 2, 1], 3));
    expect(ids).toEqual([1, 2, 0]);
    expect(dists).toEqual([3, 4, 5]);
  });

  it("angular: Annoy's documented neighbours", () => {
    expectNnsByVector(small('angular', ANGULAR_UNIT_ITEMS), ANGULAR_UNIT_ANSWERS);
  });

  it('angular: v and -v are at distances 0 and 2', () => {
    const v = new Rng(4).vector(40);
    const index = make(40, 'angular');
    index
      .addItem(0, v)
      .addItem(
        1,
        v.map((x) => -x),
      )
      .build(10);
    const [ids, dists] = asPair(index.getNnsByVector(v, 2));
    expect(ids).toEqual([0, 1]);
    expect(dists[0]).toBeCloseTo(0, 3);
    expect(dists[1]).toBeCloseTo(2, 3);
  });

  it('hamming: distances are bit counts', () => {
    const items = makeBitVectors(200, 20, 6);
    const index = small('hamming', items, 5);
    const q = new Rng(12).bits(20);
    const [ids, dists] = asPair(index.getNnsByVector(q, 200, 1000000));
    expect(ids.length).toBe(200);
    expectSortedAscending(dists);
    ids.forEach((id, k) => {
      expect(Number.isInteger(dists[k])).toBe(true);
      expect(dists[k]).toBe(exact('hamming', q, items[id]));
    });
  });
});

describe('Annoy#getNnsByItem()', () => {
  it("finds Annoy's documented neighbours (euclidean)", () => {
    expectNnsByItem(small('euclidean', ITEMS_2D), [
      { item: 0, ids: [0, 1, 2] },
      { item: 2, ids: [2, 1, 0] },
    ]);
  });

  it("finds Annoy's documented neighbours (angular)", () => {
    expectNnsByItem(small('angular', ANGULAR_BY_ITEM_ITEMS), [
      { item: 0, ids: [0, 1, 2] },
      { item: 1, ids: [1, 0, 2] },
    ]);
  });

  it('returns [ids, distances] by default (euclidean, documented distances)', () => {
    const index = small('euclidean', ITEMS_3D);
    const [ids, dists] = asPair(index.getNnsByItem(0, 3));
    expect(ids).toEqual([0, 1, 2]);
    expect(dists[0]).toBeCloseTo(0, 6);
    expect(dists[1]).toBeCloseTo(Math.SQRT2, 5);
    expect(dists[2]).toBeCloseTo(Math.sqrt(5), 5);
    const [ids2, d2] = asPair(index.getNnsByVector([2, 2, 2], 3));
    expect(ids2).toEqual([1, 0, 2]);
    expect(d2.map((d) => d * d).map((x) => Math.round(x * 1000) / 1000)).toEqual([6, 8, 9]);
  });

  it('returns ids only with includeDistances = false', () => {
    const index = small('manhattan', ITEMS_3D);
    expect(asIds(index.getNnsByItem(0, 3, -1, false))).toEqual([0, 1, 2]);
    const [ids, dists] = asPair(index.getNnsByItem(0, 3, -1, true));
    expect(ids).toEqual([0, 1, 2]);
    expect(dists).toEqual([0, 2, 3]);
  });

  it('dot: scores by item', () => {
    const index = small('dot', ITEMS_3D);
    const [ids, dists] = asPair(index.getNnsByItem(0, 3));
    expect(ids).toEqual([0, 1, 2]);
    expect(dists).toEqual([4, 2, 0]);
  });

  it('searchK: default -1, 0 gives nothing, explicit values work', () => {
    const index = small('angular', makeVectors(300, 6, 13), 4);
    expect(index.getNnsByItem(5, 10)).toEqual(index.getNnsByItem(5, 10, -1));
    expect(asPair(index.getNnsByItem(5, 10, 0))).toEqual([[], []]);
    expect(asIds(index.getNnsByItem(5, 10, 0, false))).toEqual([]);
    const ids = asIds(index.getNnsByItem(5, 10, 50, false));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(10);
    expect(ids[0]).toBe(5);
  });

  it('n larger than the number of items returns every item once', () => {
    const index = small('euclidean', makeVectors(40, 3, 17), 3);
    const [ids, dists] = asPair(index.getNnsByItem(7, 1000));
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
    expect(ids[0]).toBe(7);
    expectSortedAscending(dists);
  });

  it('results are sorted and distances agree with getDistance()', () => {
    for (const metric of ['angular', 'euclidean', 'manhattan', 'dot', 'hamming']) {
      const items = metric === 'hamming' ? makeBitVectors(200, 32, 1) : makeVectors(200, 7, 1);
      const index = small(metric, items, 5);
      const [ids, dists] = asPair(index.getNnsByItem(3, 20));
      expect(ids.length).toBe(20);
      if (metric === 'dot') expectSortedDescending(dists);
      else expectSortedAscending(dists);
      ids.forEach((id, k) => expect(close(dists[k], index.getDistance(3, id))).toBe(true));
    }
  });

  it('never returns holes', () => {
    const index = make(6, 'euclidean');
    const vs = makeVectors(100, 6, 2);
    const added = new Set<number>();
    vs.forEach((v, k) => {
      index.addItem(3 * k + 1, v);
      added.add(3 * k + 1);
    });
    index.build(5);
    for (const i of [1, 4, 298]) {
      const ids = asIds(index.getNnsByItem(i, 1000, -1, false));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(added.has(id)).toBe(true);
    }
  });

  it('a one-item index returns that item for any n', () => {
    const index = make(4, 'euclidean');
    index.addItem(0, [1, 2, 3, 4]).build(3);
    expect(asIds(index.getNnsByItem(0, 999999999, -1, false))).toEqual([0]);
  });
});
