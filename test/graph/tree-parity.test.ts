// Issue #12, tests 2: `graph: false` is Annoy's tree search, answer for answer the same as an
// index that never had a graph (same seed, same items), in every query call; and the graph
// leaves the .ann bytes alone.
import * as fs from 'fs';

import { answerList, graphIndex, graphRows, sidecarPath } from '../helpers/graph';
import { METRICS, MetricName } from '../helpers/serving';
import { tmpPath } from '../helpers/tmp';

const N = 600;
const fOf = (metric: MetricName) => (metric === 'hamming' ? 24 : 6);
const ITEMS = [0, 5, 299, N - 1];
const SEARCH_KS = [-1, 7, 40, 1000];

describe.each(METRICS)('%s', (metric) => {
  const f = fOf(metric);
  const rows = graphRows(metric, N, f, 'uniform', 77);
  const queries = graphRows(metric, 6, f, 'uniform', 78);
  const plain = graphIndex(metric, rows, { graph: false });
  const withGraph = graphIndex(metric, rows, { degree: 12 });

  it('the graph index does search its graph by default (the comparison below is not vacuous)', () => {
    expect(plain.info().graph).toBeNull();
    expect(withGraph.info().graph).not.toBeNull();
    // With a budget of one leaf the trees answer poorly; the graph does not.
    const tiny = answerList(withGraph, queries, ITEMS, 10, { searchK: 1 });
    expect(tiny).not.toEqual(answerList(plain, queries, ITEMS, 10, { searchK: 1 }));
  });

  it.each(SEARCH_KS)('getNnsByVector / getNnsByItem with graph: false, searchK %d', (searchK) => {
    expect(answerList(withGraph, queries, ITEMS, 10, { graph: false, searchK })).toEqual(
      answerList(plain, queries, ITEMS, 10, { searchK }),
    );
  });

  it('the batch calls with graph: false answer as the index without a graph', async () => {
    const options = { graph: false, searchK: 40, threads: 2 };
    expect(withGraph.querySync(queries, 10, options)).toEqual(plain.querySync(queries, 10, { searchK: 40 }));
    expect(await withGraph.query(queries, 10, options)).toEqual(await plain.query(queries, 10, { searchK: 40 }));
    expect(withGraph.queryByItemsSync(ITEMS, 10, options)).toEqual(plain.queryByItemsSync(ITEMS, 10, { searchK: 40 }));
    expect(await withGraph.queryByItems(ITEMS, 10, options)).toEqual(
      await plain.queryByItems(ITEMS, 10, { searchK: 40 }),
    );
  });

  it('the .ann file is the same bytes with and without a graph; only the graph index writes a sidecar', () => {
    const a = tmpPath('plain.ann');
    const b = tmpPath('graph.ann');
    graphIndex(metric, rows, { graph: false }).save(a);
    const saved = graphIndex(metric, rows, { degree: 12 }).save(b);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expect(fs.existsSync(sidecarPath(a))).toBe(false);
    expect(fs.existsSync(sidecarPath(b))).toBe(true);
    // Served from the file and its sidecar, graph: false is still the trees' answer.
    expect(saved.info().graph).not.toBeNull();
    expect(answerList(saved, queries, ITEMS, 10, { graph: false, searchK: 40 })).toEqual(
      answerList(plain, queries, ITEMS, 10, { searchK: 40 }),
    );
  });
});
