// Id filters (allow / deny) on getNnsByVector, getNnsByItem (options-object form), query and
// queryByItems: only allowed ids, never denied ones; k results whenever k allowed items exist
// (the search widens); a short allow list is searched exhaustively (exact); ids out of range
// are ignored; every id-set type gives the same answer.
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import {
  builtIndex,
  exactByItem,
  exactByVector,
  expectBatchShape,
  expectRejectCode,
  filterRanking,
  METRICS,
  row,
  vectorsFor,
} from '../helpers/serving';

const F = 16;
const N = 2000;
const K = 10;

const { index } = builtIndex('euclidean', N, F, { trees: 10, dataSeed: 31 });
const QUERIES = vectorsFor('euclidean', 6, F, 32);
const EXACT = QUERIES.map((q) => exactByVector(index, q));
const PROBE_ITEMS = [0, 5, 999, 1500, N - 1];
const EXACT_ITEMS = PROBE_ITEMS.map((i) => exactByItem(index, i));

const range = (from: number, to: number, step = 1): number[] => {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
};

/** Checks a filtered answer: allowed ids only, none denied, distinct, the exact distances of
 * those ids, nearest first (in the order of the exact ranking: for dot, the largest first). */
function expectFiltered(
  answer: [number[], number[]],
  exact: [number[], number[]],
  keep: (id: number) => boolean,
  expectedCount: number,
): void {
  const [ids, distances] = answer;
  expect(ids.length).toBe(expectedCount);
  expect(distances.length).toBe(ids.length);
  expect(new Set(ids).size).toBe(ids.length);
  const exactDistance = new Map<number, number>();
  const exactRank = new Map<number, number>();
  exact[0].forEach((id, j) => {
    exactDistance.set(id, exact[1][j]);
    exactRank.set(id, j);
  });
  ids.forEach((id, j) => {
    if (!keep(id))
      throw new Error(`id ${id} at position ${j} is not allowed by the filter (ids ${JSON.stringify(ids)})`);
    expect(distances[j]).toBe(exactDistance.get(id));
    if (j > 0) expect(exactRank.get(id)).toBeGreaterThan(exactRank.get(ids[j - 1]) as number);
  });
}

describe('Annoy#getNnsByVector() with filters (options form)', () => {
  it('allow (every 7th id, a long list): only allowed ids, still k results, with any searchK', () => {
    const allow = range(0, N, 7);
    const allowed = new Set(allow);
    QUERIES.forEach((q, i) => {
      for (const searchK of [-1, 5, 40]) {
        const answer = index.getNnsByVector(q, K, { allow, searchK });
        expectFiltered(answer, EXACT[i], (id) => allowed.has(id), K);
      }
    });
  });

  it('deny of the exact nearest 100: none returned, still k results', () => {
    QUERIES.forEach((q, i) => {
      const denied = new Set(EXACT[i][0].slice(0, 100));
      const answer = index.getNnsByVector(q, K, { deny: [...denied] });
      expectFiltered(answer, EXACT[i], (id) => !denied.has(id), K);
    });
  });

  it('deny of all but every 25th id (rare survivors): the search widens to k results', () => {
    const deny = range(0, N).filter((id) => id % 25 !== 0);
    QUERIES.forEach((q, i) => {
      const answer = index.getNnsByVector(q, K, { deny: Int32Array.from(deny), searchK: 10 });
      expectFiltered(answer, EXACT[i], (id) => id % 25 === 0, K);
    });
  });

  it('allow of 40 ids with searchK 20 (not short, rare): k results, all allowed', () => {
    const allow = range(3, N, 50); // 40 ids
    expect(allow.length).toBe(40);
    const allowed = new Set(allow);
    QUERIES.forEach((q, i) => {
      expectFiltered(index.getNnsByVector(q, K, { allow, searchK: 20 }), EXACT[i], (id) => allowed.has(id), K);
    });
  });

  it('allow + deny combined: allowed and not denied only; k results', () => {
    const allow = new Set(range(0, 600, 2));
    const deny = range(0, 600, 4);
    const denied = new Set(deny);
    QUERIES.forEach((q, i) => {
      const answer = index.getNnsByVector(q, K, { allow, deny });
      expectFiltered(answer, EXACT[i], (id) => allow.has(id) && !denied.has(id), K);
    });
  });

  it('a short allow list (<= max(searchK, k)) is searched exhaustively: the exact filtered answer', () => {
    // With searchK -1 the bound is k * n_trees = 100.
    const allow = range(11, N, 21).slice(0, 95);
    const allowed = new Set(allow);
    QUERIES.forEach((q, i) => {
      const expected = filterRanking(EXACT[i], (id) => allowed.has(id), K);
      expect(index.getNnsByVector(q, K, { allow })).toEqual(expected);
      expect(index.getNnsByVector(q, K, { allow: allow.slice(0, 30), searchK: 30 })).toEqual(
        filterRanking(EXACT[i], (id) => allow.slice(0, 30).includes(id), K),
      );
    });
  });

  it('allow of fewer than k items returns exactly those, nearest first', () => {
    const allow = [1999, 3, 1000, 42];
    QUERIES.forEach((q, i) => {
      const answer = index.getNnsByVector(q, K, { allow });
      expect(answer[0].slice().sort((a, b) => a - b)).toEqual([3, 42, 1000, 1999]);
      expect(answer).toEqual(filterRanking(EXACT[i], (id) => allow.includes(id), K));
    });
  });

  it('Set, array, Int32Array and Uint32Array filters give the same answer', () => {
    const ids = range(5, N, 9);
    const deny = range(0, N, 10);
    const forms = [ids, new Set(ids), Int32Array.from(ids), Uint32Array.from(ids)];
    const denyForms = [deny, new Set(deny), Int32Array.from(deny), Uint32Array.from(deny)];
    for (const q of QUERIES) {
      const expected = index.getNnsByVector(q, K, { allow: forms[0], deny: denyForms[0] });
      for (const allow of forms)
        for (const d of denyForms) expect(index.getNnsByVector(q, K, { allow, deny: d })).toEqual(expected);
    }
  });

  it('ids out of range are ignored in allow and deny', () => {
    const allow = [-5, 2, N, N + 100, 2 ** 31 - 1, 9, -1];
    QUERIES.forEach((q, i) => {
      expect(index.getNnsByVector(q, K, { allow })).toEqual(filterRanking(EXACT[i], (id) => id === 2 || id === 9, K));
      expect(index.getNnsByVector(q, K, { allow: Uint32Array.from([2, 2 ** 32 - 1, 2 ** 31, 9]) })).toEqual(
        filterRanking(EXACT[i], (id) => id === 2 || id === 9, K),
      );
      // A deny list of nothing in range changes nothing.
      expect(index.getNnsByVector(q, K, { deny: [-3, N, N + 7, 2 ** 40] })).toEqual(index.getNnsByVector(q, K));
    });
  });

  it('repeated ids in allow count once; typed-array views are read from their offset', () => {
    QUERIES.forEach((q, i) => {
      expect(index.getNnsByVector(q, K, { allow: [5, 5, 5, 7, 7] })).toEqual(
        filterRanking(EXACT[i], (id) => id === 5 || id === 7, K),
      );
      const backing = Int32Array.from([100, 200, 300, 400, 500]);
      expect(index.getNnsByVector(q, K, { allow: backing.subarray(1, 3) })).toEqual(
        filterRanking(EXACT[i], (id) => id === 200 || id === 300, K),
      );
      const deny = Int32Array.from(EXACT[i][0].slice(0, 20)).subarray(5, 15);
      const denied = new Set(Array.from(deny));
      expectFiltered(index.getNnsByVector(q, K, { deny }), EXACT[i], (id) => !denied.has(id), K);
      expect(index.getNnsByVector(q, K, { deny })).toEqual(index.getNnsByVector(q, K, { deny: Array.from(deny) }));
    });
  });

  it('an allow list of 1000 ids with only 3 in range is searched as the 3 ids it really holds', () => {
    const allow = [1, 2, 3, ...range(N, N + 1000)];
    QUERIES.forEach((q, i) => {
      expect(index.getNnsByVector(q, K, { allow, searchK: 5 })).toEqual(
        filterRanking(EXACT[i], (id) => id >= 1 && id <= 3, K),
      );
    });
  });

  it('searchK 0 with a filter still returns k results', () => {
    QUERIES.forEach((q, i) => {
      expectFiltered(index.getNnsByVector(q, K, { searchK: 0, deny: [0] }), EXACT[i], (id) => id !== 0, K);
    });
  });

  it('an empty allow list returns nothing; denying every id returns nothing', () => {
    for (const q of QUERIES) {
      expect(index.getNnsByVector(q, K, { allow: [] })).toEqual([[], []]);
      expect(index.getNnsByVector(q, K, { allow: new Set<number>() })).toEqual([[], []]);
      expect(index.getNnsByVector(q, K, { deny: range(0, N) })).toEqual([[], []]);
      expect(index.getNnsByVector(q, K, { allow: [1, 2, 3], deny: [3, 1, 2] })).toEqual([[], []]);
    }
  });

  it('the options form without filters equals the positional form; includeDistances false gives ids', () => {
    for (const q of QUERIES) {
      expect(index.getNnsByVector(q, K, {})).toEqual(index.getNnsByVector(q, K));
      expect(index.getNnsByVector(q, K, { searchK: 25 })).toEqual(index.getNnsByVector(q, K, 25));
      const ids = index.getNnsByVector(q, K, { allow: range(0, N, 3), includeDistances: false });
      expect(ids).toEqual(index.getNnsByVector(q, K, { allow: range(0, N, 3) })[0]);
    }
  });

  it('bad filters -> ANNOY_INVALID_ARGUMENT', () => {
    const q = QUERIES[0];
    expectCode(() => index.getNnsByVector(q, K, { allow: 'abc' as never }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.getNnsByVector(q, K, { allow: [1, 2.5] }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.getNnsByVector(q, K, { deny: [1, '2'] as never }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.getNnsByVector(q, K, { deny: new Float32Array([1]) as never }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.getNnsByVector(q, K, { allow: 7 as never }), ErrorCodes.INVALID_ARGUMENT);
  });

  it('an index with holes: holes in the allow list are ignored, an allow list of holes returns nothing', () => {
    const holes = [4, 5, 6, 100, 101];
    const { index: holed } = builtIndex('euclidean', 300, F, { trees: 5, holes, dataSeed: 8 });
    const q = QUERIES[1];
    const exact = exactByVector(holed, q);
    const allow = [...holes, 7, 8, 102, 250];
    expect(holed.getNnsByVector(q, K, { allow })).toEqual(
      filterRanking(exact, (id) => [7, 8, 102, 250].includes(id), K),
    );
    expect(holed.getNnsByVector(q, K, { allow: holes })).toEqual([[], []]);
    // A long allow list with holes (not short): k results, no holes.
    const wide = range(0, 300).filter((id) => id % 2 === 0);
    const answer = holed.getNnsByVector(q, K, { allow: wide, searchK: 5 });
    expectFiltered(answer, exact, (id) => id % 2 === 0 && !holes.includes(id), K);
  });

  it.each(METRICS)('%s: filtered answers hold k allowed ids with exact distances', (metric) => {
    const { index: m } = builtIndex(metric, 800, F, { trees: 6, dataSeed: 5 });
    const q = vectorsFor(metric, 1, F, 6)[0];
    const exact = exactByVector(m, q);
    const allowed = new Set(range(1, 800, 6));
    const denied = new Set(range(0, 800, 4));
    const keep = (id: number) => allowed.has(id) && !denied.has(id);
    expectFiltered(m.getNnsByVector(q, K, { allow: allowed, deny: [...denied] }), exact, keep, K);
    const short = range(1, 800, 40);
    expect(m.getNnsByVector(q, K, { allow: short })).toEqual(filterRanking(exact, (id) => short.includes(id), K));
  });
});

describe('Annoy#getNnsByItem() with filters (options form)', () => {
  it('allow: only allowed ids, k results; the item itself is not returned when not allowed', () => {
    const allow = range(1, N, 5);
    const allowed = new Set(allow);
    PROBE_ITEMS.forEach((item, i) => {
      expect(allowed.has(item)).toBe(false);
      const answer = index.getNnsByItem(item, K, { allow, searchK: 15 });
      expectFiltered(answer, EXACT_ITEMS[i], (id) => allowed.has(id), K);
      expect(answer[0]).not.toContain(item);
    });
  });

  it('deny of the item itself and its 20 nearest: none of them returned, k results', () => {
    PROBE_ITEMS.forEach((item, i) => {
      const denied = new Set(EXACT_ITEMS[i][0].slice(0, 21));
      expect(denied.has(item)).toBe(true);
      const answer = index.getNnsByItem(item, K, { deny: denied });
      expectFiltered(answer, EXACT_ITEMS[i], (id) => !denied.has(id), K);
      expect(answer[0]).not.toContain(item);
    });
  });

  it('a short allow list is exact; fewer than k allowed returns them all', () => {
    PROBE_ITEMS.forEach((item, i) => {
      const allow = range(item % 13, N, 37).slice(0, 50);
      expect(index.getNnsByItem(item, K, { allow })).toEqual(
        filterRanking(EXACT_ITEMS[i], (id) => allow.includes(id), K),
      );
      const few = [item, 17, 1234];
      expect(index.getNnsByItem(item, K, { allow: few })).toEqual(
        filterRanking(EXACT_ITEMS[i], (id) => few.includes(id), K),
      );
      expect(index.getNnsByItem(item, K, { allow: few })[0][0]).toBe(item);
    });
  });

  it('allow + deny, out-of-range ids, Sets and typed arrays', () => {
    const allow = new Set([...range(0, N, 3), -7, N + 3]);
    const deny = Uint32Array.from([...range(0, N, 9), 2 ** 32 - 1]);
    PROBE_ITEMS.forEach((item, i) => {
      const answer = index.getNnsByItem(item, K, { allow, deny });
      expectFiltered(answer, EXACT_ITEMS[i], (id) => id % 3 === 0 && id % 9 !== 0, K);
      expect(index.getNnsByItem(item, K, { allow: Int32Array.from(allow), deny: Array.from(deny) })).toEqual(answer);
    });
  });

  it('includeDistances false gives ids; an empty allow list gives []', () => {
    expect(index.getNnsByItem(5, K, { allow: [5, 6, 7], includeDistances: false })).toEqual(
      index.getNnsByItem(5, K, { allow: [5, 6, 7] })[0],
    );
    expect(index.getNnsByItem(5, K, { allow: [], includeDistances: false })).toEqual([]);
  });
});

describe('Annoy#query() with filters', () => {
  it.each([1, 2])('threads %p: every row equals getNnsByVector with the same filters and searchK', async (threads) => {
    const allow = new Set(range(0, N, 3));
    const deny = range(0, N, 7);
    for (const searchK of [-1, 12]) {
      const result = await index.query(QUERIES, K, { threads, searchK, allow, deny });
      expectBatchShape(result, QUERIES.length, K);
      QUERIES.forEach((q, i) => {
        expect(row(result, i, K)).toEqual(index.getNnsByVector(q, K, { searchK, allow, deny }));
        expect(result.counts[i]).toBe(K);
      });
      const sync = index.querySync(QUERIES, K, { threads, searchK, allow, deny });
      expect(Array.from(sync.ids)).toEqual(Array.from(result.ids));
      expect(Array.from(sync.distances)).toEqual(Array.from(result.distances));
    }
  });

  it('allow of fewer than k items: counts = the allow size, the rest padded', async () => {
    const allow = Int32Array.from([8, 800, 1600]);
    const result = await index.query(QUERIES, K, { allow, threads: 2 });
    expectBatchShape(result, QUERIES.length, K);
    QUERIES.forEach((q, i) => {
      expect(result.counts[i]).toBe(3);
      expect(row(result, i, K)).toEqual(filterRanking(EXACT[i], (id) => [8, 800, 1600].includes(id), K));
    });
  });

  it('the filter arrays may be overwritten right after the call', async () => {
    const allow = Int32Array.from(range(0, N, 2));
    const expected = index.querySync(QUERIES, K, { allow });
    const pending = index.query(QUERIES, K, { allow, threads: 2 });
    allow.fill(1);
    const result = await pending;
    expect(Array.from(result.ids)).toEqual(Array.from(expected.ids));
  });

  it('bad filters reject with ANNOY_INVALID_ARGUMENT', async () => {
    const err = await expectRejectCode(index.query(QUERIES, K, { allow: [0.5] }), ErrorCodes.INVALID_ARGUMENT);
    expect(err.stack).toContain('filters.test.ts');
    await expectRejectCode(index.query(QUERIES, K, { deny: {} as never }), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.querySync(QUERIES, K, { deny: 'x' as never }), ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('Annoy#queryByItems() with filters', () => {
  it.each([1, 2])('threads %p: every row equals getNnsByItem with the same filters', async (threads) => {
    const allow = range(2, N, 4);
    const deny = new Set(PROBE_ITEMS);
    const result = await index.queryByItems(PROBE_ITEMS, K, { threads, allow, deny, searchK: 8 });
    expectBatchShape(result, PROBE_ITEMS.length, K);
    PROBE_ITEMS.forEach((item, i) => {
      expect(row(result, i, K)).toEqual(index.getNnsByItem(item, K, { searchK: 8, allow, deny }));
      expect(result.counts[i]).toBe(K);
      expect(row(result, i, K)[0]).not.toContain(item);
    });
    const sync = index.queryByItemsSync(PROBE_ITEMS, K, { threads, allow, deny, searchK: 8 });
    expect(Array.from(sync.ids)).toEqual(Array.from(result.ids));
  });

  it('a short allow list is exact for every row', async () => {
    const allow = new Set(range(0, N, 41));
    const result = await index.queryByItems(PROBE_ITEMS, K, { allow, threads: 2 });
    PROBE_ITEMS.forEach((item, i) => {
      expect(row(result, i, K)).toEqual(filterRanking(EXACT_ITEMS[i], (id) => allow.has(id), K));
    });
  });
});

describe('Annoy#getNnsByVector() with filters on a loaded file', () => {
  it('answers the same as the in-memory index it was saved from', () => {
    const file = tmpPath('filters.ann');
    const { index: source } = builtIndex('angular', 500, F, { trees: 4, dataSeed: 9 });
    source.save(file);
    const loaded = new Annoy(F, 'angular').load(file);
    const allow = range(0, 500, 3);
    const deny = [0, 3, 6];
    for (const q of QUERIES) {
      expect(loaded.getNnsByVector(q, K, { allow, deny })).toEqual(source.getNnsByVector(q, K, { allow, deny }));
    }
  });
});
