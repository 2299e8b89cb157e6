import * as fs from 'fs';
import { Annoy } from '../../lib';
import { tmpPath } from '../helpers/tmp';
import { fround, makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

function pair(metric: string, a: number[], b: number[]): Annoy {
  return make(a.length, metric).addItem(0, a).addItem(1, b);
}

describe('Annoy#getDistance()', () => {
  describe('angular: sqrt(2 - 2 cos)', () => {
    it.each([
      [[0, 1], [1, 1], Math.sqrt(2 * (1 - Math.SQRT1_2))],
      [[1000, 0], [10, 0], 0],
      [[97, 0], [42, 42], Math.sqrt((1 - Math.SQRT1_2) ** 2 + Math.SQRT1_2 ** 2)],
      [[1, 0], [0, 0], Math.SQRT2],
      [[0, 0], [0, 0], Math.SQRT2],
      [[1, 0], [-1, 0], 2],
    ] as Array<[number[], number[], number]>)('%j vs %j -> %f', (a, b, d) => {
      expect(pair('angular', a, b).getDistance(0, 1)).toBeCloseTo(d, 4);
    });
  });

  describe('euclidean', () => {
    it("matches Annoy's test values", () => {
      const index = make(2, 'euclidean').addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
      expect(index.getDistance(0, 1)).toBeCloseTo(1, 6);
      expect(index.getDistance(1, 2)).toBeCloseTo(Math.SQRT2, 6);
    });

    it('is 0 for identical vectors and never negative (#314)', () => {
      expect(pair('euclidean', [0.712593], [0.712593]).getDistance(0, 1)).toBe(0);
      expect(pair('euclidean', [0.712593], [0.7123166]).getDistance(0, 1)).toBeGreaterThanOrEqual(0);
    });
  });

  describe('manhattan', () => {
    it("matches Annoy's test values", () => {
      const index = make(2, 'manhattan').addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
      expect(index.getDistance(0, 1)).toBeCloseTo(1, 6);
      expect(index.getDistance(1, 2)).toBeCloseTo(2, 6);
    });
  });

  describe('dot: the dot product', () => {
    it('after build', () => {
      const index = make(2, 'dot').addItem(0, [0, 1]).addItem(1, [1, 1]).addItem(2, [0, 0]);
      index.build(10);
      expect(index.getDistance(0, 1)).toBeCloseTo(1, 6);
      expect(index.getDistance(1, 2)).toBeCloseTo(0, 6);
    });

    it('before build (the 1.17 layout has no "built" state)', () => {
      const index = make(2, 'dot').addItem(0, [0, 1]).addItem(1, [1, 1]);
      expect(index.getDistance(0, 1)).toBeCloseTo(1, 6);
      expect(pair('dot', [1, 2, 3], [-4, 5, 0.5]).getDistance(0, 1)).toBeCloseTo(-4 + 10 + 1.5, 5);
    });
  });

  describe('hamming: number of differing bits', () => {
    it('[1,0,1,0,1,0,1,0] vs all ones -> 4', () => {
      expect(pair('hamming', [1, 0, 1, 0, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1]).getDistance(0, 1)).toBe(4);
    });

    it('is symmetric, 0 to itself, and counts bits across words', () => {
      const a = Array.from({ length: 100 }, (_, k) => (k % 2 ? 1 : 0));
      const b = Array.from({ length: 100 }, (_, k) => (k % 5 === 0 ? 1 : 0));
      let diff = 0;
      for (let k = 0; k < 100; k++) if (a[k] !== b[k]) diff++;
      const index = pair('hamming', a, b);
      expect(index.getDistance(0, 1)).toBe(diff);
      expect(index.getDistance(1, 0)).toBe(diff);
      expect(index.getDistance(0, 0)).toBe(0);
    });
  });

  it('is symmetric and returns a number for every metric', () => {
    const vs = makeVectors(2, 9, 77);
    for (const metric of ['angular', 'euclidean', 'manhattan', 'dot', 'hamming']) {
      const index = pair(metric, vs[0], vs[1]);
      const d = index.getDistance(0, 1);
      expect(typeof d).toBe('number');
      expect(Number.isFinite(d)).toBe(true);
      expect(index.getDistance(1, 0)).toBeCloseTo(d, 6);
    }
  });

  it('works the same after build and after save/load', () => {
    const vs = makeVectors(30, 5, 3);
    const index = make(5, 'euclidean');
    vs.forEach((v, i) => index.addItem(i, v));
    const before = index.getDistance(3, 17);
    index.build(3);
    expect(index.getDistance(3, 17)).toBe(before);
    const p = tmpPath();
    index.save(p);
    const loaded = make(5, 'euclidean').load(p);
    expect(loaded.getDistance(3, 17)).toBe(before);
  });
});

describe('Annoy#getItemVector()', () => {
  it('returns a plain number[] of length f', () => {
    const index = make(5, 'angular').addItem(0, [1, 2, 3, 4, 5]);
    const v = index.getItemVector(0);
    expect(Array.isArray(v)).toBe(true);
    expect(v.length).toBe(5);
    expect(v).toEqual([1, 2, 3, 4, 5]);
    for (const x of v) expect(typeof x).toBe('number');
  });

  it('values round-trip through float32', () => {
    const vs = makeVectors(10, 16, 12);
    for (const metric of ['angular', 'euclidean', 'manhattan', 'dot']) {
      const index = make(16, metric);
      vs.forEach((v, i) => index.addItem(i, v));
      vs.forEach((v, i) => expect(index.getItemVector(i)).toEqual(fround(v)));
    }
  });

  it("returns the values Annoy's test expects (to ~7 digits)", () => {
    const index = make(3, 'angular');
    index.addItem(0, [1.1, 2.2, 3.3]).addItem(1, [4.4, 5.5, 6.6]).addItem(2, [7.7, 8.8, 9.9]);
    const v = index.getItemVector(1);
    expect(v[0]).toBeCloseTo(4.4, 6);
    expect(v[1]).toBeCloseTo(5.5, 6);
    expect(v[2]).toBeCloseTo(6.6, 6);
  });

  it('is unchanged by build, dot preprocessing included', () => {
    const vs = makeVectors(50, 4, 8);
    const index = make(4, 'dot');
    vs.forEach((v, i) => index.addItem(i, v));
    index.build(3);
    vs.forEach((v, i) => expect(index.getItemVector(i)).toEqual(fround(v)));
  });

  it('is stable across save and load (prefault both ways)', () => {
    const vs = makeVectors(100, 6, 10);
    const index = make(6, 'euclidean');
    vs.forEach((v, i) => index.addItem(i, v));
    index.build(4);
    const p = tmpPath();
    index.save(p);
    expect(index.getItemVector(99)).toEqual(fround(vs[99]));
    for (const prefault of [false, true]) {
      const loaded = make(6, 'euclidean').load(p, prefault);
      expect(loaded.getItemVector(99)).toEqual(fround(vs[99]));
      expect(loaded.getItemVector(0)).toEqual(fround(vs[0]));
    }
    expect(fs.existsSync(p)).toBe(true);
  });

  it('hamming: returns 0/1 components, one per bit', () => {
    const index = make(10, 'hamming');
    index.addItem(0, [0.6, 0.4, 0.9, 0, 0, 0, 0, 0, 0, 1]);
    expect(index.getItemVector(0)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('a Float32Array input returns a plain array', () => {
    const index = make(3, 'manhattan').addItem(0, new Float32Array([1.5, 2.5, 3.5]));
    const v = index.getItemVector(0);
    expect(Array.isArray(v)).toBe(true);
    expect(v).toEqual([1.5, 2.5, 3.5]);
  });
});
