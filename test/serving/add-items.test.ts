// addItems (many items from one flat Float32Array or an array of vectors, all rows checked
// first) and getItemVector(i, { out }) (filling the caller's Float32Array).
import { types } from 'util';

import { Annoy, ErrorCodes } from '../../lib';
import { CodedError, expectCode } from '../helpers/tmp';
import { fround } from '../helpers/random';
import { flatten, METRICS, vectorsFor } from '../helpers/serving';

const F = 8;

function oneByOne(metric: string, rows: number[][], start = 0): Annoy {
  const index = new Annoy(F, metric);
  rows.forEach((v, i) => index.addItem(start + i, v));
  return index;
}

describe('Annoy#addItems()', () => {
  it.each(METRICS)('%s: a flat Float32Array equals addItem one by one (same bytes, same forest)', (metric) => {
    const rows = vectorsFor(metric, 300, F, 4);
    const viaBatch = new Annoy(F, metric);
    expect(viaBatch.addItems(flatten(rows, F))).toBe(viaBatch);
    const reference = oneByOne(metric, rows);
    expect(viaBatch.getNItems()).toBe(300);
    expect(viaBatch.serialize().equals(reference.serialize())).toBe(true);
    viaBatch.setSeed(3);
    reference.setSeed(3);
    expect(viaBatch.build(4, 1).serialize().equals(reference.build(4, 1).serialize())).toBe(true);
  });

  it('an array of vectors (plain arrays, Float32Array, Float64Array rows) equals the flat form', () => {
    const rows = vectorsFor('euclidean', 50, F, 5);
    const mixed = rows.map((r, i) => (i % 3 === 0 ? r : i % 3 === 1 ? Float32Array.from(r) : Float64Array.from(r)));
    const a = new Annoy(F, 'euclidean').addItems(mixed);
    const b = new Annoy(F, 'euclidean').addItems(flatten(rows, F));
    expect(a.serialize().equals(b.serialize())).toBe(true);
    expect(a.getItemVector(10)).toEqual(fround(rows[10]));
  });

  it('startId defaults to getNItems(): consecutive batches append', () => {
    const rows = vectorsFor('angular', 30, F, 6);
    const index = new Annoy(F, 'angular');
    index.addItems(rows.slice(0, 10));
    index.addItems(flatten(rows.slice(10, 25), F));
    index.addItem(25, rows[25]);
    index.addItems(rows.slice(26));
    expect(index.getNItems()).toBe(30);
    expect(index.serialize().equals(oneByOne('angular', rows).serialize())).toBe(true);
  });

  it('an explicit startId places the rows there, leaving holes below it', () => {
    const rows = vectorsFor('euclidean', 5, F, 7);
    const index = new Annoy(F, 'euclidean').addItems(rows, { startId: 10 });
    expect(index.getNItems()).toBe(15);
    expect(index.getItemVector(10)).toEqual(fround(rows[0]));
    expect(index.getItemVector(14)).toEqual(fround(rows[4]));
    expectCode(() => index.getItemVector(3), ErrorCodes.ID_OUT_OF_RANGE);
    // Overwriting existing ids, like addItem.
    index.addItems([rows[4]], { startId: 10 });
    expect(index.getItemVector(10)).toEqual(fround(rows[4]));
    expect(index.getNItems()).toBe(15);
    index.build(3, 1);
    expect(index.getNnsByVector(rows[2], 1, -1, false)).toEqual([12]);
  });

  it('f = 0: an array of vectors fixes the dimension; a flat array cannot (ANNOY_DIMENSION_UNKNOWN)', () => {
    const index = new Annoy();
    expectCode(() => index.addItems(new Float32Array(12)), ErrorCodes.DIMENSION_UNKNOWN);
    expect(index.f).toBe(0);
    index.addItems([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(index.f).toBe(3);
    expect(index.getNItems()).toBe(2);
    index.addItems(new Float32Array([7, 8, 9]));
    expect(index.getItemVector(2)).toEqual([7, 8, 9]);
  });

  it('an empty batch adds nothing', () => {
    const index = new Annoy(F, 'euclidean');
    index.addItems([]);
    index.addItems(new Float32Array(0));
    expect(index.getNItems()).toBe(0);
  });

  describe('a bad row is an error and adds nothing', () => {
    const base = () => {
      const index = new Annoy(F, 'euclidean');
      index.addItems(vectorsFor('euclidean', 3, F, 8));
      return index;
    };
    /** A fresh base index, and refuse(call, code): call(index) throws `code` (returned) and adds nothing. */
    const refuser = () => {
      const index = base();
      const before = index.serialize();
      return (call: (index: Annoy) => unknown, code: string): CodedError => {
        const err = expectCode(() => call(index), code);
        expect(index.getNItems()).toBe(3);
        expect(index.serialize().equals(before)).toBe(true);
        return err;
      };
    };

    it.each([
      ['NaN', NaN],
      ['Infinity', Infinity],
    ])('%s in row 4 of a flat array -> ANNOY_NON_FINITE naming row 4', (_name, bad) => {
      const refuse = refuser();
      const rows = vectorsFor('euclidean', 6, F, 9);
      rows[4][2] = bad as number;
      const err = refuse((index) => index.addItems(flatten(rows, F)), ErrorCodes.NON_FINITE);
      expect(err.message).toMatch(/\brow 4\b|\[4\]/);
      const err2 = refuse((index) => index.addItems(rows), ErrorCodes.NON_FINITE);
      expect(err2.message).toMatch(/\brow 4\b|\[4\]/);
    });

    it('a NaN in the last row adds none of the rows before it', () => {
      const rows = vectorsFor('euclidean', 6, F, 9);
      rows[5][0] = NaN;
      refuser()((index) => index.addItems(rows, { startId: 100 }), ErrorCodes.NON_FINITE);
    });

    it('a row of the wrong length -> ANNOY_DIMENSION_MISMATCH naming the row', () => {
      const rows: number[][] = vectorsFor('euclidean', 6, F, 9);
      rows[3] = rows[3].concat([1]);
      const err = refuser()((index) => index.addItems(rows), ErrorCodes.DIMENSION_MISMATCH);
      expect(err.message).toMatch(/\brow 3\b|\[3\]/);
    });

    it('a flat array whose length is not a multiple of f -> ANNOY_INVALID_ARGUMENT', () => {
      refuser()((index) => index.addItems(new Float32Array(F * 2 + 3)), ErrorCodes.INVALID_ARGUMENT);
    });

    it('a non-number component -> ANNOY_INVALID_ARGUMENT; not vectors -> ANNOY_INVALID_ARGUMENT', () => {
      const refuse = refuser();
      const rows: any[] = vectorsFor('euclidean', 3, F, 9);
      rows[1] = rows[1].slice();
      rows[1][0] = 'x';
      refuse((index) => index.addItems(rows), ErrorCodes.INVALID_ARGUMENT);
      refuse((index) => index.addItems('abc' as never), ErrorCodes.INVALID_ARGUMENT);
      refuse((index) => index.addItems(new Int32Array(F) as never), ErrorCodes.INVALID_ARGUMENT);
    });

    it('bad startId -> ANNOY_INVALID_ID; ids beyond int32 -> ANNOY_INVALID_ID', () => {
      const refuse = refuser();
      const rows = vectorsFor('euclidean', 2, F, 9);
      refuse((index) => index.addItems(rows, { startId: -1 }), ErrorCodes.INVALID_ID);
      refuse((index) => index.addItems(rows, { startId: 1.5 }), ErrorCodes.INVALID_ID);
      refuse((index) => index.addItems(rows, { startId: 2 ** 31 - 2 }), ErrorCodes.INVALID_ID);
    });

    it('options null -> ANNOY_INVALID_ARGUMENT', () => {
      refuser()(
        (index) => index.addItems(vectorsFor('euclidean', 2, F, 1), null as never),
        ErrorCodes.INVALID_ARGUMENT,
      );
    });

    it('after build -> ANNOY_ALREADY_BUILT', () => {
      const index = base().build(2, 1);
      expectCode(() => index.addItems(vectorsFor('euclidean', 2, F, 1)), ErrorCodes.ALREADY_BUILT);
      expect(index.getNItems()).toBe(3);
    });
  });
});

describe('Annoy#getItemVector() with { out }', () => {
  it('fills and returns the same Float32Array', () => {
    const rows = vectorsFor('euclidean', 4, F, 10);
    const index = new Annoy(F, 'euclidean').addItems(rows);
    const out = new Float32Array(F);
    const returned = index.getItemVector(2, { out });
    expect(returned).toBe(out);
    expect(types.isFloat32Array(returned)).toBe(true);
    expect(Array.from(out)).toEqual(fround(rows[2]));
    // Reused for another item: overwritten in place.
    index.getItemVector(3, { out });
    expect(Array.from(out)).toEqual(fround(rows[3]));
    expect(Array.from(out)).toEqual(index.getItemVector(3));
  });

  it.each(METRICS)('%s: equals getItemVector(i) for a built index', (metric) => {
    const rows = vectorsFor(metric, 20, F, 11);
    const index = new Annoy(F, metric).addItems(rows).build(2, 1);
    const out = new Float32Array(F);
    for (const i of [0, 7, 19]) expect(Array.from(index.getItemVector(i, { out }))).toEqual(index.getItemVector(i));
  });

  it('a view into a larger buffer is filled in place, nothing outside it touched', () => {
    const rows = vectorsFor('manhattan', 3, F, 12);
    const index = new Annoy(F, 'manhattan').addItems(rows);
    const big = new Float32Array(F * 3).fill(-7);
    const view = big.subarray(F, 2 * F);
    index.getItemVector(1, { out: view });
    expect(Array.from(big.subarray(0, F))).toEqual(new Array(F).fill(-7));
    expect(Array.from(big.subarray(F, 2 * F))).toEqual(fround(rows[1]));
    expect(Array.from(big.subarray(2 * F))).toEqual(new Array(F).fill(-7));
  });

  it('wrong length -> ANNOY_INVALID_ARGUMENT; not a Float32Array -> ANNOY_INVALID_ARGUMENT; out untouched', () => {
    const index = new Annoy(F, 'euclidean').addItems(vectorsFor('euclidean', 3, F, 13));
    for (const len of [F - 1, F + 1, 0]) {
      const out = new Float32Array(len).fill(5);
      expectCode(() => index.getItemVector(0, { out }), ErrorCodes.INVALID_ARGUMENT);
      expect(Array.from(out)).toEqual(new Array(len).fill(5));
    }
    expectCode(() => index.getItemVector(0, { out: new Float64Array(F) as never }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.getItemVector(0, { out: new Array(F).fill(0) as never }), ErrorCodes.INVALID_ARGUMENT);
  });

  it('bad ids keep their codes and leave out untouched', () => {
    const index = new Annoy(F, 'euclidean').addItems(vectorsFor('euclidean', 3, F, 14), { startId: 2 });
    const out = new Float32Array(F).fill(9);
    expectCode(() => index.getItemVector(5, { out }), ErrorCodes.ID_OUT_OF_RANGE);
    expectCode(() => index.getItemVector(0, { out }), ErrorCodes.ID_OUT_OF_RANGE);
    expectCode(() => index.getItemVector(-1, { out }), ErrorCodes.INVALID_ID);
    expect(Array.from(out)).toEqual(new Array(F).fill(9));
  });
});
