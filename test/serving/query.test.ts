// Batch queries by vector: query() (native threads, a Promise) and querySync(). Every row equals
// getNnsByVector with the same k and searchK, for every metric and thread count; results are
// m x k row-major typed arrays with -1 / NaN in unused slots.
import { types } from 'util';

import { Annoy, AnnoyError, ErrorCodes } from '../../lib';
import { expectCode } from '../helpers/tmp';
import {
  batchCases,
  countTicks,
  expectBatchShape,
  expectRejectCode,
  filledIndex,
  flatten,
  expectCleanExit,
  flatUniform,
  indexPerMetric,
  MetricName,
  row,
  runNode,
  vectorsFor,
} from '../helpers/serving';

const F = 16;
const N = 1500;
const M = 25;
const K = 10;

const indexFor = indexPerMetric(N, F, { trees: 10 });
const queriesFor = (metric: MetricName) => vectorsFor(metric, M, F, 1234);

function expectRowsEqualSingle(
  index: Annoy,
  queries: number[][],
  result: ReturnType<Annoy['querySync']>,
  k: number,
  searchK: number,
): void {
  queries.forEach((q, i) => {
    const expected = index.getNnsByVector(q, k, searchK, true);
    expect(row(result, i, k)).toEqual(expected);
    expect(result.counts[i]).toBe(expected[0].length);
  });
}

const CASES = batchCases(35);

/** A manhattan index of the points (0, 0), (1, 1), …, (n - 1, n - 1), built with 2 trees on one thread. */
const diagonal = (n: number): Annoy =>
  new Annoy(2, 'manhattan').addItems(Array.from({ length: n }, (_, i) => [i, i])).build(2, 1);

describe('Annoy#query()', () => {
  it.each(CASES)('%s, threads %p, searchK %p: every row equals getNnsByVector', async (metric, threads, searchK) => {
    const index = indexFor(metric);
    const queries = queriesFor(metric);
    const result = await index.query(flatten(queries, F), K, { threads, searchK });
    expectBatchShape(result, M, K);
    expectRowsEqualSingle(index, queries, result, K, searchK);
    for (let i = 0; i < M; i++) expect(result.counts[i]).toBe(K);
  });

  it('an array of vectors (plain arrays, typed arrays) gives the same answer as one flat Float32Array', async () => {
    const index = indexFor('euclidean');
    const queries = queriesFor('euclidean');
    const mixed = queries.map((q, i) => (i % 3 === 0 ? q : i % 3 === 1 ? Float32Array.from(q) : Float64Array.from(q)));
    const a = await index.query(flatten(queries, F), K);
    const b = await index.query(mixed, K);
    expect(Array.from(b.ids)).toEqual(Array.from(a.ids));
    expect(Array.from(b.distances)).toEqual(Array.from(a.distances));
    expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
  });

  it('a Float32Array view (subarray with an offset) is read from its offset', async () => {
    const index = indexFor('euclidean');
    const queries = queriesFor('euclidean');
    const flat = flatten(queries, F);
    const view = flat.subarray(2 * F, 7 * F);
    const result = await index.query(view, K, { threads: 2 });
    expectBatchShape(result, 5, K);
    expectRowsEqualSingle(index, queries.slice(2, 7), result, K, -1);
    expect(Array.from(index.querySync(view, K).ids)).toEqual(Array.from(result.ids));
  });

  it('defaults (threads -1, searchK -1, with distances) equal querySync and per-row queries', async () => {
    const index = indexFor('angular');
    const queries = queriesFor('angular');
    const result = await index.query(queries, K);
    expectBatchShape(result, M, K);
    expectRowsEqualSingle(index, queries, result, K, -1);
    const sync = index.querySync(queries, K);
    expect(Array.from(result.ids)).toEqual(Array.from(sync.ids));
    expect(Array.from(result.distances)).toEqual(Array.from(sync.distances));
  });

  it('includeDistances: false leaves distances empty, ids and counts unchanged', async () => {
    const index = indexFor('manhattan');
    const flat = flatten(queriesFor('manhattan'), F);
    const full = await index.query(flat, K, { threads: 2 });
    const idsOnly = await index.query(flat, K, { threads: 2, includeDistances: false });
    expectBatchShape(idsOnly, M, K, false);
    expect(idsOnly.distances.length).toBe(0);
    expect(Array.from(idsOnly.ids)).toEqual(Array.from(full.ids));
    expect(Array.from(idsOnly.counts)).toEqual(Array.from(full.counts));
  });

  // Issue #10 M4: rows used to be k wide whatever the index held (2^31 - 1 asked for ~16 GB).
  it('k above the number of items: rows are as wide as the item count (result.k), each row full', async () => {
    const index = new Annoy(3, 'euclidean');
    index.addItems([
      [0, 0, 0],
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
      [4, 4, 4],
    ]);
    index.build(3, 1);
    const result = await index.query(
      [
        [0, 0, 0],
        [4, 4, 4],
      ],
      8,
      { threads: 2 },
    );
    expect(result.k).toBe(5);
    expectBatchShape(result, 2, 5);
    expect(Array.from(result.counts)).toEqual([5, 5]);
    expect(Array.from(result.ids.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    // From [4, 4, 4]: 0, sqrt(33), sqrt(36), sqrt(41), sqrt(48).
    expect(Array.from(result.ids.subarray(5, 10))).toEqual([4, 3, 2, 1, 0]);
    expect(result.distances[0]).toBe(0);
    expect(result.distances[1]).toBeCloseTo(1, 6);
    expectRowsEqualSingle(
      index,
      [
        [0, 0, 0],
        [4, 4, 4],
      ],
      result,
      5,
      -1,
    );
    expect((await index.query([[0, 0, 0]], 2 ** 31 - 1)).k).toBe(5);
    expect((await index.query([[0, 0, 0]], 3)).k).toBe(3);
  });

  it('an empty batch resolves to empty arrays', async () => {
    const index = indexFor('euclidean');
    const a = await index.query([], K);
    const b = await index.query(new Float32Array(0), K);
    for (const r of [a, b]) {
      expectBatchShape(r, 0, K);
    }
  });

  it('the input may be overwritten right after the call: the query owns a copy', async () => {
    const index = indexFor('euclidean');
    const queries = queriesFor('euclidean');
    const flat = flatten(queries, F);
    const expected = index.querySync(flat, K, { threads: 1 });
    const pending = index.query(flat, K, { threads: 2 });
    flat.fill(1000);
    const result = await pending;
    expect(Array.from(result.ids)).toEqual(Array.from(expected.ids));
    expect(Array.from(result.distances)).toEqual(Array.from(expected.distances));
  });

  it('many concurrent queries on one index all answer correctly', async () => {
    const index = indexFor('angular');
    const queries = queriesFor('angular');
    const expected = index.querySync(queries, K, { threads: 1 });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, t) => index.query(queries, K, { threads: 1 + (t % 2) })),
    );
    for (const r of results) expect(Array.from(r.ids)).toEqual(Array.from(expected.ids));
  });

  it('a timer keeps firing while a large batch runs on native threads; the sync twin blocks it', async () => {
    const n = 20000;
    const f = 32;
    const index = filledIndex('angular', n, f);
    index.build(10, 2);
    const queries = flatUniform(n, f, 77);
    const { value, ticks } = await countTicks(() => index.query(queries, 10, { threads: 2, searchK: 400 }));
    expect(value.ids.length).toBe(n * 10);
    expect(value.counts.length).toBe(n);
    expect(value.counts.every((c) => c === 10)).toBe(true);
    expect(ticks).toBeGreaterThan(10);
    // Control: the same batch on the calling thread lets no timer fire.
    const blocked = await countTicks(() => {
      index.querySync(queries.subarray(0, 2000 * f), 10, { threads: 2, searchK: 400 });
    });
    expect(blocked.ticks).toBe(0);
    // And the async answers are right (spot-check rows against single queries).
    for (const i of [0, 1, 9999, n - 1]) {
      expect(row(value, i, 10)).toEqual(index.getNnsByVector(queries.subarray(i * f, (i + 1) * f), 10, 400, true));
    }
  });

  describe('errors are rejections (AnnoyError, the code, the caller in the stack)', () => {
    const index = () => indexFor('euclidean');
    const good = () => queriesFor('euclidean').slice(0, 5);

    it.each([
      ['k 0', 0, {}],
      ['k -1', -1, {}],
      ['k 1.5', 1.5, {}],
      ['k "3"', '3', {}],
      ['searchK -2', 3, { searchK: -2 }],
      ['searchK 2.5', 3, { searchK: 2.5 }],
      ['threads 0', 3, { threads: 0 }],
      ['threads 1025', 3, { threads: 1025 }],
      ['threads 1.5', 3, { threads: 1.5 }],
      ['includeDistances "no"', 3, { includeDistances: 'no' }],
      ['options null', 3, null],
    ])('%s -> ANNOY_INVALID_ARGUMENT', async (_name, k, options) => {
      const err = await expectRejectCode(
        index().query(good(), k as number, options as never),
        ErrorCodes.INVALID_ARGUMENT,
      );
      expect(err).toBeInstanceOf(AnnoyError);
      expect(err.stack).toContain('query.test.ts');
      expectCode(() => index().querySync(good(), k as number, options as never), ErrorCodes.INVALID_ARGUMENT);
    });

    it('a row of the wrong length -> ANNOY_DIMENSION_MISMATCH naming the row', async () => {
      const rows = good();
      rows[3] = rows[3].slice(0, F - 1);
      const err = await expectRejectCode(index().query(rows, 3), ErrorCodes.DIMENSION_MISMATCH);
      expect(err.message).toMatch(/\[3\]|row 3\b/);
      expect(err.stack).toContain('query.test.ts');
      const errSync = expectCode(() => index().querySync(rows, 3), ErrorCodes.DIMENSION_MISMATCH);
      expect(errSync.message).toMatch(/\[3\]|row 3\b/);
    });

    it('a flat Float32Array whose length is not a multiple of f -> ANNOY_INVALID_ARGUMENT', async () => {
      const flat = new Float32Array(F * 2 + 1);
      await expectRejectCode(index().query(flat, 3), ErrorCodes.INVALID_ARGUMENT);
      expectCode(() => index().querySync(flat, 3), ErrorCodes.INVALID_ARGUMENT);
    });

    it.each([
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ])('%s in row 3 -> ANNOY_NON_FINITE naming row 3', async (_name, bad) => {
      const rows = good();
      rows[3] = rows[3].slice();
      rows[3][5] = bad as number;
      const err = await expectRejectCode(index().query(rows, 3, { threads: 2 }), ErrorCodes.NON_FINITE);
      expect(err.message).toMatch(/\brow 3\b|\[3\]/);
      expect(err.message).not.toMatch(/\brow [0124]\b/);
      expect(err.stack).toContain('query.test.ts');
      const flat = flatten(rows, F);
      const errFlat = await expectRejectCode(index().query(flat, 3, { threads: 1 }), ErrorCodes.NON_FINITE);
      expect(errFlat.message).toMatch(/\brow 3\b|\[3\]/);
      const errSync = expectCode(() => index().querySync(flat, 3), ErrorCodes.NON_FINITE);
      expect(errSync.message).toMatch(/\brow 3\b|\[3\]/);
    });

    it('not vectors -> ANNOY_INVALID_ARGUMENT', async () => {
      await expectRejectCode(index().query('abc' as never, 3), ErrorCodes.INVALID_ARGUMENT);
      await expectRejectCode(index().query([[1, 2, 'x']] as never, 3), ErrorCodes.INVALID_ARGUMENT);
      expectCode(() => index().querySync({} as never, 3), ErrorCodes.INVALID_ARGUMENT);
    });

    it('before build -> ANNOY_NOT_BUILT; after unbuild too', async () => {
      const unbuilt = new Annoy(F, 'euclidean');
      unbuilt.addItems(vectorsFor('euclidean', 50, F, 3));
      const err = await expectRejectCode(unbuilt.query(good(), 3), ErrorCodes.NOT_BUILT);
      expect(err).toBeInstanceOf(AnnoyError);
      expect(err.stack).toContain('query.test.ts');
      expectCode(() => unbuilt.querySync(good(), 3), ErrorCodes.NOT_BUILT);
      unbuilt.build(2, 1).unbuild();
      await expectRejectCode(unbuilt.query(good(), 3), ErrorCodes.NOT_BUILT);
    });

    // Issue #10 C4: under an address-space limit, V8 aborted the process making the result arrays.
    it('k far above the item count allocates item-count rows, even under a 3 GB address-space limit', () => {
      const body = `
const index = new lib.Annoy(4, 'euclidean');
index.addItems([[1, 2, 3, 4], [2, 3, 4, 5]]).build(2, 1);
const sync = index.querySync([[1, 2, 3, 4]], 2 ** 40);
index.query([[1, 2, 3, 4]], 2 ** 27).then((r) => emit({ sync: [sync.k, Array.from(sync.ids)], async: [r.k, Array.from(r.ids)] }), (e) => emit({ error: String(e) }));
`;
      const res = runNode(body, null, { virtualMemoryKb: 3000000 });
      expectCleanExit(res);
      expect(res.messages).toEqual([{ sync: [2, [0, 1]], async: [2, [0, 1]] }]);
    });

    it('rows x k results that cannot be allocated -> ANNOY_OUT_OF_MEMORY, sync and async, and the index answers after (3 GB address-space limit)', () => {
      // 2^25 one-dimensional rows x 64 items = 2^31 slots: 16 GiB of ids and distances, refused
      // by a 3 GB address space; the 128 MiB of input fits.
      const body = `
const index = new lib.Annoy(1, 'euclidean');
for (let i = 0; i < 64; i++) index.addItem(i, [i]);
index.build(2, 1);
const rows = new Float32Array(2 ** 25 - 1);
const describe = (e) => ({ name: e && e.name, code: e && e.code });
let sync;
try { index.querySync(rows, 64); sync = 'returned'; } catch (e) { sync = describe(e); }
index.query(rows, 64, { threads: 1 }).then(() => emit({ sync, async: 'resolved' }), (e) => emit({ sync, async: describe(e), after: index.getNnsByItem(3, 2, -1, false) }));
`;
      const res = runNode(body, null, { virtualMemoryKb: 3000000, timeoutMs: 60000 });
      expectCleanExit(res);
      const oom = { name: 'AnnoyError', code: ErrorCodes.OUT_OF_MEMORY };
      expect(res.messages).toEqual([{ sync: oom, async: oom, after: [3, 2] }]);
    });

    it('f = 0 and a flat Float32Array -> ANNOY_DIMENSION_UNKNOWN', async () => {
      await expectRejectCode(new Annoy().query(new Float32Array(8), 3), ErrorCodes.DIMENSION_UNKNOWN);
    });
  });
});

describe('Annoy#querySync()', () => {
  it.each(CASES)(
    '%s, threads %p, searchK %p: the same as query() and as per-row queries',
    async (metric, threads, searchK) => {
      const index = indexFor(metric);
      const queries = queriesFor(metric);
      const sync = index.querySync(queries, K, { threads, searchK });
      expectBatchShape(sync, M, K);
      expectRowsEqualSingle(index, queries, sync, K, searchK);
      const viaAsync = await index.query(queries, K, { threads, searchK });
      expect(Array.from(sync.ids)).toEqual(Array.from(viaAsync.ids));
      expect(Array.from(sync.distances)).toEqual(Array.from(viaAsync.distances));
      expect(Array.from(sync.counts)).toEqual(Array.from(viaAsync.counts));
    },
  );

  it('returns typed arrays, not a Promise', () => {
    const result = indexFor('euclidean').querySync(queriesFor('euclidean'), 4, { includeDistances: false });
    expect(types.isPromise(result)).toBe(false);
    expectBatchShape(result, M, 4, false);
  });

  it('k above the number of items: rows as wide as the item count', () => {
    const index = diagonal(2);
    const result = index.querySync([[0, 0]], 4);
    expect(result.k).toBe(2);
    expect(Array.from(result.ids)).toEqual([0, 1]);
    expect(Array.from(result.counts)).toEqual([2]);
    expect(result.distances[1]).toBe(2);
  });

  it('a filter that leaves fewer items than k pads its row with -1 / NaN', () => {
    const index = diagonal(3);
    const result = index.querySync([[0, 0]], 3, { deny: [1] });
    expect(Array.from(result.ids)).toEqual([0, 2, -1]);
    expect(Array.from(result.counts)).toEqual([2]);
    expect(Number.isNaN(result.distances[2])).toBe(true);
  });
});
