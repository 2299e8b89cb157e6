import * as fs from 'fs';
import * as path from 'path';
import { Annoy, ErrorCodes } from '../../lib';
import { asIds, asPair, expectCode, REPO_ROOT, tmpPath } from '../helpers/tmp';
import { fround, makeVectors, Rng } from '../helpers/random';
import { make, nodeSize } from '../helpers/fixtures';

const UPSTREAM = path.join(REPO_ROOT, 'test', 'fixtures', 'upstream-test.tree');

const F = 6;
const N = 300;
const ITEMS = makeVectors(N, F, 2024);
const QUERIES = makeVectors(5, F, 7);

function built(metric = 'euclidean', trees = 5): Annoy {
  const index = make(F, metric);
  ITEMS.forEach((v, i) => index.addItem(i, v));
  return index.build(trees, 1);
}

/** Everything a user can observe through queries: used to compare two indexes. */
function answers(index: Annoy): unknown[] {
  const out: unknown[] = [index.getNItems(), index.getNTrees()];
  for (const q of QUERIES) out.push(index.getNnsByVector(q, 10));
  for (const i of [0, 1, 150, N - 1]) out.push(index.getNnsByItem(i, 10));
  out.push(index.getDistance(3, 4));
  return out;
}

describe('Annoy#save()', () => {
  it('returns the index itself (chainable) and writes the file', () => {
    const index = built();
    const p = tmpPath();
    expect(index.save(p)).toBe(index);
    expect(fs.existsSync(p)).toBe(true);
    const size = fs.statSync(p).size;
    expect(size).toBeGreaterThan(0);
    expect(size % nodeSize('euclidean', F)).toBe(0);
    expect(size / nodeSize('euclidean', F)).toBeGreaterThan(N);
  });

  it('leaves no temporary files next to the target', () => {
    const dir = path.dirname(tmpPath());
    const sub = path.join(dir, `save-dir-${Date.now()}`);
    fs.mkdirSync(sub);
    built().save(path.join(sub, 'x.ann'));
    expect(fs.readdirSync(sub)).toEqual(['x.ann']);
  });

  it('the index answers the same queries afterwards', () => {
    const index = built();
    const before = answers(index);
    index.save(tmpPath());
    expect(answers(index)).toEqual(before);
  });

  it('makes the index read-only: addItem throws ANNOY_READ_ONLY, state unchanged', () => {
    const index = built();
    index.save(tmpPath());
    const before = answers(index);
    expectCode(() => index.addItem(N, ITEMS[0]), ErrorCodes.READ_ONLY);
    expectCode(() => index.addItem(0, ITEMS[1]), ErrorCodes.READ_ONLY);
    expect(answers(index)).toEqual(before);
  });

  it('records the path in onDiskPath', () => {
    const index = built();
    const p = tmpPath();
    index.save(p);
    expect(index.onDiskPath).toBe(p);
    expect(index.on_disk_path).toBe(p);
  });

  it('accepts prefault = true', () => {
    const index = built();
    const before = answers(index);
    const p = tmpPath();
    expect(index.save(p, true)).toBe(index);
    expect(answers(index)).toEqual(before);
  });

  it('overwrites an existing file, even one mapped by another index', () => {
    const p = tmpPath();
    built('euclidean', 2).save(p);
    const reader = make(F, 'euclidean').load(p);
    const readerAnswers = answers(reader);
    const other = make(F, 'euclidean');
    makeVectors(50, F, 1).forEach((v, i) => other.addItem(i, v));
    other.build(3).save(p);
    expect(make(F, 'euclidean').load(p).getNItems()).toBe(50);
    expect(answers(reader)).toEqual(readerAnswers); // the old mapping keeps its inode
  });

  it('can save twice (also after load), giving identical files', () => {
    const index = built();
    const p1 = tmpPath();
    const p2 = tmpPath();
    index.save(p1).save(p2);
    expect(fs.readFileSync(p2).equals(fs.readFileSync(p1))).toBe(true);
    const p3 = tmpPath();
    make(F, 'euclidean').load(p1).save(p3);
    expect(fs.readFileSync(p3).equals(fs.readFileSync(p1))).toBe(true);
  });

  it('can save over the very file the index is serving', () => {
    const p = tmpPath();
    const index = built();
    const before = answers(index);
    index.save(p);
    index.save(p);
    expect(answers(index)).toEqual(before);
    const loaded = make(F, 'euclidean').load(p);
    loaded.save(p);
    expect(answers(loaded)).toEqual(before);
    expect(answers(make(F, 'euclidean').load(p))).toEqual(before);
  });

  it('an index with no items: build(10), save, load -> n_items 0 and no results', () => {
    const p = tmpPath();
    make(3, 'angular').build(10).save(p);
    const loaded = make(3, 'angular').load(p);
    expect(loaded.getNItems()).toBe(0);
    expect(asIds(loaded.getNnsByVector([1, 0, 0], 5, -1, false))).toEqual([]);
  });

  it('a single item (f = 100): save, load -> n_items 1 and [0] for n = 50', () => {
    const p = tmpPath();
    const v = Array.from({ length: 100 }, (_, k) => (k % 5) - 2);
    make(100, 'angular').addItem(0, v).build(10).save(p);
    const loaded = make(100, 'angular').load(p);
    expect(loaded.getNItems()).toBe(1);
    expect(asIds(loaded.getNnsByVector(new Array(100).fill(1), 50, -1, false))).toEqual([0]);
  });

  it('build(-1) with ids 1..3 (Annoy #279) answers the same before and after save', () => {
    const index = make(3, 'angular');
    index.addItem(1, [0, 0, 1]).addItem(2, [0, 1, 0]).addItem(3, [0, 0, 1]).build(-1);
    expect(index.getNItems()).toBe(4);
    expect(index.getItemVector(3)).toEqual([0, 0, 1]);
    expect(asIds(index.getNnsByItem(1, 10, -1, false)).sort()).toEqual([1, 2, 3]);
    const p = tmpPath();
    index.save(p);
    expect(asIds(index.getNnsByItem(1, 10, -1, false)).sort()).toEqual([1, 2, 3]);
    expect(asIds(make(3, 'angular').load(p).getNnsByItem(1, 10, -1, false)).sort()).toEqual([1, 2, 3]);
  });

  it('hamming with a bit count that is not a multiple of 64 round-trips', () => {
    const index = make(100, 'hamming');
    const rng = new Rng(17);
    const items = Array.from({ length: 40 }, () => rng.bits(100));
    items.forEach((v, i) => index.addItem(i, v));
    index.build(4);
    const p = tmpPath();
    index.save(p);
    expect(fs.statSync(p).size % nodeSize('hamming', 100)).toBe(0);
    const loaded = make(100, 'hamming').load(p);
    expect(loaded.getItemVector(7)).toEqual(items[7]);
    expect(loaded.getNnsByItem(7, 5)).toEqual(index.getNnsByItem(7, 5));
  });

  it('works for every metric', () => {
    for (const metric of ['angular', 'euclidean', 'manhattan', 'dot', 'hamming']) {
      const index = make(F, metric);
      const rng = new Rng(3);
      for (let i = 0; i < N; i++) index.addItem(i, metric === 'hamming' ? rng.bits(F) : rng.vector(F));
      index.build(3);
      const before = answers(index as Annoy);
      const p = tmpPath(`${metric}.ann`);
      index.save(p);
      const loaded = make(F, metric).load(p);
      expect(answers(loaded)).toEqual(before);
    }
  });
});

describe('Annoy#load()', () => {
  const saved = tmpPath('shared.ann');
  let reference: unknown[];
  beforeAll(() => {
    const index = built('euclidean', 5);
    reference = answers(index);
    index.save(saved);
  });

  it('returns the index itself (chainable) and answers like the saved index', () => {
    const index = make(F, 'euclidean');
    expect(index.load(saved)).toBe(index);
    expect(answers(index)).toEqual(reference);
    expect(index.getNTrees()).toBe(5);
    expect(index.getNItems()).toBe(N);
  });

  it.each([false, true])('prefault = %p gives the same answers', (prefault) => {
    const index = make(F, 'euclidean').load(saved, prefault);
    expect(answers(index)).toEqual(reference);
  });

  it('the prefault property is a boolean and loading works with it set', () => {
    const a = make(F, 'euclidean');
    expect(typeof a.prefault).toBe('boolean');
    a.prefault = true;
    expect(a.prefault).toBe(true);
    expect(answers(a.load(saved))).toEqual(reference);
  });

  it('sets onDiskPath / on_disk_path to the file', () => {
    const index = make(F, 'euclidean').load(saved);
    expect(index.onDiskPath).toBe(saved);
    expect(index.on_disk_path).toBe(saved);
  });

  it('replaces the previous contents (in-memory built index)', () => {
    const index = make(F, 'euclidean');
    makeVectors(20, F, 99).forEach((v, i) => index.addItem(i, v));
    index.build(2);
    index.load(saved);
    expect(answers(index)).toEqual(reference);
  });

  it('replaces the previous contents (unbuilt index with items)', () => {
    const index = make(F, 'euclidean');
    makeVectors(1000, F, 99).forEach((v, i) => index.addItem(i, v));
    index.load(saved);
    expect(index.getNItems()).toBe(N);
    expect(answers(index)).toEqual(reference);
  });

  it('replaces the previous contents (another loaded file)', () => {
    const other = tmpPath();
    const small = make(F, 'euclidean');
    makeVectors(10, F, 5).forEach((v, i) => small.addItem(i, v));
    small.build(2).save(other);
    const index = make(F, 'euclidean').load(other);
    expect(index.getNItems()).toBe(10);
    index.load(saved);
    expect(answers(index)).toEqual(reference);
  });

  it('loads many times in a loop', () => {
    const index = make(F, 'euclidean');
    for (let k = 0; k < 200; k++) index.load(saved);
    expect(answers(index)).toEqual(reference);
    for (let k = 0; k < 200; k++) make(F, 'euclidean').load(saved).unload();
  });

  it("reads Annoy's own test file (upstream test.tree)", () => {
    const index = make(10, 'angular').load(UPSTREAM);
    expect(index.getNItems()).toBe(100);
    expect(index.getNTrees()).toBe(10);
    const [ids, dists] = asPair(index.getNnsByItem(0, 10));
    expect(ids).toEqual([0, 85, 42, 11, 54, 38, 53, 66, 19, 31]);
    [0.0, 0.628426, 0.712426, 0.754058, 0.882376, 0.929703, 1.017261, 1.042217, 1.101868, 1.115296].forEach((d, k) =>
      expect(dists[k]).toBeCloseTo(d, 4),
    );
    expect(asIds(index.getNnsByVector(new Array(10).fill(1), 5, -1, false))).toEqual([70, 95, 16, 22, 13]);
    const pre = make(10, 'angular').load(UPSTREAM, true);
    expect(asIds(pre.getNnsByItem(0, 10, -1, false))).toEqual(ids);
  });

  it('a loaded index is read-only', () => {
    const index = make(F, 'euclidean').load(saved);
    expectCode(() => index.addItem(0, ITEMS[0]), ErrorCodes.READ_ONLY);
    expect(answers(index)).toEqual(reference);
  });

  it("keeps the constructor's f", () => {
    expect(make(F, 'euclidean').load(saved).f).toBe(F);
  });
});

describe('Annoy#unload()', () => {
  const saved = tmpPath('unload.ann');
  beforeAll(() => {
    built('angular', 3).save(saved);
  });

  it('returns the index itself (chainable) and empties a loaded index', () => {
    const index = make(F, 'angular').load(saved);
    expect(index.unload()).toBe(index);
    expect(index.getNItems()).toBe(0);
    expect(index.getNTrees()).toBe(0);
    expect(index.onDiskPath).toBeNull();
    expectCode(() => index.getItemVector(0), ErrorCodes.ID_OUT_OF_RANGE);
  });

  it('can load again afterwards', () => {
    const index = make(F, 'angular').load(saved);
    const before = answers(index);
    index.unload().load(saved);
    expect(answers(index)).toEqual(before);
  });

  it('empties an in-memory index, which can then be filled and built again', () => {
    const index = built('angular', 3);
    index.unload();
    expect(index.getNItems()).toBe(0);
    expect(index.getNTrees()).toBe(0);
    expect(index.f).toBe(F);
    index.addItem(0, ITEMS[0]).addItem(1, ITEMS[1]).build(2);
    expect(index.getNItems()).toBe(2);
    expect(asIds(index.getNnsByItem(0, 5, -1, false)).sort()).toEqual([0, 1]);
  });

  it('empties an unbuilt index with items', () => {
    const index = make(F, 'angular');
    ITEMS.slice(0, 10).forEach((v, i) => index.addItem(i, v));
    index.unload();
    expect(index.getNItems()).toBe(0);
  });

  it('on a new index is a no-op', () => {
    const index = make(F, 'angular');
    expect(index.unload()).toBe(index);
    expect(index.getNItems()).toBe(0);
  });

  it('leaves the saved file in place', () => {
    const index = make(F, 'angular').load(saved);
    index.unload();
    expect(fs.existsSync(saved)).toBe(true);
  });
});

describe('Annoy#onDiskBuild()', () => {
  it('returns the index itself (chainable); the file appears at its path when build() completes', () => {
    const p = tmpPath('ondisk.ann');
    const index = make(F, 'euclidean');
    expect(index.onDiskBuild(p)).toBe(index);
    expect(index.onDiskPath).toBe(p);
    ITEMS.slice(0, 20).forEach((v, i) => index.addItem(i, v));
    expect(fs.existsSync(p)).toBe(false);
    index.build(2, 1);
    expect(fs.existsSync(p)).toBe(true);
    expect(fs.statSync(p).size % nodeSize('euclidean', F)).toBe(0);
  });

  // Issue #10 C3: the target was truncated in place, and a reader mapping it died of SIGBUS.
  it('a file already at the path stays whole, and its readers keep answering, until build() replaces it', () => {
    const p = tmpPath('ondisk-replaced.ann');
    const old = built('euclidean', 3);
    old.save(p);
    const before = fs.readFileSync(p);
    const reader = make(F, 'euclidean').load(p);
    const answer = reader.getNnsByItem(0, 5);
    const index = make(F, 'euclidean').onDiskBuild(p);
    ITEMS.forEach((v, i) => index.addItem(i, v));
    expect(fs.readFileSync(p).equals(before)).toBe(true);
    expect(reader.getNnsByItem(0, 5)).toEqual(answer);
    index.build(5, 1);
    expect(reader.getNnsByItem(0, 5)).toEqual(answer);
    expect(fs.readFileSync(p).equals(before)).toBe(false);
    expect(answers(make(F, 'euclidean').load(p))).toEqual(answers(built('euclidean', 5)));
  });

  it('an on-disk build that never completes leaves no file behind after unload()', () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(tmpPath()), 'odb-'));
    const index = make(F, 'euclidean').onDiskBuild(path.join(dir, 'never.ann'));
    ITEMS.slice(0, 20).forEach((v, i) => index.addItem(i, v));
    expect(fs.readdirSync(dir).length).toBe(1);
    index.unload();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('unbuild() after an on-disk build leaves the built file in place until the next build replaces it', () => {
    const p = tmpPath('ondisk-rebuild.ann');
    const index = make(F, 'euclidean').onDiskBuild(p);
    ITEMS.forEach((v, i) => index.addItem(i, v));
    index.build(5, 1);
    const first = fs.readFileSync(p);
    const reader = make(F, 'euclidean').load(p);
    const answer = reader.getNnsByItem(1, 5);
    index.unbuild();
    index.addItem(N, ITEMS[0]);
    expect(fs.readFileSync(p).equals(first)).toBe(true);
    index.build(3, 1);
    expect(reader.getNnsByItem(1, 5)).toEqual(answer);
    expect(make(F, 'euclidean').load(p).getNItems()).toBe(N + 1);
  });

  it('builds in the file and answers like an in-memory build', () => {
    const p = tmpPath('ondisk.ann');
    const index = make(F, 'euclidean').onDiskBuild(p);
    ITEMS.forEach((v, i) => index.addItem(i, v));
    index.build(5, 1);
    const mem = built('euclidean', 5);
    expect(answers(index)).toEqual(answers(mem));
    const size = fs.statSync(p).size;
    expect(size % nodeSize('euclidean', F)).toBe(0);
    expect(size / nodeSize('euclidean', F)).toBeGreaterThan(N);
    expect(index.info().on_disk_build).toBe(true);
  });

  it('the file loads in another index with the same answers, also after unload+load', () => {
    const p = tmpPath('ondisk.ann');
    const index = make(2, 'euclidean').onDiskBuild(p);
    index.addItem(0, [2, 2]).addItem(1, [3, 2]).addItem(2, [3, 3]).build(10);
    const check = (ix: Annoy) => {
      expect(asIds(ix.getNnsByVector([4, 4], 3, -1, false))).toEqual([2, 1, 0]);
      expect(asIds(ix.getNnsByVector([1, 1], 3, -1, false))).toEqual([0, 1, 2]);
      expect(asIds(ix.getNnsByVector([4, 2], 3, -1, false))).toEqual([1, 2, 0]);
    };
    check(index);
    check(make(2, 'euclidean').load(p));
    index.unload().load(p);
    check(index);
  });

  it('stores item vectors in a file beside the path as it goes (not in memory)', () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(tmpPath()), 'odb-'));
    const index = make(F, 'manhattan').onDiskBuild(path.join(dir, 'ondisk.ann'));
    ITEMS.slice(0, 20).forEach((v, i) => index.addItem(i, v));
    expect(index.getNItems()).toBe(20);
    expect(index.getItemVector(19)).toEqual(fround(ITEMS[19]));
    const [temp] = fs.readdirSync(dir);
    expect(temp.startsWith('.annoy-')).toBe(true);
    expect(fs.statSync(path.join(dir, temp)).size).toBeGreaterThanOrEqual(20 * nodeSize('manhattan', F));
  });
});
