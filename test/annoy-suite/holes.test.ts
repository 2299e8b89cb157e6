/**
 * Annoy's test/holes_test.py (docs/compatibility.md "Holes"): ids that were never added count in
 * getNItems() but are never returned, whatever the shape of the root.
 */
import { Annoy } from '../../lib';
import { asIds, range, Rng, useTempDir } from '../helpers/fixtures';

const tmp = useTempDir('annoy-holes-');

const F = 10;

/** An index of `metric` (f=10, 10 trees) holding 1,000 random ids of 0..1999, Gaussian vectors from Rng(seed). */
function randomHoles(metric: string, seed: number) {
  const rng = new Rng(seed);
  const index = new Annoy(F, metric);
  const valid = rng.sample(2000, 1000);
  const validSet = new Set(valid);
  for (const i of valid) index.addItem(i, rng.gaussVec(F));
  index.build(10);
  /** The holes among the ids of `ids` (pushed onto `bad`). */
  const holesIn = (ids: unknown, bad: number[]) => {
    for (const j of asIds(ids)) if (!validSet.has(j)) bad.push(j);
  };
  return { rng, index, valid, holesIn };
}

test('random holes: 1,000 ids out of 2,000; no query returns a hole', () => {
  const { rng, index, valid, holesIn } = randomHoles('angular', 2000);
  expect(index.getNItems()).toBe(Math.max(...valid) + 1);
  const bad: number[] = [];
  for (const i of valid) holesIn(index.getNnsByItem(i, 10000, -1, false), bad);
  // Annoy: 1,000 random queries; same here.
  for (let q = 0; q < 1000; q++) holesIn(index.getNnsByVector(rng.gaussVec(F), 10000, -1, false), bad);
  expect(bad).toEqual([]);
  // n = 10000 with the default search_k sees every item.
  expect(asIds(index.getNnsByItem(valid[0], 10000, -1, false)).length).toBe(1000);
});

test('the same after save and a fresh load', () => {
  const { rng, index, valid, holesIn } = randomHoles('euclidean', 2001);
  const file = tmp.file('holes.ann');
  index.save(file);
  const again = new Annoy(F, 'euclidean').load(file);
  expect(again.getNItems()).toBe(Math.max(...valid) + 1);
  const bad: number[] = [];
  for (let q = 0; q < 200; q++) holesIn(again.getNnsByVector(rng.gaussVec(F), 10000, -1, false), bad);
  expect(bad).toEqual([]);
});

describe('holes at the base: items at ids 100000 .. 100000+n-1 (f=100, 100 trees)', () => {
  function holesBase(n: number, seed: number) {
    const rng = new Rng(seed);
    const f = 100;
    const base = 100000;
    const index = new Annoy(f, 'angular');
    for (let i = 0; i < n; i++) index.addItem(base + i, rng.gaussVec(f));
    index.build(100);
    expect(index.getNItems()).toBe(base + n);
    const res = asIds(index.getNnsByItem(base, n, -1, false));
    expect([...res].sort((a, b) => a - b)).toEqual(range(n, base));
    index.unload();
  }

  test('root with one child (#223)', () => holesBase(1, 1));
  test('root with two children', () => holesBase(2, 2));
  test('root with some (10) children (#295)', () => holesBase(10, 10));
  test('root with many (1,000) children', () => holesBase(1000, 1000));
});
