/**
 * Annoy's own binary fixture (test/test.tree upstream, here test/fixtures/upstream-test.tree):
 * angular, f=10, 100 items, 10 trees, written by a 2014 build (item norm slots are zero and the
 * trees are stored pre-order). Expectations: docs/format.md "Annoy's test.tree" and Annoy's
 * test/index_test.py.
 */
import * as fs from 'fs';
import { Annoy } from '../../lib';
import { asIds, asPair, UPSTREAM_TREE, useTempDir } from '../helpers/fixtures';

const tmp = useTempDir('annoy-upstream-');

const EXPECTED_IDS = [0, 85, 42, 11, 54, 38, 53, 66, 19, 31];
const EXPECTED_DISTANCES = [
  0.0, 0.628426, 0.712426, 0.754058, 0.882376, 0.929703, 1.017261, 1.042217, 1.101868, 1.115296,
];

function checkItem0(index: Annoy) {
  const [ids, dists] = asPair(index.getNnsByItem(0, 10));
  expect(ids).toEqual(EXPECTED_IDS);
  expect(dists.length).toBe(10);
  // The recorded distances are rounded to 6 decimals.
  dists.forEach((d, k) => expect(d).toBeCloseTo(EXPECTED_DISTANCES[k], 5));
}

describe('upstream test.tree', () => {
  test('the fixture is the expected 18,824-byte file (362 nodes of 52 bytes)', () => {
    expect(fs.statSync(UPSTREAM_TREE).size).toBe(18824);
  });

  test('getNItems() is 100 and getNTrees() is 10', () => {
    const index = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    expect(index.getNItems()).toBe(100);
    expect(index.getNTrees()).toBe(10);
    index.unload();
  });

  test('getNnsByItem(0, 10): ids and distances (include_distances defaults to true)', () => {
    const index = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    checkItem0(index);
    expect(asIds(index.getNnsByItem(0, 10, -1, false))).toEqual(EXPECTED_IDS);
    index.unload();
  });

  test('the same with prefault = true', () => {
    const index = new Annoy(10, 'angular').load(UPSTREAM_TREE, true);
    checkItem0(index);
    index.unload();
  });

  test('getNnsByVector([1]*10, 5) gives [70, 95, 16, 22, 13]', () => {
    const index = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    expect(asIds(index.getNnsByVector(new Array(10).fill(1), 5, -1, false))).toEqual([70, 95, 16, 22, 13]);
    const [ids] = asPair(index.getNnsByVector(new Float32Array(10).fill(1), 5));
    expect(ids).toEqual([70, 95, 16, 22, 13]);
    index.unload();
  });

  test('the default constructor metric is angular', () => {
    const index = new Annoy(10).load(UPSTREAM_TREE);
    expect(index.metric).toBe('angular');
    expect(asIds(index.getNnsByItem(0, 10, -1, false))).toEqual(EXPECTED_IDS);
    index.unload();
  });

  test('save() of the loaded file writes the same bytes, and the copy answers the same', () => {
    const index = new Annoy(10, 'angular').load(UPSTREAM_TREE);
    const out = tmp.file('copy.tree');
    index.save(out);
    expect(fs.readFileSync(out).equals(fs.readFileSync(UPSTREAM_TREE))).toBe(true);
    checkItem0(index);
    const copy = new Annoy(10, 'angular').load(out);
    expect(copy.getNTrees()).toBe(10);
    checkItem0(copy);
    copy.unload();
    index.unload();
  });
});
