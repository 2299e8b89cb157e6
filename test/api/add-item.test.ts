import { ErrorCodes } from '../../lib';
import { expectCode, asIds } from '../helpers/tmp';
import { fround, makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

describe('Annoy#addItem()', () => {
  it('returns the index itself (chainable)', () => {
    const index = make(3, 'angular');
    const ret = index.addItem(0, [1, 0, 0]);
    expect(ret).toBe(index);
    expect(index.addItem(1, [0, 1, 0]).addItem(2, [0, 0, 1])).toBe(index);
    expect(index.getNItems()).toBe(3);
  });

  it('accepts number[] vectors', () => {
    const index = make(4, 'euclidean');
    index.addItem(0, [1.5, -2.25, 3, 0]);
    expect(index.getItemVector(0)).toEqual([1.5, -2.25, 3, 0]);
  });

  it('accepts Float32Array vectors', () => {
    const index = make(4, 'euclidean');
    const v = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    index.addItem(0, v);
    expect(index.getItemVector(0)).toEqual(Array.from(v));
  });

  it("does not keep a reference to the caller's vector", () => {
    const index = make(3, 'euclidean');
    const arr = [1, 2, 3];
    const typed = new Float32Array([4, 5, 6]);
    index.addItem(0, arr).addItem(1, typed);
    arr[0] = 100;
    typed[0] = 100;
    expect(index.getItemVector(0)).toEqual([1, 2, 3]);
    expect(index.getItemVector(1)).toEqual([4, 5, 6]);
  });

  it('stores components as float32', () => {
    const index = make(3, 'angular');
    const v = [0.1, 1 / 3, Math.PI];
    index.addItem(0, v);
    expect(index.getItemVector(0)).toEqual(fround(v));
  });

  it('re-adding an id before build overwrites the item', () => {
    const index = make(3, 'euclidean');
    index.addItem(0, [1, 0, 0]).addItem(1, [5, 5, 5]);
    index.addItem(0, [0, 1, 0]);
    expect(index.getNItems()).toBe(2);
    expect(index.getItemVector(0)).toEqual([0, 1, 0]);
    index.build(3);
    const [ids, dists] = index.getNnsByVector([0, 1, 0], 1) as unknown as [number[], number[]];
    expect(ids).toEqual([0]);
    expect(dists[0]).toBeCloseTo(0, 6);
  });

  it('ids may leave holes: n_items is max id + 1 and holes are never returned', () => {
    const index = make(3, 'euclidean');
    index.addItem(5, [1, 2, 3]);
    expect(index.getNItems()).toBe(6);
    index.addItem(2, [3, 2, 1]);
    expect(index.getNItems()).toBe(6);
    index.build(5);
    const ids = asIds(index.getNnsByVector([0, 0, 0], 10, -1, false));
    expect([...ids].sort()).toEqual([2, 5]);
    expectCode(() => index.getItemVector(3), ErrorCodes.ID_OUT_OF_RANGE);
  });

  it('accepts ids added in any order', () => {
    const index = make(2, 'manhattan');
    const vs = makeVectors(20, 2, 5);
    for (let i = 19; i >= 0; i--) index.addItem(i, vs[i]);
    expect(index.getNItems()).toBe(20);
    for (let i = 0; i < 20; i++) expect(index.getItemVector(i)).toEqual(fround(vs[i]));
  });

  it('accepts integer-valued doubles such as 3.0 and large valid ids', () => {
    const index = make(2, 'euclidean');
    index.addItem(3.0, [1, 1]);
    index.addItem(1000, [2, 2]);
    expect(index.getNItems()).toBe(1001);
    expect(index.getItemVector(1000)).toEqual([2, 2]);
  });

  it('accepts zero vectors and negative components', () => {
    const index = make(3, 'angular');
    index.addItem(0, [0, 0, 0]).addItem(1, [-1, -2, -3]);
    expect(index.getItemVector(0)).toEqual([0, 0, 0]);
    expect(index.getItemVector(1)).toEqual([-1, -2, -3]);
  });

  it('hamming: components > 0.5 are set bits', () => {
    const index = make(4, 'hamming');
    index.addItem(0, [0.7, 0.3, 0.51, 0.5]);
    expect(index.getItemVector(0)).toEqual([1, 0, 1, 0]);
  });

  it('hamming: more than 64 bits span several words', () => {
    const bits = Array.from({ length: 130 }, (_, k) => (k % 3 === 0 ? 1 : 0));
    const index = make(130, 'hamming');
    index.addItem(0, bits);
    expect(index.getItemVector(0)).toEqual(bits);
  });

  it('can add more items after unbuild()', () => {
    const index = make(2, 'euclidean');
    index.addItem(0, [0, 0]).addItem(1, [1, 1]).build(2);
    index.unbuild();
    index.addItem(2, [2, 2]);
    expect(index.getNItems()).toBe(3);
  });
});
