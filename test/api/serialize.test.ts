import * as util from 'util';
import { Annoy } from '../../lib';
import { asIds, tmpPath } from '../helpers/tmp';
import { fround, makeBitVectors, makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

const F = 5;
const N = 250;
const METRICS = ['angular', 'euclidean', 'manhattan', 'dot', 'hamming'];

function itemsFor(metric: string): number[][] {
  return metric === 'hamming' ? makeBitVectors(N, F, 4) : makeVectors(N, F, 4);
}

function built(metric: string, trees = 4): Annoy {
  const index = make(F, metric);
  itemsFor(metric).forEach((v, i) => index.addItem(i, v));
  return index.build(trees, 1);
}

function answers(index: Annoy): unknown[] {
  const out: unknown[] = [index.getNItems(), index.getNTrees(), index.f, index.metric];
  for (const q of makeVectors(4, F, 9)) out.push(index.getNnsByVector(q, 10));
  for (const i of [0, 7, N - 1]) out.push(index.getNnsByItem(i, 10));
  out.push(index.getItemVector(11));
  return out;
}

function isBytes(b: unknown): boolean {
  return util.types.isUint8Array(b);
}

describe('Annoy#serialize()', () => {
  it('returns a non-empty Buffer', () => {
    const buf = built('angular').serialize();
    expect(isBytes(buf)).toBe(true);
    expect(Buffer.from(buf as Uint8Array).length).toBeGreaterThan(0);
  });

  it('is deterministic: the same index gives the same bytes', () => {
    const a = built('euclidean').serialize();
    const b = built('euclidean').serialize();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('grows with the number of items', () => {
    const small = make(F, 'euclidean');
    makeVectors(10, F, 1).forEach((v, i) => small.addItem(i, v));
    small.build(2);
    expect(built('euclidean', 2).serialize().length).toBeGreaterThan(small.serialize().length);
  });

  it('after save and after load it is still the full index', () => {
    const index = built('euclidean');
    const before = answers(index);
    const p = tmpPath();
    index.save(p);
    const afterSave = index.serialize();
    expect(answers(make(F, 'euclidean').deserialize(afterSave))).toEqual(before);
    const loaded = make(F, 'euclidean').load(p);
    expect(answers(make(F, 'euclidean').deserialize(loaded.serialize()))).toEqual(before);
  });

  it('works on an unbuilt index with items', () => {
    const index = make(F, 'angular');
    makeVectors(20, F, 3).forEach((v, i) => index.addItem(i, v));
    const buf = index.serialize();
    expect(isBytes(buf)).toBe(true);
    expect(buf.length).toBeGreaterThan(0);
  });
});

describe('Annoy#deserialize()', () => {
  it.each(METRICS)('%s: round trip gives identical answers and n_trees', (metric) => {
    const index = built(metric);
    const copy = make(F, metric);
    expect(copy.deserialize(index.serialize())).toBe(copy);
    expect(answers(copy)).toEqual(answers(index));
    expect(copy.getNTrees()).toBe(4);
  });

  it('restores into a fresh f = 0 index (the snapshot fixes f)', () => {
    const index = built('manhattan');
    const copy = make(0, 'manhattan').deserialize(index.serialize());
    expect(copy.f).toBe(F);
    expect(answers(copy)).toEqual(answers(index));
  });

  it('accepts prefault both ways', () => {
    const index = built('dot');
    const buf = index.serialize();
    expect(answers(make(F, 'dot').deserialize(buf, true))).toEqual(answers(index));
    expect(answers(make(F, 'dot').deserialize(buf, false))).toEqual(answers(index));
  });

  it('accepts a Uint8Array copy of the bytes', () => {
    const index = built('euclidean');
    const bytes = new Uint8Array(index.serialize());
    expect(answers(make(F, 'euclidean').deserialize(bytes as never))).toEqual(answers(index));
  });

  it('does not depend on the caller keeping the buffer intact', () => {
    const index = built('euclidean');
    const buf = Buffer.from(index.serialize());
    const copy = make(F, 'euclidean').deserialize(buf);
    buf.fill(0);
    expect(answers(copy)).toEqual(answers(index));
  });

  it('replaces previous contents', () => {
    const index = built('euclidean');
    const target = make(F, 'euclidean');
    makeVectors(30, F, 8).forEach((v, i) => target.addItem(i, v));
    target.build(2);
    target.deserialize(index.serialize());
    expect(answers(target)).toEqual(answers(index));
  });

  it('of an unbuilt index with items: items restored, and it can then be built', () => {
    const items = makeVectors(60, F, 12);
    const index = make(F, 'euclidean');
    items.forEach((v, i) => index.addItem(i, v));
    const copy = make(F, 'euclidean').deserialize(index.serialize());
    expect(copy.getNItems()).toBe(60);
    expect(copy.getNTrees()).toBe(0);
    expect(copy.getItemVector(59)).toEqual(fround(items[59]));
    copy.build(3, 1);
    index.build(3, 1);
    expect(copy.getNTrees()).toBe(3);
    const q = makeVectors(1, F, 5)[0];
    expect(copy.getNnsByVector(q, 10)).toEqual(index.getNnsByVector(q, 10));
    expect(copy.getNnsByItem(59, 10)).toEqual(index.getNnsByItem(59, 10));
    expect(asIds(copy.getNnsByItem(5, 1, -1, false))).toEqual([5]);
  });

  it('a deserialized copy serializes to the same bytes', () => {
    const buf = built('angular').serialize();
    const again = make(F, 'angular').deserialize(buf).serialize();
    expect(Buffer.from(again).equals(Buffer.from(buf))).toBe(true);
  });

  it('a deserialized index can be saved and loaded', () => {
    const index = built('euclidean');
    const p = tmpPath();
    make(F, 'euclidean').deserialize(index.serialize()).save(p);
    expect(answers(make(F, 'euclidean').load(p))).toEqual(answers(index));
  });
});
