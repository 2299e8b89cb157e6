/**
 * Annoy's test/on_disk_build_test.py (docs/compatibility.md "On-disk build"): euclidean f=2, items
 * [2,2], [3,2], [3,3], onDiskBuild then add then build(10). The answers hold after build, after
 * unload + load, and from a second object that loads the file.
 */
import * as fs from 'fs';
import { Annoy } from '../../lib';
import { asIds, nodeSize, useTempDir } from '../helpers/fixtures';

const tmp = useTempDir('annoy-on-disk-');

function check(index: Annoy) {
  expect(asIds(index.getNnsByVector([4, 4], 3, -1, false))).toEqual([2, 1, 0]);
  expect(asIds(index.getNnsByVector([1, 1], 3, -1, false))).toEqual([0, 1, 2]);
  expect(asIds(index.getNnsByVector([4, 2], 3, -1, false))).toEqual([1, 2, 0]);
}

function onDisk(file: string): Annoy {
  const index = new Annoy(2, 'euclidean');
  expect(index.onDiskBuild(file)).toBe(index);
  index.addItem(0, [2, 2]).addItem(1, [3, 2]).addItem(2, [3, 3]);
  index.build(10);
  return index;
}

test('queries after the on-disk build', () => {
  const file = tmp.file('on-disk-1.ann');
  const index = onDisk(file);
  check(index);
  expect(index.getNItems()).toBe(3);
  expect(index.getNTrees()).toBe(10);
  // The file is the index: truncated to a whole number of nodes after build.
  expect(fs.existsSync(file)).toBe(true);
  expect(fs.statSync(file).size % nodeSize('euclidean', 2)).toBe(0);
  index.unload();
});

test('unload, then load the same file into the same object', () => {
  const file = tmp.file('on-disk-2.ann');
  const index = onDisk(file);
  index.unload();
  index.load(file);
  check(index);
  expect(index.getNItems()).toBe(3);
  index.unload();
});

test('a second object loads the file', () => {
  const file = tmp.file('on-disk-3.ann');
  const index = onDisk(file);
  const other = new Annoy(2, 'euclidean').load(file);
  check(other);
  check(index);
  other.unload();
  index.unload();
});

test('the on-disk file equals an in-memory build saved to disk (one thread, same seed)', () => {
  const file = tmp.file('on-disk-4.ann');
  const disk = new Annoy(2, 'euclidean');
  disk.onDiskBuild(file);
  disk.addItem(0, [2, 2]).addItem(1, [3, 2]).addItem(2, [3, 3]);
  disk.build(10, 1);
  disk.unload();
  const mem = new Annoy(2, 'euclidean');
  mem.addItem(0, [2, 2]).addItem(1, [3, 2]).addItem(2, [3, 3]);
  mem.build(10, 1);
  const memFile = tmp.file('in-memory-4.ann');
  mem.save(memFile);
  mem.unload();
  expect(fs.readFileSync(file).equals(fs.readFileSync(memFile))).toBe(true);
});

test('a larger on-disk build (2,000 items, several storage growths) answers like the in-memory one', () => {
  const file = tmp.file('on-disk-5.ann');
  const rows: number[][] = [];
  for (let i = 0; i < 2000; i++) rows.push([Math.sin(i) * 10, Math.cos(i * 0.7) * 10]);
  const disk = new Annoy(2, 'euclidean');
  disk.onDiskBuild(file);
  rows.forEach((v, i) => disk.addItem(i, v));
  disk.build(5, 1);
  const mem = new Annoy(2, 'euclidean');
  rows.forEach((v, i) => mem.addItem(i, v));
  mem.build(5, 1);
  for (const q of [
    [0, 0],
    [5, -3],
    [-9, 9],
  ]) {
    expect(asIds(disk.getNnsByVector(q, 20, -1, false))).toEqual(asIds(mem.getNnsByVector(q, 20, -1, false)));
  }
  disk.unload();
  mem.unload();
});
