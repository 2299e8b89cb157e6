// Batch queries by item id: queryByItems() (native threads, a Promise) and queryByItemsSync().
// Every row equals getNnsByItem with the same k and searchK; bad ids name their row.
import { types } from 'util';

import { Annoy, AnnoyError, ErrorCodes } from '../../lib';
import { expectCode } from '../helpers/tmp';
import { batchCases, builtIndex, expectBatchShape, expectRejectCode, indexPerMetric, row } from '../helpers/serving';

const F = 12;
const N = 1200;
const K = 9;
const IDS = [0, 1, 2, 17, 400, 599, 600, 1000, N - 2, N - 1, 5, 5];

const indexFor = indexPerMetric(N, F, { trees: 8, dataSeed: 21 });

function expectRowsEqualSingle(
  index: Annoy,
  ids: number[],
  result: ReturnType<Annoy['queryByItemsSync']>,
  k: number,
  searchK: number,
): void {
  ids.forEach((id, i) => {
    expect(row(result, i, k)).toEqual(index.getNnsByItem(id, k, searchK, true));
  });
}

const CASES = batchCases(30);

describe('Annoy#queryByItems()', () => {
  it.each(CASES)('%s, threads %p, searchK %p: every row equals getNnsByItem', async (metric, threads, searchK) => {
    const index = indexFor(metric);
    const result = await index.queryByItems(IDS, K, { threads, searchK });
    expectBatchShape(result, IDS.length, K);
    expectRowsEqualSingle(index, IDS, result, K, searchK);
  });

  it('ids as an Int32Array, a Uint32Array or an array give the same answer', async () => {
    const index = indexFor('euclidean');
    const a = await index.queryByItems(IDS, K);
    const b = await index.queryByItems(Int32Array.from(IDS), K);
    const c = await index.queryByItems(Uint32Array.from(IDS), K);
    for (const r of [b, c]) {
      expect(Array.from(r.ids)).toEqual(Array.from(a.ids));
      expect(Array.from(r.distances)).toEqual(Array.from(a.distances));
      expect(Array.from(r.counts)).toEqual(Array.from(a.counts));
    }
  });

  it('an Int32Array view (subarray with an offset) is read from its offset', async () => {
    const index = indexFor('dot');
    const all = Int32Array.from(IDS);
    const view = all.subarray(3, 8);
    const result = await index.queryByItems(view, K, { threads: 2 });
    expectRowsEqualSingle(index, IDS.slice(3, 8), result, K, -1);
    expect(Array.from(index.queryByItemsSync(view, K).ids)).toEqual(Array.from(result.ids));
  });

  it('each item is its own nearest neighbour (distance 0) for euclidean', async () => {
    const index = indexFor('euclidean');
    const ids = [3, 77, 500, 1199];
    const result = await index.queryByItems(ids, 4, { threads: 2 });
    ids.forEach((id, i) => {
      expect(result.ids[i * 4]).toBe(id);
      expect(result.distances[i * 4]).toBe(0);
    });
  });

  it('includeDistances: false gives an empty distances array', async () => {
    const result = await indexFor('angular').queryByItems(IDS, K, { includeDistances: false });
    expectBatchShape(result, IDS.length, K, false);
    expect(Array.from(result.ids)).toEqual(Array.from(indexFor('angular').queryByItemsSync(IDS, K).ids));
  });

  it('k above the number of items: rows as wide as the item count; an empty id list gives empty arrays', async () => {
    const index = new Annoy(2, 'euclidean');
    index
      .addItems([
        [0, 0],
        [3, 0],
        [0, 1],
      ])
      .build(2, 1);
    const result = await index.queryByItems([0, 1], 5);
    expect(result.k).toBe(3);
    expectBatchShape(result, 2, 3);
    expect(Array.from(result.counts)).toEqual([3, 3]);
    expect(Array.from(result.ids.subarray(0, 3))).toEqual([0, 2, 1]);
    // From [3, 0]: itself, then [0, 0] at 3, then [0, 1] at sqrt(10).
    expect(Array.from(result.ids.subarray(3, 6))).toEqual([1, 0, 2]);
    expect(index.queryByItemsSync([0, 1], 2 ** 31 - 1).k).toBe(3);
    expectBatchShape(await index.queryByItems([], 5), 0, 3);
  });

  it('the id array may be overwritten right after the call', async () => {
    const index = indexFor('manhattan');
    const ids = Int32Array.from(IDS);
    const expected = index.queryByItemsSync(ids, K);
    const pending = index.queryByItems(ids, K, { threads: 2 });
    ids.fill(0);
    const result = await pending;
    expect(Array.from(result.ids)).toEqual(Array.from(expected.ids));
  });

  it('an index with holes: rows equal getNnsByItem and never return a hole', async () => {
    const { index } = builtIndex('euclidean', 300, F, { trees: 4, holes: [10, 11, 250] });
    const ids = [0, 9, 12, 249, 251, 299];
    const result = await index.queryByItems(ids, 6, { threads: 2 });
    expectRowsEqualSingle(index, ids, result, 6, -1);
    for (const id of Array.from(result.ids)) expect([10, 11, 250]).not.toContain(id);
  });

  describe('errors are rejections (AnnoyError, the code, the row, the caller in the stack)', () => {
    const index = () => indexFor('euclidean');

    it('an id >= n_items -> ANNOY_ID_OUT_OF_RANGE naming the row', async () => {
      for (const ids of [[0, 1, N], Int32Array.from([0, 1, N + 5]), Uint32Array.from([0, 1, N])] as const) {
        const err = await expectRejectCode(index().queryByItems(ids as never, 3), ErrorCodes.ID_OUT_OF_RANGE);
        expect(err).toBeInstanceOf(AnnoyError);
        expect(err.message).toMatch(/\brow 2\b|\[2\]/);
        expect(err.stack).toContain('query-by-items.test.ts');
        const errSync = expectCode(() => index().queryByItemsSync(ids as never, 3), ErrorCodes.ID_OUT_OF_RANGE);
        expect(errSync.message).toMatch(/\brow 2\b|\[2\]/);
      }
    });

    it('a negative id -> ANNOY_INVALID_ID naming the row (array and Int32Array)', async () => {
      for (const ids of [[0, -1], Int32Array.from([0, -1])]) {
        const err = await expectRejectCode(index().queryByItems(ids, 3), ErrorCodes.INVALID_ID);
        expect(err.message).toMatch(/\brow 1\b|\[1\]/);
        expect(err.stack).toContain('query-by-items.test.ts');
        expectCode(() => index().queryByItemsSync(ids, 3), ErrorCodes.INVALID_ID);
      }
    });

    it('a non-integer id or one beyond int32 -> ANNOY_INVALID_ID', async () => {
      await expectRejectCode(index().queryByItems([1, 2.5], 3), ErrorCodes.INVALID_ID);
      await expectRejectCode(index().queryByItems([1, NaN], 3), ErrorCodes.INVALID_ID);
      await expectRejectCode(index().queryByItems(Uint32Array.from([1, 2 ** 31]), 3), ErrorCodes.INVALID_ID);
      await expectRejectCode(index().queryByItems(['1'] as never, 3), ErrorCodes.INVALID_ID);
      expectCode(() => index().queryByItemsSync([2 ** 31], 3), ErrorCodes.INVALID_ID);
    });

    it('a hole -> ANNOY_ID_OUT_OF_RANGE naming the row', async () => {
      const { index: holed } = builtIndex('euclidean', 100, F, { trees: 2, holes: [40] });
      const err = await expectRejectCode(holed.queryByItems([1, 2, 3, 40], 3), ErrorCodes.ID_OUT_OF_RANGE);
      expect(err.message).toMatch(/\brow 3\b|\[3\]/);
      expectCode(() => holed.queryByItemsSync([40], 3), ErrorCodes.ID_OUT_OF_RANGE);
    });

    it('ids of the wrong type -> ANNOY_INVALID_ARGUMENT', async () => {
      await expectRejectCode(index().queryByItems(new Float32Array([1, 2]) as never, 3), ErrorCodes.INVALID_ARGUMENT);
      await expectRejectCode(index().queryByItems('1,2' as never, 3), ErrorCodes.INVALID_ARGUMENT);
      expectCode(() => index().queryByItemsSync(new Set([1]) as never, 3), ErrorCodes.INVALID_ARGUMENT);
    });

    it.each([
      ['k 0', 0, {}],
      ['k 2.5', 2.5, {}],
      ['searchK -3', 2, { searchK: -3 }],
      ['threads 0', 2, { threads: 0 }],
    ])('%s -> ANNOY_INVALID_ARGUMENT', async (_name, k, options) => {
      const err = await expectRejectCode(
        index().queryByItems([1, 2], k as number, options),
        ErrorCodes.INVALID_ARGUMENT,
      );
      expect(err.stack).toContain('query-by-items.test.ts');
      expectCode(() => index().queryByItemsSync([1, 2], k as number, options), ErrorCodes.INVALID_ARGUMENT);
    });

    it('before build -> ANNOY_NOT_BUILT', async () => {
      const unbuilt = new Annoy(3, 'euclidean');
      unbuilt.addItems([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const err = await expectRejectCode(unbuilt.queryByItems([0], 1), ErrorCodes.NOT_BUILT);
      expect(err).toBeInstanceOf(AnnoyError);
      expect(err.stack).toContain('query-by-items.test.ts');
      expectCode(() => unbuilt.queryByItemsSync([0], 1), ErrorCodes.NOT_BUILT);
    });
  });
});

describe('Annoy#queryByItemsSync()', () => {
  it.each(CASES)(
    '%s, threads %p, searchK %p: the same as queryByItems() and per-item queries',
    async (metric, threads, searchK) => {
      const index = indexFor(metric);
      const sync = index.queryByItemsSync(IDS, K, { threads, searchK });
      expect(types.isPromise(sync)).toBe(false);
      expectBatchShape(sync, IDS.length, K);
      expectRowsEqualSingle(index, IDS, sync, K, searchK);
      const viaAsync = await index.queryByItems(IDS, K, { threads, searchK });
      expect(Array.from(sync.ids)).toEqual(Array.from(viaAsync.ids));
      expect(Array.from(sync.distances)).toEqual(Array.from(viaAsync.distances));
      expect(Array.from(sync.counts)).toEqual(Array.from(viaAsync.counts));
    },
  );
});
