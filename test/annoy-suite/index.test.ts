/**
 * Annoy's test/index_test.py, types_test.py and memory_leak_test.py (docs/compatibility.md "Index
 * (index_test.py, types_test.py, memory_leak_test.py)"), the get_n_trees-after-load edge cases of
 * docs/format.md "The root scan" and the build(-1) tree counts of docs/algorithms.md "Tree count",
 * with the project's decisions: errors are AnnoyErrors matched by `code`, queries before build
 * throw ANNOY_NOT_BUILT (the original returned []), build/addItem/load/save return `this`.
 *
 * Loops that Annoy runs 100,000 times run 1,000 times here to keep the suite fast.
 *
 * Not here: test_very_large_index (docs/format.md "Large indexes") needs a file of at least 2^31
 * bytes (ids from 89,478,485 at 24 bytes a node), over this suite's 1 GB disk budget.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Annoy, AnnoyIndex } from '../../lib';
import {
  asIds,
  asPair,
  catchError,
  expectAnnoyError,
  MetricName,
  METRICS,
  nodeSize,
  range,
  Rng,
  UPSTREAM_TREE,
  useTempDir,
} from '../helpers/fixtures';

const tmp = useTempDir('annoy-index-');

function randomIndex(metric: MetricName, f: number, n: number, seed: number): Annoy {
  const rng = new Rng(seed);
  const index = new Annoy(f, metric);
  for (let i = 0; i < n; i++) index.addItem(i, metric === 'hamming' ? rng.bits(f) : rng.gaussVec(f));
  return index;
}

describe('index_test.py: files', () => {
  test('loading a missing file is ANNOY_IO with errno ENOENT and the path', () => {
    const missing = tmp.file('nonexists.tree');
    const err = expectAnnoyError(() => new Annoy(10, 'angular').load(missing), 'ANNOY_IO');
    expect(err.errno).toBe(2);
    expect(err.path).toBe(missing);
  });

  test('load/unload 1,000 times (Annoy: 100,000)', () => {
    const index = new Annoy(10, 'angular');
    for (let x = 0; x < 1000; x++) {
      index.load(UPSTREAM_TREE);
      index.unload();
    }
    expect(index.getNItems()).toBe(0);
    expect(index.getNTrees()).toBe(0);
  });

  test('construct + load 1,000 times (Annoy: 100,000)', () => {
    for (let x = 0; x < 1000; x++) new Annoy(10, 'angular').load(UPSTREAM_TREE);
    expect(new Annoy(10, 'angular').load(UPSTREAM_TREE).getNItems()).toBe(100);
  });

  test('construct + addItem(1000, v) 1,000 times (Annoy: 100,000)', () => {
    const rng = new Rng(1000);
    for (let x = 0; x < 1000; x++) new Annoy(10, 'angular').addItem(1000, rng.gaussVec(10));
    const index = new Annoy(10, 'angular').addItem(1000, rng.gaussVec(10));
    expect(index.getNItems()).toBe(1001);
  });

  test('save twice (#100): both files load and answer the same', () => {
    const t = randomIndex('angular', 10, 100, 100);
    t.build(10);
    const f1 = tmp.file('t1.ann');
    const f2 = tmp.file('t2.ann');
    expect(t.save(f1)).toBe(t);
    t.save(f2);
    expect(fs.readFileSync(f1).equals(fs.readFileSync(f2))).toBe(true);
    const a = new Annoy(10, 'angular').load(f1);
    const b = new Annoy(10, 'angular').load(f2);
    expect(asPair(a.getNnsByItem(3, 10))).toEqual(asPair(b.getNnsByItem(3, 10)));
  });

  test('load -> save -> getItemVector(99) stays the same, with prefault true and false (#61)', () => {
    const i = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    const u = i.getItemVector(99);
    expect(u.length).toBe(10);
    i.save(tmp.file('i.tree'));
    expect(i.getItemVector(99)).toEqual(u);
    const j = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    expect(j.getItemVector(99)).toEqual(u);
    j.save(tmp.file('j.tree'), true);
    const k = new Annoy(10, 'angular').load(tmp.file('j.tree'), true);
    expect(k.getItemVector(99)).toEqual(u);
    k.save(tmp.file('k.tree'), false);
    const l = new Annoy(10, 'angular').load(tmp.file('k.tree'), false);
    expect(l.getItemVector(99)).toEqual(u);
  });

  test('a prefault load gives the same neighbours', () => {
    const t = randomIndex('angular', 10, 500, 5);
    t.build(10);
    const file = tmp.file('prefault.ann');
    t.save(file);
    const a = new Annoy(10, 'angular').load(file, false);
    const b = new Annoy(10, 'angular').load(file, true);
    for (const i of [0, 17, 499]) expect(asPair(b.getNnsByItem(i, 20))).toEqual(asPair(a.getNnsByItem(i, 20)));
  });

  test('save without build is ANNOY_NOT_BUILT and writes nothing', () => {
    const i = randomIndex('angular', 10, 10, 1);
    const file = tmp.file('unbuilt.ann');
    expectAnnoyError(() => i.save(file), 'ANNOY_NOT_BUILT');
    expect(fs.existsSync(file)).toBe(false);
    // the index keeps its state
    expect(i.getNItems()).toBe(10);
    i.build(2);
    expect(i.getNTrees()).toBe(2);
  });

  test('save("") is an error (ANNOY_IO or ANNOY_INVALID_ARGUMENT)', () => {
    const i = randomIndex('angular', 10, 10, 2);
    i.build(2);
    expectAnnoyError(() => i.save(''), ['ANNOY_IO', 'ANNOY_INVALID_ARGUMENT']);
  });

  test('saving into a directory that does not exist is ANNOY_IO', () => {
    const i = randomIndex('angular', 10, 10, 3);
    i.build(2);
    const target = path.join(tmp.dir, 'no', 'such', 'dir', 'x.ann');
    const err = expectAnnoyError(() => i.save(target), 'ANNOY_IO');
    expect(typeof err.errno).toBe('number');
    // the index keeps its state after the failed save
    expect(i.getNTrees()).toBe(2);
    expect(asIds(i.getNnsByItem(0, 3, -1, false))[0]).toBe(0);
  });

  test('loading with the wrong f (200 or 50 instead of 100) is ANNOY_INVALID_FILE', () => {
    const t = randomIndex('angular', 100, 1000, 4);
    t.build(10);
    const file = tmp.file('f100.ann');
    t.save(file);
    const size = fs.statSync(file).size;
    // (preconditions: the sizes do not divide evenly, else the original could not tell either)
    expect(size % nodeSize('angular', 200)).not.toBe(0);
    expect(size % nodeSize('angular', 50)).not.toBe(0);
    expectAnnoyError(() => new Annoy(200, 'angular').load(file), 'ANNOY_INVALID_FILE');
    expectAnnoyError(() => new Annoy(50, 'angular').load(file), 'ANNOY_INVALID_FILE');
    expect(new Annoy(100, 'angular').load(file).getNItems()).toBe(1000);
  });

  test('an empty file is ANNOY_INVALID_FILE', () => {
    const file = tmp.file('empty.ann');
    fs.writeFileSync(file, Buffer.alloc(0));
    expectAnnoyError(() => new Annoy(10, 'angular').load(file), 'ANNOY_INVALID_FILE');
  });

  test('overwriting a file mapped by another index works on POSIX (#335)', () => {
    const f = 40;
    const file = tmp.file('overwrite.ann');
    const t = randomIndex('angular', f, 1000, 335);
    t.build(10);
    t.save(file);
    const t2 = new Annoy(f, 'angular').load(file);
    const t3 = randomIndex('angular', f, 500, 336);
    t3.build(10);
    if (process.platform === 'win32') {
      expectAnnoyError(() => t3.save(file), 'ANNOY_IO');
      return;
    }
    t3.save(file);
    const v = new Rng(337).gaussVec(f);
    // t2 still serves the old (unlinked) file: no crash, all its 1,000 items.
    expect(asIds(t2.getNnsByVector(v, 1000, -1, false)).length).toBeGreaterThan(500);
    expect(t2.getNItems()).toBe(1000);
    expect(new Annoy(f, 'angular').load(file).getNItems()).toBe(500);
  });
});

describe('index_test.py: lifecycle guards', () => {
  test('unbuild of a loaded index is ANNOY_READ_ONLY', () => {
    const i = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    expectAnnoyError(() => i.unbuild(), 'ANNOY_READ_ONLY');
    expect(i.getNTrees()).toBe(10);
  });

  test('addItem and build on a loaded index are ANNOY_READ_ONLY', () => {
    const i = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    expectAnnoyError(() => i.addItem(100, new Array(10).fill(1)), 'ANNOY_READ_ONLY');
    expectAnnoyError(() => i.build(10), 'ANNOY_READ_ONLY');
    expect(i.getNItems()).toBe(100);
  });

  test('addItem after save is ANNOY_READ_ONLY (#398)', () => {
    const i = randomIndex('angular', 10, 10, 398);
    i.build(10);
    i.save(tmp.file('add-after-save.ann'));
    expectAnnoyError(() => i.addItem(10, new Array(10).fill(1)), 'ANNOY_READ_ONLY');
    expect(i.getNItems()).toBe(10);
  });

  test('build twice is ANNOY_ALREADY_BUILT (#420)', () => {
    const i = randomIndex('angular', 10, 10, 420);
    i.build(10);
    expectAnnoyError(() => i.build(10), 'ANNOY_ALREADY_BUILT');
    expect(i.getNTrees()).toBe(10);
  });

  test('queries before build (or after unbuild) are ANNOY_NOT_BUILT (the original returned [])', () => {
    const i = randomIndex('angular', 3, 10, 1);
    expectAnnoyError(() => i.getNnsByItem(0, 3), 'ANNOY_NOT_BUILT');
    expectAnnoyError(() => i.getNnsByVector([1, 0, 0], 3), 'ANNOY_NOT_BUILT');
    i.build(2);
    expect(asIds(i.getNnsByItem(0, 3, -1, false))[0]).toBe(0);
    i.unbuild();
    expectAnnoyError(() => i.getNnsByItem(0, 3), 'ANNOY_NOT_BUILT');
  });

  test('getDistance and getItemVector work before build', () => {
    const i = new Annoy(2, 'euclidean').addItem(0, [0, 0]).addItem(1, [3, 4]);
    expect(i.getDistance(0, 1)).toBeCloseTo(5, 6);
    expect(i.getItemVector(1)).toEqual([3, 4]);
  });

  test('build, addItem, unbuild, load, save and unload return the index itself', () => {
    const i = new Annoy(2, 'euclidean');
    expect(i.addItem(0, [1, 2])).toBe(i);
    i.addItem(1, [2, 1]);
    expect(i.build(2)).toBe(i);
    expect(i.unbuild()).toBe(i);
    i.build(2);
    const file = tmp.file('chain.ann');
    expect(i.save(file)).toBe(i);
    expect(i.unload()).toBe(i);
    expect(i.load(file)).toBe(i);
  });

  test('unbuild, add more, build again (#174)', () => {
    const i = randomIndex('euclidean', 3, 10, 174);
    i.build(5);
    i.unbuild();
    i.addItem(10, [100, 100, 100]);
    i.build(5);
    expect(i.getNItems()).toBe(11);
    expect(asIds(i.getNnsByVector([100, 100, 100], 1, -1, false))).toEqual([10]);
  });

  test('100 unbuild/build cycles keep n_items 1000 (memory_leak_test.py)', () => {
    const i = randomIndex('angular', 10, 1000, 100);
    i.build(10);
    for (let j = 0; j < 100; j++) {
      i.unbuild();
      i.build(10);
    }
    expect(i.getNItems()).toBe(1000);
    expect(i.getNTrees()).toBe(10);
  });

  test('getNnsByItem(0, 999999999) on a one-item index is [0] (memory_leak_test.py)', () => {
    const i = new Annoy(10, 'angular').addItem(0, new Rng(9).gaussVec(10));
    i.build(10);
    expect(asIds(i.getNnsByItem(0, 999999999, -1, false))).toEqual([0]);
  });

  test('unload empties the index: n_items 0, n_trees 0', () => {
    const i = randomIndex('angular', 10, 10, 12);
    i.build(3);
    i.unload();
    expect(i.getNItems()).toBe(0);
    expect(i.getNTrees()).toBe(0);
  });
});

describe('index_test.py: metrics and the constructor', () => {
  test('an unknown metric is ANNOY_UNKNOWN_METRIC', () => {
    expectAnnoyError(() => new Annoy(10, 'banana' as never), 'ANNOY_UNKNOWN_METRIC');
  });

  test('aliases resolve to the canonical metric name (case-insensitive)', () => {
    const cases: [string, MetricName][] = [
      ['cosine', 'angular'],
      ['l2', 'euclidean'],
      ['EUCLID', 'euclidean'],
      ['lstsq', 'euclidean'],
      ['l1', 'manhattan'],
      ['cityblock', 'manhattan'],
      ['taxicab', 'manhattan'],
      ['inner_product', 'dot'],
      ['ip', 'dot'],
      ['dotproduct', 'dot'],
      ['@', 'dot'],
      ['.', 'dot'],
      ['ham', 'hamming'],
      ['Angular', 'angular'],
    ];
    for (const [alias, canonical] of cases) expect(new Annoy(3, alias as never).metric).toBe(canonical);
  });

  test('the default metric is angular; AnnoyIndex is the same class', () => {
    expect(new Annoy(3).metric).toBe('angular');
    expect(AnnoyIndex).toBe(Annoy);
    const i = new AnnoyIndex(2, 'euclidean');
    i.addItem(0, [1, 0]).addItem(1, [9, 0]);
    expect(i.getDistance(0, 1)).toBeCloseTo(8, 6);
    expect(i.f).toBe(2);
  });

  test('snake_case names are the same methods with the same defaults', () => {
    const i: any = new Annoy(2, 'euclidean');
    i.add_item(0, [2, 2]).add_item(1, [3, 2]).add_item(2, [3, 3]);
    i.build(10);
    expect(asPair(i.get_nns_by_vector([4, 4], 3))).toEqual(asPair(i.getNnsByVector([4, 4], 3)));
    expect(asIds(i.get_nns_by_item(0, 3, -1, false))).toEqual([0, 1, 2]);
    expect(i.get_n_items()).toBe(3);
    expect(i.get_n_trees()).toBe(10);
    expect(i.get_item_vector(1)).toEqual([3, 2]);
    expect(i.get_distance(0, 1)).toBeCloseTo(1, 6);
  });

  test('f = 0 takes the dimension from the first vector', () => {
    const i = new Annoy(0, 'euclidean');
    i.addItem(0, [1, 2, 3]);
    expect(i.f).toBe(3);
    expectAnnoyError(() => i.addItem(1, [1, 2]), 'ANNOY_DIMENSION_MISMATCH');
    expectAnnoyError(() => new Annoy(0, 'euclidean').addItem(0, []), 'ANNOY_EMPTY_VECTOR');
  });
});

describe('types_test.py: bad vectors and ids', () => {
  const f = 10;
  const n = 100;
  let index: Annoy;
  beforeAll(() => {
    index = randomIndex('angular', f, n, 77);
    index.build(10);
  });

  test('wrong lengths (f + 1000, or empty) are errors', () => {
    const fresh = new Annoy(f, 'angular');
    expectAnnoyError(() => fresh.addItem(0, new Array(f + 1000).fill(1)), 'ANNOY_DIMENSION_MISMATCH');
    expectAnnoyError(() => fresh.addItem(0, []), ['ANNOY_DIMENSION_MISMATCH', 'ANNOY_EMPTY_VECTOR']);
    expectAnnoyError(() => index.getNnsByVector(new Array(f + 1000).fill(1), 3), 'ANNOY_DIMENSION_MISMATCH');
    expectAnnoyError(() => index.getNnsByVector([], 3), ['ANNOY_DIMENSION_MISMATCH', 'ANNOY_EMPTY_VECTOR']);
    expect(fresh.getNItems()).toBe(0);
  });

  test('Float32Array and number[] vectors are both accepted', () => {
    const a = new Annoy(3, 'euclidean');
    a.addItem(0, new Float32Array([1, 2, 3])).addItem(1, [3, 2, 1]);
    expect(a.getItemVector(0)).toEqual([1, 2, 3]);
    a.build(1);
    expect(asIds(a.getNnsByVector(new Float32Array([3, 2, 1]), 1, -1, false))).toEqual([1]);
  });

  test('addItem(-1) is ANNOY_INVALID_ID; so are non-integer and too large ids', () => {
    const fresh = new Annoy(f, 'angular');
    const v = new Array(f).fill(1);
    expectAnnoyError(() => fresh.addItem(-1, v), 'ANNOY_INVALID_ID');
    expectAnnoyError(() => fresh.addItem(1.5, v), 'ANNOY_INVALID_ID');
    expectAnnoyError(() => fresh.addItem(2 ** 31 - 1, v), 'ANNOY_INVALID_ID');
    expectAnnoyError(() => fresh.addItem(2 ** 31, v), 'ANNOY_INVALID_ID');
    expect(fresh.getNItems()).toBe(0);
  });

  test.each([-1000, -1])('id %i: getDistance, getNnsByItem, getItemVector are ANNOY_INVALID_ID', (bad) => {
    expectAnnoyError(() => index.getDistance(0, bad), 'ANNOY_INVALID_ID');
    expectAnnoyError(() => index.getDistance(bad, 0), 'ANNOY_INVALID_ID');
    expectAnnoyError(() => index.getNnsByItem(bad, 1), 'ANNOY_INVALID_ID');
    expectAnnoyError(() => index.getItemVector(bad), 'ANNOY_INVALID_ID');
  });

  test.each([n, n + 1000])(
    'id %i (>= n_items): getDistance, getNnsByItem, getItemVector are ANNOY_ID_OUT_OF_RANGE',
    (bad) => {
      expectAnnoyError(() => index.getDistance(0, bad), 'ANNOY_ID_OUT_OF_RANGE');
      expectAnnoyError(() => index.getDistance(bad, 0), 'ANNOY_ID_OUT_OF_RANGE');
      expectAnnoyError(() => index.getNnsByItem(bad, 1), 'ANNOY_ID_OUT_OF_RANGE');
      expectAnnoyError(() => index.getItemVector(bad), 'ANNOY_ID_OUT_OF_RANGE');
    },
  );

  test('non-numbers and non-finite components are rejected', () => {
    const fresh = new Annoy(3, 'angular');
    expectAnnoyError(() => fresh.addItem(0, ['a', 'b', 'c'] as never), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => fresh.addItem(0, 'abc' as never), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => fresh.addItem(0, [1, NaN, 3]), 'ANNOY_NON_FINITE');
    expectAnnoyError(() => fresh.addItem(0, [1, Infinity, 3]), 'ANNOY_NON_FINITE');
    expect(fresh.getNItems()).toBe(0);
  });

  test('n_trees, n_jobs and search_k ranges', () => {
    const i = randomIndex('euclidean', 3, 20, 8);
    expectAnnoyError(() => i.build(0), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => i.build(-2), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => i.build(2, 0), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => i.build(2, -2), 'ANNOY_INVALID_ARGUMENT');
    i.build(2, 1);
    expectAnnoyError(() => i.getNnsByItem(0, 3, -2), 'ANNOY_INVALID_ARGUMENT');
    // search_k = 0 returns nothing
    expect(asIds(i.getNnsByItem(0, 3, 0, false))).toEqual([]);
  });
});

describe('#279: build(-1) with ids 1..3 (a hole at 0)', () => {
  function check(a: Annoy) {
    expect(a.getNItems()).toBe(4);
    expect(a.getItemVector(3)).toEqual([0, 0, 1]);
    expect(new Set(asIds(a.getNnsByItem(1, 999, -1, false)))).toEqual(new Set([1, 2, 3]));
  }

  test('before and after save', () => {
    const a = new Annoy(3, 'angular');
    a.addItem(1, [1, 0, 0]).addItem(2, [0, 1, 0]).addItem(3, [0, 0, 1]);
    a.build(-1);
    check(a);
    const file = tmp.file('279.ann');
    a.save(file);
    check(a);
    check(new Annoy(3, 'angular').load(file));
  });
});

describe('getNTrees() after load (docs/format.md "The root scan")', () => {
  test('n_items <= K: angular f=10, 5 items, build(4): 4 trees before save, 2q - 1 = 7 after load', () => {
    const i = randomIndex('angular', 10, 5, 15);
    i.build(4, 1);
    expect(i.getNTrees()).toBe(4);
    const file = tmp.file('small-k.ann');
    i.save(file);
    const j = new Annoy(10, 'angular').load(file);
    expect(j.getNTrees()).toBe(7);
    expect(j.getNItems()).toBe(5);
    // the duplicate roots are harmless
    expect(asIds(j.getNnsByItem(0, 5, -1, false)).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('the saving object reports what a load of its file reports (save = write + load)', () => {
    const i = randomIndex('angular', 10, 5, 15);
    i.build(4, 1);
    i.save(tmp.file('small-k-same.ann'));
    expect(i.getNTrees()).toBe(7);
  });

  test.each(METRICS)('%s: no items, build(10): 20 zero nodes, 19 "trees" and n_items 0 after load', (metric) => {
    const i = new Annoy(3, metric);
    i.build(10, 1);
    const file = tmp.file(`no-items-${metric}.ann`);
    i.save(file);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBe(20 * nodeSize(metric, 3));
    expect(bytes.every((b) => b === 0)).toBe(true);
    const j = new Annoy(3, metric).load(file);
    expect(j.getNItems()).toBe(0);
    expect(j.getNTrees()).toBe(19);
  });

  test('angular f=3 with no items: the file is 480 bytes', () => {
    const i = new Annoy(3, 'angular');
    i.build(10, 1);
    const file = tmp.file('no-items-480.ann');
    i.save(file);
    expect(fs.statSync(file).size).toBe(480);
  });

  test.each([
    ['angular', 21],
    ['euclidean', 20],
    ['manhattan', 20],
    ['dot', 20],
    ['hamming', 20],
  ] as [MetricName, number][])('%s: one item, build(10): 21 nodes; %i trees after load', (metric, trees) => {
    const i = new Annoy(3, metric);
    i.addItem(0, metric === 'hamming' ? [1, 0, 1] : [1, 2, 3]);
    i.build(10, 1);
    const file = tmp.file(`one-item-${metric}.ann`);
    i.save(file);
    expect(fs.statSync(file).size).toBe(21 * nodeSize(metric, 3));
    const j = new Annoy(3, metric).load(file);
    expect(j.getNItems()).toBe(1);
    expect(j.getNTrees()).toBe(trees);
    expect(asIds(j.getNnsByItem(0, 10, -1, false))).toEqual([0]);
  });
});

describe('build(-1) tree counts on one thread: stop once nodes >= 2 x items (docs/algorithms.md "Tree count")', () => {
  test('3 items (f=3): 3 trees', () => {
    const i = new Annoy(3, 'angular');
    i.addItem(0, [1, 0, 0]).addItem(1, [0, 1, 0]).addItem(2, [0, 0, 1]);
    i.build(-1, 1);
    expect(i.getNTrees()).toBe(3);
  });

  test('10 items (f=3): 4 trees', () => {
    // Two tight, far-apart clusters of 5: every tree is one split over two buckets (3 nodes),
    // so the node count goes 10, 13, 16, 19, 22.
    const rng = new Rng(10);
    const i = new Annoy(3, 'euclidean');
    for (let k = 0; k < 10; k++) {
      const c = k < 5 ? 10 : -10;
      i.addItem(k, [c + rng.gauss(0, 0.1), c + rng.gauss(0, 0.1), c + rng.gauss(0, 0.1)]);
    }
    i.build(-1, 1);
    expect(i.getNTrees()).toBe(4);
  });

  test.each([
    [100, 2],
    [1000, 2],
  ])('%i items (f=3): %i trees', (n, trees) => {
    const i = randomIndex('euclidean', 3, n, n);
    i.build(-1, 1);
    expect(i.getNTrees()).toBe(trees);
  });

  test('2,000 items (f=5): 3 trees', () => {
    const i = randomIndex('euclidean', 5, 2000, 2000);
    i.build(-1, 1);
    expect(i.getNTrees()).toBe(3);
  });
});

test('getItemVector after save/load is the float32 value (prefault true and false)', () => {
  const rng = new Rng(61);
  const vs = range(20).map(() => rng.gaussVec(7));
  const i = new Annoy(7, 'euclidean');
  vs.forEach((v, k) => i.addItem(k, v));
  const want = vs.map((v) => v.map((x) => Math.fround(x)));
  expect(vs.map((_, k) => i.getItemVector(k))).toEqual(want);
  i.build(5);
  const file = tmp.file('vectors.ann');
  i.save(file);
  expect(vs.map((_, k) => i.getItemVector(k))).toEqual(want);
  for (const prefault of [false, true]) {
    const j = new Annoy(7, 'euclidean').load(file, prefault);
    expect(vs.map((_, k) => j.getItemVector(k))).toEqual(want);
  }
});

test('after an error the index keeps its state', () => {
  const i = randomIndex('euclidean', 3, 5, 55);
  const err = catchError(() => i.addItem(5, [1, 2]));
  expect(err?.code).toBe('ANNOY_DIMENSION_MISMATCH');
  expect(i.getNItems()).toBe(5);
  i.build(2);
  expect(i.getNTrees()).toBe(2);
});
