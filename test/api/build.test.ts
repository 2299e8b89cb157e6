import * as fs from 'fs';
import * as os from 'os';
import { Annoy, ErrorCodes } from '../../lib';
import { asIds, asPair, expectCode, tmpPath } from '../helpers/tmp';
import { listFixtureCases, loadFixture, make } from '../helpers/fixtures';
import { makeVectors } from '../helpers/random';

function filled(metric: string, n: number, f: number, seed = 1): Annoy {
  const index = make(f, metric);
  makeVectors(n, f, seed).forEach((v, i) => index.addItem(i, v));
  return index;
}

describe('Annoy#build()', () => {
  it('returns the index itself (chainable)', () => {
    const index = filled('angular', 50, 4);
    expect(index.build(3)).toBe(index);
    expect(index.getNTrees()).toBe(3);
  });

  it('chains into a query', () => {
    const index = make(2, 'euclidean');
    const ids = index
      .addItem(0, [2, 2])
      .addItem(1, [3, 2])
      .addItem(2, [3, 3])
      .build(10)
      .getNnsByVector([4, 4], 3, -1, false);
    expect(ids).toEqual([2, 1, 0]);
  });

  it('nJobs defaults to -1 (all cores) and builds exactly nTrees trees', () => {
    const index = filled('euclidean', 300, 6);
    index.build(7);
    expect(index.getNTrees()).toBe(7);
  });

  it.each([-1, 1, 2, os.cpus().length + 3])('nJobs = %p builds exactly nTrees trees', (nJobs) => {
    const index = filled('euclidean', 300, 6);
    index.build(9, nJobs);
    expect(index.getNTrees()).toBe(9);
    const [ids] = asPair(index.getNnsByItem(0, 5));
    expect(ids[0]).toBe(0);
  });

  it('more threads than trees is fine', () => {
    const index = filled('angular', 100, 4);
    index.build(1, 4);
    expect(index.getNTrees()).toBe(1);
  });

  it('gives the same answers for nJobs 1 and 2 on an exhaustive search', () => {
    const a = filled('euclidean', 400, 5, 9);
    const b = filled('euclidean', 400, 5, 9);
    a.build(5, 1);
    b.build(5, 2);
    // search_k large enough to visit every item: both must return the exact neighbours
    const ra = asPair(a.getNnsByItem(3, 10, 100000));
    const rb = asPair(b.getNnsByItem(3, 10, 100000));
    expect(ra[0]).toEqual(rb[0]);
  });

  it('nTrees = -1 builds until the forest has about twice as many nodes as items', () => {
    // 3 items fit in one bucket (K = f + 2 = 5): every tree is 1 node, so 3 trees reach 2 * 3 nodes.
    const index = make(3, 'angular');
    index.addItem(0, [1, 0, 0]).addItem(1, [0, 1, 0]).addItem(2, [0, 0, 1]);
    index.build(-1, 1);
    expect(index.getNTrees()).toBe(3);
    const [ids, dists] = asPair(index.getNnsByItem(0, 100));
    expect(ids).toEqual([0, 1, 2]);
    expect(dists[0]).toBeCloseTo(0, 5);
    expect(dists[1]).toBeCloseTo(Math.SQRT2, 5);
  });

  it('nTrees = -1 on a larger index builds at least one tree', () => {
    const index = filled('euclidean', 1000, 5);
    index.build(-1);
    expect(index.getNTrees()).toBeGreaterThanOrEqual(1);
    expect(index.getNTrees()).toBeLessThan(50);
    const [ids] = asPair(index.getNnsByItem(10, 3));
    expect(ids[0]).toBe(10);
  });

  it('builds an index with holes and never returns them', () => {
    const index = make(6, 'angular');
    const vs = makeVectors(100, 6, 4);
    const added = new Set<number>();
    for (let k = 0; k < 100; k++) {
      index.addItem(3 * k + 1, vs[k]);
      added.add(3 * k + 1);
    }
    index.build(5);
    expect(index.getNItems()).toBe(3 * 99 + 2);
    const ids = asIds(index.getNnsByVector(vs[0], 400, 100000, false));
    expect(ids.length).toBe(100);
    for (const id of ids) expect(added.has(id)).toBe(true);
  });

  it('builds an index with no items (queries return nothing)', () => {
    const index = make(3, 'angular');
    index.build(2);
    expect(index.getNItems()).toBe(0);
    expect(asIds(index.getNnsByVector([1, 0, 0], 5, -1, false))).toEqual([]);
  });

  it('builds an index with a single item', () => {
    for (const metric of ['angular', 'euclidean', 'manhattan', 'dot', 'hamming']) {
      const index = make(8, metric);
      index.addItem(0, [1, 0, 1, 0, 1, 0, 1, 0]).build(4);
      expect(asIds(index.getNnsByVector([1, 1, 1, 1, 1, 1, 1, 1], 10, -1, false))).toEqual([0]);
    }
  });
});

describe('Annoy#unbuild()', () => {
  it('returns the index itself (chainable) and drops the trees', () => {
    const index = filled('euclidean', 50, 3);
    index.build(4);
    expect(index.unbuild()).toBe(index);
    expect(index.getNTrees()).toBe(0);
    expectCode(() => index.getNnsByItem(0, 3), ErrorCodes.NOT_BUILT);
  });

  it('keeps the items (n_items unchanged, vectors intact)', () => {
    const index = filled('euclidean', 50, 3);
    const before = index.getItemVector(17);
    index.build(4).unbuild();
    expect(index.getNItems()).toBe(50);
    expect(index.getItemVector(17)).toEqual(before);
  });

  it('allows adding more items and rebuilding', () => {
    const index = filled('euclidean', 50, 3);
    index.build(4).unbuild();
    index.addItem(50, [100, 100, 100]).addItem(51, [101, 100, 100]);
    expect(index.getNItems()).toBe(52);
    index.build(6);
    expect(index.getNTrees()).toBe(6);
    const ids = asIds(index.getNnsByVector([100, 100, 100], 2, -1, false));
    expect(ids).toEqual([50, 51]);
  });

  it('can be repeated many times', () => {
    const index = filled('angular', 200, 5);
    for (let k = 0; k < 20; k++) {
      index.build(2).unbuild();
    }
    expect(index.getNItems()).toBe(200);
    index.build(3);
    expect(index.getNTrees()).toBe(3);
  });

  it('on an unbuilt index is harmless', () => {
    const index = filled('angular', 10, 3);
    expect(index.unbuild()).toBe(index);
    expect(index.getNItems()).toBe(10);
    index.build(2);
    expect(index.getNTrees()).toBe(2);
  });
});

describe('Annoy#getNItems()', () => {
  it('is 0 for a new index', () => {
    expect(make(3, 'angular').getNItems()).toBe(0);
  });

  it('is max id + 1, holes included', () => {
    const index = make(2, 'dot');
    index.addItem(0, [1, 1]);
    expect(index.getNItems()).toBe(1);
    index.addItem(9, [1, 1]);
    expect(index.getNItems()).toBe(10);
    index.addItem(4, [1, 1]);
    expect(index.getNItems()).toBe(10);
  });

  it('does not change with build', () => {
    const index = filled('manhattan', 33, 3);
    index.build(3);
    expect(index.getNItems()).toBe(33);
  });
});

describe('Annoy#getNTrees()', () => {
  it('is 0 before build and nTrees after', () => {
    const index = filled('angular', 100, 4);
    expect(index.getNTrees()).toBe(0);
    index.build(11);
    expect(index.getNTrees()).toBe(11);
  });
});

describe('Annoy#build() on a deserialized index', () => {
  // The fixture's item norms come from Annoy's scalar loop; ours (f = 16: AVX2 where present)
  // may differ in the last bits. build() recomputes them, so the trees are the ones the same
  // vectors would get if added here. (Two-means reads the stored norms.)
  it('angular: recomputes the stored norms, so the rebuilt file equals one built from freshly added items', () => {
    const c = listFixtureCases().find((x) => x.name === 'angular-42-n1000-f16');
    if (c === undefined) throw new Error('fixture angular-42-n1000-f16 missing');
    const { json, items } = loadFixture(c);
    const original = new Annoy(c.f, 'angular');
    original.load(c.annPath);
    const carried = new Annoy(c.f, 'angular');
    carried.deserialize(original.serialize());
    original.unload();
    carried.unbuild();
    carried.setSeed(5);
    carried.build(4, 1);

    const fresh = new Annoy(c.f, 'angular');
    json.ids.forEach((id, k) => fresh.addItem(id, items[k]));
    fresh.setSeed(5);
    fresh.build(4, 1);

    const [a, b] = [tmpPath(), tmpPath()];
    carried.save(a);
    fresh.save(b);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
  });
});
