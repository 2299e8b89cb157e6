/**
 * Annoy's test/hamming_index_test.py (docs/compatibility.md "Hamming (hamming_index_test.py)"),
 * the packing facts of docs/format.md "Hamming bit packing", the case measured on Annoy and the
 * seed's example. `f` is the bit count; each component > 0.5 is a set bit.
 */
import { Annoy } from '../../lib';
import { asIds, asPair, Rng, useTempDir } from '../helpers/fixtures';

const tmp = useTempDir('annoy-hamming-');

const diffBits = (u: number[], v: number[]) => u.reduce((s, x, k) => s + (x !== v[k] ? 1 : 0), 0);

describe('hamming: packing and distances', () => {
  test('100 random bits round-trip; getDistance counts differing bits, symmetric, 0 to itself', () => {
    const rng = new Rng(100);
    const u = rng.bits(100);
    const v = rng.bits(100);
    const index = new Annoy(100, 'hamming');
    index.addItem(0, u).addItem(1, v);
    expect(index.getItemVector(0)).toEqual(u);
    expect(index.getItemVector(1)).toEqual(v);
    expect(index.getDistance(0, 0)).toBe(0);
    expect(index.getDistance(1, 1)).toBe(0);
    expect(index.getDistance(0, 1)).toBe(diffBits(u, v));
    expect(index.getDistance(1, 0)).toBe(diffBits(u, v));
  });

  test('[0.7, 0.3, 0.51, 0.5] packs to [1, 0, 1, 0] (> 0.5 is a set bit)', () => {
    const index = new Annoy(4, 'hamming');
    index.addItem(0, [0.7, 0.3, 0.51, 0.5]);
    expect(index.getItemVector(0)).toEqual([1, 0, 1, 0]);
  });

  test('seed example: 10 bits [0.6,0.4,0.9,0,...] become 1,0,1,0,...; distances are bit counts', () => {
    const index = new Annoy(10, 'hamming');
    index.addItem(0, [0.6, 0.4, 0.9, 0, 0, 0, 0, 0, 0, 0]);
    index.addItem(1, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(index.getItemVector(0)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(index.getDistance(0, 1)).toBe(2);
  });

  test('measured on Annoy: f=8, [1,0,1,0,1,0,1,0] vs all ones is 4', () => {
    const index = new Annoy(8, 'hamming');
    index.addItem(0, [1, 0, 1, 0, 1, 0, 1, 0]).addItem(1, [1, 1, 1, 1, 1, 1, 1, 1]);
    expect(index.getDistance(0, 1)).toBe(4);
  });

  test('bits past the first 64-bit word (f=130) pack and unpack', () => {
    const rng = new Rng(130);
    const u = rng.bits(130);
    const v = u.map((x, k) => (k === 0 || k === 64 || k === 129 ? 1 - x : x));
    const index = new Annoy(130, 'hamming');
    index.addItem(0, u).addItem(1, v);
    expect(index.getItemVector(0)).toEqual(u);
    expect(index.getItemVector(1)).toEqual(v);
    expect(index.getDistance(0, 1)).toBe(3);
  });
});

describe('hamming: two items, n = 99', () => {
  const rng = new Rng(99);
  const u = rng.bits(100);
  const v = rng.bits(100);

  function check(index: Annoy) {
    expect(asIds(index.getNnsByItem(0, 99, -1, false))).toEqual([0, 1]);
    expect(asIds(index.getNnsByItem(1, 99, -1, false))).toEqual([1, 0]);
    const [ids, dists] = asPair(index.getNnsByItem(0, 99));
    expect(ids).toEqual([0, 1]);
    expect(dists).toEqual([0, diffBits(u, v)]);
  }

  test('after build', () => {
    const index = new Annoy(100, 'hamming');
    index.addItem(0, u).addItem(1, v).build(10);
    check(index);
  });

  test('after save and a fresh load', () => {
    const file = tmp.file('two.ann');
    const index = new Annoy(100, 'hamming');
    index.addItem(0, u).addItem(1, v).build(10);
    index.save(file);
    check(index);
    const again = new Annoy(100, 'hamming').load(file);
    check(again);
    expect(again.getItemVector(0)).toEqual(u);
  });
});

// Same size as Annoy's test: 100,000 random 10-bit items (only 1,024 distinct values, so each
// query has ~100 exact matches), 10 trees, 1,000 queries with n=1 and search_k=1000.
test('hamming: 100,000 random 10-bit items: distances in [0, 10], mean nearest distance <= 0.42', () => {
  const rng = new Rng(100000);
  const f = 10;
  const index = new Annoy(f, 'hamming');
  for (let x = 0; x < 100000; x++) index.addItem(x, rng.bits(f));
  index.build(10);
  const [, all] = asPair(index.getNnsByVector(rng.bits(f), 1000));
  expect(all.length).toBeGreaterThan(0);
  expect(all.every((d) => d >= 0 && d <= 10)).toBe(true);
  let total = 0;
  for (let q = 0; q < 1000; q++) {
    const [ids, dists] = asPair(index.getNnsByVector(rng.bits(f), 1, 1000, true));
    expect(ids.length).toBe(1);
    total += dists[0];
  }
  expect(total / 1000).toBeLessThanOrEqual(0.42);
});
