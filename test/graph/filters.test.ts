// Issue #12, tests 3: allow and deny with the graph. Denied ids are walked through but never
// returned (also when one is the true nearest), a short allow list (<= ef) is searched exactly,
// a long one returns allowed ids only, and the batch calls filter the same way.
import { exactAnswer, graphIndex, graphRows, hits } from '../helpers/graph';
import { filterRanking, METRICS, MetricName } from '../helpers/serving';
import { Rng } from '../helpers/random';

const N = 1500;
const K = 10;
const fOf = (metric: MetricName) => (metric === 'hamming' ? 32 : 8);

describe.each(METRICS)('%s', (metric) => {
  const f = fOf(metric);
  const rows = graphRows(metric, N, f, 'clustered', 313);
  const queries = graphRows(metric, 12, f, 'clustered', 313, 314);
  const index = graphIndex(metric, rows);
  const rng = new Rng(315);

  it('deny: the true nearest (and the rest of the exact top 5) never come back; the next ones do', () => {
    let found = 0;
    for (const q of queries) {
      const ranking = exactAnswer(index, q, N);
      const deny = ranking[0].slice(0, 5);
      const [ids] = index.getNnsByVector(q, K, { ef: 200, deny });
      expect(ids).toHaveLength(K);
      for (const id of deny) expect(ids).not.toContain(id);
      const expected = filterRanking(ranking, (id) => !deny.includes(id), K);
      found += hits(metric, index.getNnsByVector(q, K, { ef: 200, deny }), expected);
    }
    expect(found / (queries.length * K)).toBeGreaterThanOrEqual(0.98);
  });

  it('a short allow list (<= ef) is searched exactly', () => {
    for (const q of queries) {
      const allow = Array.from({ length: 30 }, () => rng.int(N));
      const expected = filterRanking(exactAnswer(index, q, N), (id) => allow.includes(id), K);
      // ef 30 and 40 (the default) are both >= the list: the exact answer, in order.
      expect(index.getNnsByVector(q, K, { ef: 30, allow })).toEqual(expected);
      expect(index.getNnsByVector(q, K, { allow })).toEqual(expected);
    }
  });

  it('a long allow list with a small ef returns K allowed ids (the trees fill in what the graph misses)', () => {
    for (const q of queries) {
      const allow = Array.from({ length: 300 }, () => rng.int(N));
      const allowed = new Set(allow);
      const [ids] = index.getNnsByVector(q, K, { ef: 10, allow });
      expect(ids).toHaveLength(K);
      expect(new Set(ids).size).toBe(K);
      for (const id of ids) expect(allowed.has(id)).toBe(true);
    }
  });

  it('by item and in the batch calls: the same filtering, row for row', async () => {
    const deny = Array.from({ length: 200 }, (_, j) => j * 7);
    const denied = new Set(deny);
    const byItem = index.queryByItemsSync([1, 2, 3, 500], K, { ef: 80, deny });
    const batch = await index.query(queries, K, { ef: 80, deny, threads: 2 });
    for (const id of [...byItem.ids, ...batch.ids]) expect(denied.has(id)).toBe(false);
    expect(Array.from(batch.counts)).toEqual(queries.map(() => K));
    const [firstRow] = index.getNnsByVector(queries[0], K, { ef: 80, deny });
    expect(Array.from(batch.ids.subarray(0, K))).toEqual(firstRow);
    expect(Array.from(byItem.ids.subarray(0, K))).toEqual(index.getNnsByItem(1, K, { ef: 80, deny })[0]);
  });
});
