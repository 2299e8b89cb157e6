import * as fs from 'fs';
import { Annoy } from '../../lib';
import { tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

// f < 8 and one thread: the saved files are byte-identical for the same seed (README).
const F = 5;
const ITEMS = makeVectors(400, F, 555);

/** An unbuilt index of ITEMS. */
const fresh = (metric = 'euclidean'): Annoy => ITEMS.reduce((index, v, i) => index.addItem(i, v), make(F, metric));

/** Build with one thread (after `prepare`, which may set a seed) and return the saved bytes. */
function bytesAfter(prepare: (index: Annoy) => void, metric = 'euclidean'): Buffer {
  const index = fresh(metric);
  prepare(index);
  index.build(4, 1);
  const p = tmpPath();
  index.save(p);
  return fs.readFileSync(p);
}

describe('Annoy#setSeed()', () => {
  it('returns nothing', () => {
    const index = fresh();
    expect(index.setSeed(42)).toBeUndefined();
  });

  it('the same seed gives the same trees (byte-identical files)', () => {
    for (const metric of ['angular', 'euclidean', 'manhattan']) {
      const a = bytesAfter((ix) => ix.setSeed(42), metric);
      const b = bytesAfter((ix) => ix.setSeed(42), metric);
      expect(a.equals(b)).toBe(true);
    }
  });

  it('the same seed gives the same answers with the default nJobs', () => {
    const run = () => {
      const index = fresh();
      index.setSeed(42);
      index.build(6);
      return makeVectors(10, F, 1).map((q) => index.getNnsByVector(q, 20));
    };
    expect(run()).toEqual(run());
  });

  it('a different seed changes the trees', () => {
    const a = bytesAfter((ix) => ix.setSeed(42));
    const b = bytesAfter((ix) => ix.setSeed(43));
    expect(a.length % (16 + 4 * F)).toBe(0);
    expect(a.equals(b)).toBe(false);
  });

  it('the default seed is used when setSeed is never called, and setSeed() restores it', () => {
    const dflt = bytesAfter(() => undefined);
    const restored = bytesAfter((ix) => {
      ix.setSeed(42);
      ix.setSeed();
    });
    expect(restored.equals(dflt)).toBe(true);
    const explicit = bytesAfter((ix) => ix.setSeed(1234567890987654321n));
    expect(explicit.equals(dflt)).toBe(true);
    expect(bytesAfter((ix) => ix.setSeed(42)).equals(dflt)).toBe(false);
  });

  it('accepts a bigint, equivalent to the same number', () => {
    const n = bytesAfter((ix) => ix.setSeed(42));
    const b = bytesAfter((ix) => ix.setSeed(42n));
    expect(b.equals(n)).toBe(true);
  });

  it('accepts 0 as a real seed, different from the default', () => {
    const zero = bytesAfter((ix) => ix.setSeed(0));
    const zero2 = bytesAfter((ix) => ix.setSeed(0n));
    expect(zero.equals(zero2)).toBe(true);
    expect(zero.equals(bytesAfter(() => undefined))).toBe(false);
  });

  it('accepts the largest seeds (safe integers and 2^64 - 1)', () => {
    const big = bytesAfter((ix) => ix.setSeed(Number.MAX_SAFE_INTEGER));
    const bigN = bytesAfter((ix) => ix.setSeed(BigInt(Number.MAX_SAFE_INTEGER)));
    expect(big.equals(bigN)).toBe(true);
    const max = bytesAfter((ix) => ix.setSeed(2n ** 64n - 1n));
    expect(max.length).toBeGreaterThan(0);
  });

  it('only the seed at build time matters', () => {
    const late = bytesAfter((ix) => ix.setSeed(7));
    const early = (() => {
      const index = make(F, 'euclidean');
      index.setSeed(7);
      ITEMS.forEach((v, i) => index.addItem(i, v));
      index.build(4, 1);
      const p = tmpPath();
      index.save(p);
      return fs.readFileSync(p);
    })();
    expect(early.equals(late)).toBe(true);
  });

  it('is reported by info().seed', () => {
    const index = fresh();
    expect(String(index.info().seed)).toBe('1234567890987654321');
    index.setSeed(42);
    expect(String(index.info().seed)).toBe('42');
    index.setSeed(2n ** 64n - 1n);
    expect(String(index.info().seed)).toBe('18446744073709551615');
    index.setSeed();
    expect(String(index.info().seed)).toBe('1234567890987654321');
  });

  it('is allowed on a loaded index', () => {
    const p = tmpPath();
    fresh().build(2).save(p);
    const index = make(F, 'euclidean').load(p);
    expect(() => index.setSeed(42)).not.toThrow();
    expect(index.getNTrees()).toBe(2);
  });
});
