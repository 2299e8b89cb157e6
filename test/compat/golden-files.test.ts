/**
 * Golden files written by the original C++ Annoy 1.17 (test/fixtures/README.md): every file
 * loads here and gives the answers recorded beside it.
 */
import { Annoy } from '../../lib';
import {
  answerMismatch,
  asIds,
  asPair,
  closeTo,
  listFixtureCases,
  loadFixture,
  LoadedFixture,
} from '../helpers/fixtures';

const cases = listFixtureCases();

test('the fixture directory holds the 15 golden cases', () => {
  expect(cases.length).toBe(15);
  expect(new Set(cases.map((c) => c.metric)).size).toBe(5);
  expect(cases.filter((c) => c.holes).length).toBe(5);
});

describe.each(cases.map((c) => [c.name, c] as const))('golden file %s', (_name, c) => {
  let fx: LoadedFixture;
  let index: Annoy;

  beforeAll(() => {
    fx = loadFixture(c);
    index = new Annoy(c.f, c.metric).load(c.annPath);
  });

  afterAll(() => {
    index?.unload();
  });

  test('json and file name agree', () => {
    expect(fx.json.metric).toBe(c.metric);
    expect(fx.json.f).toBe(c.f);
    expect(fx.json.seed).toBe(c.seed);
    expect(fx.json.n_added).toBe(c.nAdded);
    expect(fx.queries.length).toBe(20);
  });

  test('getNItems() == n_items and getNTrees() == n_trees_after_load', () => {
    expect(index.getNItems()).toBe(fx.json.n_items);
    expect(index.getNTrees()).toBe(fx.json.n_trees_after_load);
  });

  test('by_vector answers: getNnsByVector(query, n, search_k, true)', () => {
    const mismatches: string[] = [];
    for (const e of fx.json.by_vector) {
      const [ids, dists] = asPair(index.getNnsByVector(fx.queries[e.query], e.n, e.search_k, true));
      const m = answerMismatch(ids, dists, e.ids, e.distances);
      if (m) mismatches.push(`query ${e.query} search_k ${e.search_k}: ${m}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('by_item answers: getNnsByItem(item, n, search_k, true)', () => {
    const mismatches: string[] = [];
    for (const e of fx.json.by_item) {
      const [ids, dists] = asPair(index.getNnsByItem(e.item, e.n, e.search_k, true));
      const m = answerMismatch(ids, dists, e.ids, e.distances);
      if (m) mismatches.push(`item ${e.item}: ${m}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('includeDistances=false returns the same ids alone', () => {
    for (const e of fx.json.by_vector.slice(0, 6)) {
      const [ids] = asPair(index.getNnsByVector(fx.queries[e.query], e.n, e.search_k, true));
      expect(asIds(index.getNnsByVector(fx.queries[e.query], e.n, e.search_k, false))).toEqual(ids);
    }
  });

  test('recorded distances: getDistance(i, j)', () => {
    for (const e of fx.json.distances) {
      const d = index.getDistance(e.i, e.j);
      if (!closeTo(d, e.distance)) {
        throw new Error(`getDistance(${e.i}, ${e.j}) = ${d}, expected ${e.distance}`);
      }
      expect(closeTo(index.getDistance(e.j, e.i), e.distance)).toBe(true);
    }
  });

  test('getItemVector(id) gives back the added vectors (float32 exact; hamming 0/1)', () => {
    const bad: string[] = [];
    fx.json.ids.forEach((id, k) => {
      const got = Array.from(index.getItemVector(id));
      const want = Array.from(fx.items[k]);
      if (got.length !== c.f || got.some((x, z) => x !== want[z])) {
        bad.push(`item ${id}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      }
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  test('holes (ids never added) are never returned', () => {
    const added = new Set(fx.json.ids);
    const returned: number[] = [];
    for (const q of fx.queries) {
      returned.push(...asIds(index.getNnsByVector(q, 50, -1, false)));
      returned.push(...asIds(index.getNnsByVector(q, 1000, 100000, false)));
    }
    for (const id of fx.json.ids.slice(0, 20)) returned.push(...asIds(index.getNnsByItem(id, 1000, -1, false)));
    expect(returned.length).toBeGreaterThan(0);
    expect(returned.filter((id) => !added.has(id))).toEqual([]);
    if (c.holes) {
      // -holes cases add ids 1, 4, 7, ...: 0, 2, 3 are holes.
      expect(added.has(0) || added.has(2) || added.has(3)).toBe(false);
      expect(fx.json.n_items).toBe(Math.max(...fx.json.ids) + 1);
    }
  });

  test('an exhaustive search returns every added item exactly once', () => {
    const ids = asIds(index.getNnsByVector(fx.queries[0], fx.json.n_items + 10, 1e9, false));
    expect(ids.length).toBe(fx.json.ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual([...fx.json.ids].sort((a, b) => a - b));
  });
});
