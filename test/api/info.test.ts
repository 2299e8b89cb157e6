import * as fs from 'fs';
import { Annoy, AnnoyInfo } from '../../lib';
import { tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

const KEYS = [
  'dimension',
  'metric',
  'n_items',
  'n_trees',
  'memory_usage_byte',
  'memory_usage_mib',
  'on_disk_path',
  'seed',
  'built',
  'loaded',
  'on_disk_build',
];

function filled(n: number, f = 8, metric = 'euclidean'): Annoy {
  const index = make(f, metric);
  makeVectors(n, f, 1).forEach((v, i) => index.addItem(i, v));
  return index;
}

function info(index: Annoy): AnnoyInfo {
  const i = index.info();
  expect(typeof i).toBe('object');
  expect(i).not.toBeNull();
  return i;
}

describe('Annoy#info()', () => {
  it('has every documented key, even on a new index', () => {
    const i = info(make(3, 'angular'));
    expect(Object.keys(i)).toEqual(expect.arrayContaining(KEYS));
  });

  it('a new index', () => {
    const i = info(make(3, 'angular'));
    expect(i.dimension).toBe(3);
    expect(i.metric).toBe('angular');
    expect(i.n_items).toBe(0);
    expect(i.n_trees).toBe(0);
    expect(i.on_disk_path).toBeNull();
    expect(i.built).toBe(false);
    expect(i.loaded).toBe(false);
    expect(i.on_disk_build).toBe(false);
    expect(String(i.seed)).toBe('1234567890987654321');
  });

  it('an f = 0 index reports dimension 0 until the first vector', () => {
    const index = make(0, 'dot');
    expect(info(index).dimension).toBe(0);
    index.addItem(0, [1, 2, 3]);
    expect(info(index).dimension).toBe(3);
  });

  it('before build', () => {
    const i = info(filled(100));
    expect(i).toMatchObject({
      dimension: 8,
      metric: 'euclidean',
      n_items: 100,
      n_trees: 0,
      built: false,
      loaded: false,
    });
    expect(i.memory_usage_byte).toBeGreaterThan(0);
  });

  it('after build', () => {
    const index = filled(100).build(7);
    const i = info(index);
    expect(i.n_items).toBe(100);
    expect(i.n_trees).toBe(7);
    expect(i.built).toBe(true);
    expect(i.loaded).toBe(false);
    expect(i.on_disk_path).toBeNull();
  });

  it('after unbuild', () => {
    const i = info(filled(100).build(7).unbuild());
    expect(i.n_items).toBe(100);
    expect(i.n_trees).toBe(0);
    expect(i.built).toBe(false);
  });

  it('after save and after load', () => {
    const p = tmpPath();
    const index = filled(100).build(4);
    index.save(p);
    const saved = info(index);
    expect(saved.loaded).toBe(true);
    expect(saved.built).toBe(true);
    expect(saved.on_disk_path).toBe(p);
    const loaded = info(make(8, 'euclidean').load(p));
    expect(loaded).toMatchObject({
      dimension: 8,
      metric: 'euclidean',
      n_items: 100,
      n_trees: 4,
      built: true,
      loaded: true,
      on_disk_path: p,
      on_disk_build: false,
    });
    // the mapped file, plus at most a little bookkeeping (e.g. the root list)
    expect(loaded.memory_usage_byte).toBeGreaterThanOrEqual(fs.statSync(p).size);
    expect(loaded.memory_usage_byte).toBeLessThan(fs.statSync(p).size + 4096);
  });

  it('after unload', () => {
    const p = tmpPath();
    filled(50).build(2).save(p);
    const i = info(make(8, 'euclidean').load(p).unload());
    expect(i.n_items).toBe(0);
    expect(i.n_trees).toBe(0);
    expect(i.loaded).toBe(false);
    expect(i.on_disk_path).toBeNull();
  });

  it('during an on-disk build', () => {
    const p = tmpPath();
    const index = make(4, 'angular').onDiskBuild(p);
    const i = info(index);
    expect(i.on_disk_build).toBe(true);
    expect(i.on_disk_path).toBe(p);
  });

  it('memory_usage_mib is memory_usage_byte in MiB and matches memoryUsage()', () => {
    const index = filled(2000);
    const i = info(index);
    expect(i.memory_usage_byte).toBe(index.memoryUsage());
    expect(i.memory_usage_mib).toBeCloseTo(i.memory_usage_byte / (1024 * 1024), 2);
  });

  it('returns a fresh object each time (mutating it changes nothing)', () => {
    const index = filled(10);
    const a = info(index);
    a.n_items = 999;
    expect(info(index).n_items).toBe(10);
  });
});

describe('Annoy#memoryUsage()', () => {
  it('is a non-negative number on a new index', () => {
    const m = make(8, 'angular').memoryUsage();
    expect(typeof m).toBe('number');
    expect(m).toBeGreaterThanOrEqual(0);
  });

  it('is > 0 after adding items', () => {
    expect(filled(1).memoryUsage()).toBeGreaterThan(0);
  });

  it('grows with the number of items', () => {
    const small = filled(10).memoryUsage();
    const large = filled(5000).memoryUsage();
    expect(large).toBeGreaterThan(small);
    // at least the item nodes themselves: 5000 x (16 + 4 * 8) bytes
    expect(large).toBeGreaterThanOrEqual(5000 * 48);
  });

  it('grows with build (tree nodes)', () => {
    const index = filled(3000);
    const before = index.memoryUsage();
    index.build(10);
    expect(index.memoryUsage()).toBeGreaterThan(before);
  });

  it('after load it is (about) the size of the mapped file', () => {
    const p = tmpPath();
    filled(300).build(3).save(p);
    const index = make(8, 'euclidean').load(p);
    const size = fs.statSync(p).size;
    expect(index.memoryUsage()).toBeGreaterThanOrEqual(size);
    expect(index.memoryUsage()).toBeLessThan(size + 4096);
  });
});
