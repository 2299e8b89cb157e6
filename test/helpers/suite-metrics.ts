/**
 * The test bodies that Annoy's per-metric test files (angular_index_test.py,
 * euclidean_index_test.py, manhattan_index_test.py, dot_index_test.py) share, so that
 * test/annoy-suite/<metric>.test.ts states only its own data and expected values. The `...Test`
 * functions each define one jest test (call them inside a describe block); the `expect...`
 * functions are assertions for a test body.
 */
import { Annoy, Vector } from '../../lib';
import { asIds, asPair, builtIndex, MetricName, Rng } from './fixtures';

type Vec = readonly number[];

/** The three 2-d items of Annoy's euclidean, manhattan and dot tests. */
export const ITEMS_2D: readonly Vec[] = [
  [2, 2],
  [3, 2],
  [3, 3],
];

/** The three 3-d items of Annoy's "with distances" tests. */
export const ITEMS_3D: readonly Vec[] = [
  [0, 0, 2],
  [0, 1, 1],
  [1, 0, 0],
];

/** The items e3, e2, e1 of Annoy's angular getNnsByVector test, and its three queries' answers. */
export const ANGULAR_UNIT_ITEMS: readonly Vec[] = [
  [0, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
];
export const ANGULAR_UNIT_ANSWERS = [
  { query: [3, 2, 1], ids: [2, 1, 0] },
  { query: [1, 2, 3], ids: [0, 1, 2] },
  { query: [2, 0, 1], ids: [2, 0, 1] },
];

/** The items of Annoy's angular getNnsByItem test. */
export const ANGULAR_BY_ITEM_ITEMS: readonly Vec[] = [
  [2, 1, 0],
  [1, 2, 0],
  [0, 0, 1],
];

/** For each case: getNnsByVector(query, every item, searchK, false) is ids. */
export function expectNnsByVector(
  index: Annoy,
  cases: readonly { query: Vector; ids: number[] }[],
  searchK = -1,
): void {
  for (const { query, ids } of cases) {
    expect(asIds(index.getNnsByVector(query, index.getNItems(), searchK, false))).toEqual(ids);
  }
}

/** For each case: getNnsByItem(item, every item, -1, false) is ids. */
export function expectNnsByItem(index: Annoy, cases: readonly { item: number; ids: number[] }[]): void {
  for (const { item, ids } of cases) expect(asIds(index.getNnsByItem(item, index.getNItems(), -1, false))).toEqual(ids);
}

/** `result` is [ids, d] with each of `scale`(d) within `digits` decimals of `dists`. */
export function expectAnswer(
  result: unknown,
  ids: number[],
  dists: number[],
  scale = (d: number) => d,
  digits = 5,
): void {
  const [gotIds, gotDists] = asPair(result);
  expect(gotIds).toEqual(ids);
  dists.forEach((d, k) => expect(scale(gotDists[k])).toBeCloseTo(d, digits));
}

/** Annoy's two ranking tests over ITEMS_2D: getNnsByVector of some queries, getNnsByItem of some items. */
export function rankingTests(
  metric: MetricName,
  byVector: { title: string; cases: { query: Vector; ids: number[] }[] },
  byItem: { title: string; cases: { item: number; ids: number[] }[] },
): void {
  test(byVector.title, () => expectNnsByVector(builtIndex(metric, ITEMS_2D), byVector.cases));
  test(byItem.title, () => expectNnsByItem(builtIndex(metric, ITEMS_2D), byItem.cases));
}

/**
 * rankingTests for a metric whose distance grows apart (euclidean, manhattan): [4,4] gives
 * [2,1,0] and [1,1] gives [0,1,2]; the metric's own third query gives thirdIds; items 0 and 2 give
 * [0,1,2] and [2,1,0].
 */
export function distanceRankingTests(metric: MetricName, thirdQuery: number[], thirdIds: number[]): void {
  rankingTests(
    metric,
    {
      title: 'getNnsByVector',
      cases: [
        { query: [4, 4], ids: [2, 1, 0] },
        { query: [1, 1], ids: [0, 1, 2] },
        { query: thirdQuery, ids: thirdIds },
      ],
    },
    {
      title: 'getNnsByItem',
      cases: [
        { item: 0, ids: [0, 1, 2] },
        { item: 2, ids: [2, 1, 0] },
      ],
    },
  );
}

/**
 * Annoy's distance test: items [0,1], [1,1], [0,0]; d(0, 1) is 1 and d(1, 2) is d12 (6 decimals),
 * before build and, with afterBuild, after build(10) too.
 */
export function distanceTest(title: string, metric: MetricName, d12: number, afterBuild = false): void {
  test(title, () => {
    const index = new Annoy(2, metric);
    index.addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
    for (const built of afterBuild ? [false, true] : [false]) {
      if (built) index.build(10);
      expect(index.getDistance(0, 1)).toBeCloseTo(1.0, 6);
      expect(index.getDistance(1, 2)).toBeCloseTo(d12, 6);
    }
  });
}

/**
 * Annoy's "with distances" test over ITEMS_3D: getNnsByItem(0) gives [0, 1, 2] at distances item0,
 * getNnsByVector(query) gives ids at distances dists (both with distances; after `scale`, to 5
 * decimals).
 */
export function withDistancesTest(
  metric: MetricName,
  want: { item0: number[]; query: number[]; ids: number[]; dists: number[] },
  scale?: (d: number) => number,
): void {
  test('with distances: items [0,0,2], [0,1,1], [1,0,0]', () => {
    const index = builtIndex(metric, ITEMS_3D);
    expectAnswer(index.getNnsByItem(0, 3, -1, true), [0, 1, 2], want.item0, scale);
    expectAnswer(index.getNnsByVector(want.query, 3, -1, true), want.ids, want.dists, scale);
  });
}

/**
 * Annoy's v and -v test (f=40, v Gaussian from Rng(seed), float32-rounded with fround): item 0's
 * two nearest with distances are [0, 1]; `check` judges the distances.
 */
export function oppositeVectorsTest(
  title: string,
  metric: MetricName,
  opts: { seed: number; searchK: number; fround?: boolean; check: (dists: number[], v: number[]) => void },
): void {
  test(title, () => {
    const g = new Rng(opts.seed).gaussVec(40);
    const v = opts.fround ? g.map(Math.fround) : g;
    const index = builtIndex(metric, [v, v.map((x) => -x)]);
    const [ids, dists] = asPair(index.getNnsByItem(0, 2, opts.searchK, true));
    expect(ids).toEqual([0, 1]);
    opts.check(dists, v);
  });
}

/** oppositeVectorsTest of euclidean and manhattan: search_k 10, the first at distance exactly 0. */
export function oppositeVectorsZeroTest(metric: MetricName, seed: number): void {
  oppositeVectorsTest('v and -v (f=40) give [0, 1], the first at distance 0', metric, {
    seed,
    searchK: 10,
    check: (dists) => expect(dists[0]).toBe(0),
  });
}

/**
 * Annoy's near-duplicate test: 5,000 pairs (f=10) made by `pair` from a Gaussian p; the top 2 of
 * every item j of a pair are [j, its twin].
 */
export function nearDuplicatePairsTest(
  title: string,
  metric: MetricName,
  seed: number,
  pair: (rng: Rng, p: number[]) => [number[], number[]],
): void {
  test(title, () => {
    const rng = new Rng(seed);
    const index = new Annoy(10, metric);
    for (let j = 0; j < 10000; j += 2) {
      const [a, b] = pair(rng, rng.gaussVec(10));
      index.addItem(j, a).addItem(j + 1, b);
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
}

/**
 * Annoy's precision test (f=10): 10,000 points, point j made by `point` so that its distance to
 * `query` grows with j; the n nearest of `query` (search_k `searchK`) come in id order, and at
 * least 98% of them are below n, for n = 1, 10, 100, 1000. Annoy: 10 rounds of 10,000 points per
 * n. Here: 3 rounds, each queried for every n.
 */
export function precisionTest(
  title: string,
  metric: MetricName,
  opts: { seed: number; point: (rng: Rng, j: number) => number[]; query: number[]; searchK: number },
): void {
  test(title, () => {
    const ns = [1, 10, 100, 1000];
    const rounds = 3;
    const found = new Map<number, number>(ns.map((n) => [n, 0]));
    const rng = new Rng(opts.seed);
    for (let r = 0; r < rounds; r++) {
      const index = new Annoy(10, metric);
      for (let j = 0; j < 10000; j++) index.addItem(j, opts.point(rng, j));
      index.build(10);
      for (const n of ns) {
        const nns = asIds(index.getNnsByVector(opts.query, n, opts.searchK, false));
        expect(nns).toEqual([...nns].sort((a, b) => a - b));
        found.set(n, found.get(n)! + nns.filter((x) => x < n).length);
      }
      index.unload();
    }
    for (const n of ns) expect(found.get(n)! / (n * rounds)).toBeGreaterThanOrEqual(0.98);
  });
}

/** |actual - expected| <= 1e-3 * max(1, |expected|). */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(expected)));
}

/**
 * Annoy's distance consistency test: 1,000 float32 Gaussian points (f=3, Rng(seed)); for 100 of
 * them, each of the 100 nearest has its returned distance near `exact`, and getDistance near
 * `exact` (or, with getDistanceVs 'returned', the returned distance near getDistance). With
 * descending, the returned distances (dot's scores) are also non-increasing.
 */
export function distanceConsistencyTest(
  title: string,
  metric: MetricName,
  seed: number,
  exact: (u: number[], v: number[]) => number,
  opts: { getDistanceVs?: 'exact' | 'returned'; descending?: boolean } = {},
): void {
  test(title, () => {
    const rng = new Rng(seed);
    const n = 1000;
    const vs: number[][] = [];
    const index = new Annoy(3, metric);
    for (let j = 0; j < n; j++) {
      const v = rng.gaussVec(3).map(Math.fround);
      vs.push(v);
      index.addItem(j, v);
    }
    index.build(10);
    for (const a of rng.sample(n, 100)) {
      const [ids, dists] = asPair(index.getNnsByItem(a, 100));
      if (opts.descending) for (let k = 1; k < dists.length; k++) expect(dists[k]).toBeLessThanOrEqual(dists[k - 1]);
      ids.forEach((b, k) => {
        const viaGet = index.getDistance(a, b);
        const want = exact(vs[a], vs[b]);
        expectNear(dists[k], want);
        if (opts.getDistanceVs === 'returned') expectNear(dists[k], viaGet);
        else expectNear(viaGet, want);
      });
    }
  });
}
