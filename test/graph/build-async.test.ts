// Issue #12, tests 6: buildGraphAsync. Progress reports, aborting (before the call and during the
// build: no new graph, the previous one and the trees intact), ANNOY_BUSY while it runs, and the
// same graph whatever nJobs, sync or async.
import { Annoy } from '../../lib';
import type { GraphProgress } from '../../lib';
import { answerList, graphIndex, graphRows } from '../helpers/graph';
import { expectRejectCode } from '../helpers/serving';
import { expectCode } from '../helpers/tmp';

const F = 8;
const ROWS = graphRows('euclidean', 1000, F, 'uniform', 616);
const QUERIES = graphRows('euclidean', 4, F, 'uniform', 617);
// Enough items that a build takes several NN-descent rounds of real work on one thread.
const BIG = graphRows('euclidean', 12000, F, 'uniform', 618);

const treeAnswers = (index: Annoy) => answerList(index, QUERIES, [0, 1], 10, { graph: false, searchK: 50 });
const graphAnswers = (index: Annoy) => answerList(index, QUERIES, [0, 1], 10, { ef: 10 });

describe('progress', () => {
  it('reports steps in order, the total fixed, ending at stepsDone === stepsTotal', async () => {
    const index = graphIndex('euclidean', ROWS, { graph: false });
    const reports: GraphProgress[] = [];
    const returned = await index.buildGraphAsync({ nJobs: 1, onProgress: (p) => reports.push({ ...p }) });
    expect(returned).toBe(index);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const total = reports[0].stepsTotal;
    for (const [j, r] of reports.entries()) {
      expect(r.stepsTotal).toBe(total);
      if (j > 0) expect(r.stepsDone).toBeGreaterThan(reports[j - 1].stepsDone);
    }
    expect(reports[reports.length - 1].stepsDone).toBe(total);
    expect(index.info().graph).not.toBeNull();
  });
});

describe('abort', () => {
  it('an already-aborted signal rejects ANNOY_ABORTED and builds nothing', async () => {
    const index = graphIndex('euclidean', ROWS, { graph: false });
    const controller = new AbortController();
    controller.abort();
    await expectRejectCode(index.buildGraphAsync({ signal: controller.signal }), 'ANNOY_ABORTED');
    expect(index.info().graph).toBeNull();
  });

  it('aborting during the build rejects ANNOY_ABORTED; the previous graph and the trees stay', async () => {
    const index = graphIndex('euclidean', BIG, { degree: 6, trees: 4 });
    const trees = treeAnswers(index);
    const graphBefore = graphAnswers(index);
    const infoBefore = index.info().graph;
    const controller = new AbortController();
    const steps: number[] = [];
    const build = index.buildGraphAsync({
      degree: 24,
      nJobs: 1,
      signal: controller.signal,
      onProgress: (p) => {
        steps.push(p.stepsDone);
        controller.abort(); // at the first report: rounds of NN-descent are still to come
      },
    });
    await expectRejectCode(build, 'ANNOY_ABORTED');
    expect(steps.length).toBeGreaterThan(0);
    expect(index.info().graph).toEqual(infoBefore);
    expect(graphAnswers(index)).toEqual(graphBefore);
    expect(treeAnswers(index)).toEqual(trees);
    // And the index still builds a graph afterwards.
    await index.buildGraphAsync({ degree: 24, nJobs: 2 });
    expect(index.info().graph).toMatchObject({ degree: 24 });
  });
});

describe('while it runs', () => {
  it('every call on the index is ANNOY_BUSY; afterwards the index serves the new graph', async () => {
    const index = graphIndex('euclidean', ROWS, { graph: false });
    const running = index.buildGraphAsync({ nJobs: 1 });
    const q = QUERIES[0];
    expectCode(() => index.getNItems(), 'ANNOY_BUSY');
    expectCode(() => index.getNnsByVector(q, 5), 'ANNOY_BUSY');
    expectCode(() => index.info(), 'ANNOY_BUSY');
    expectCode(() => index.buildGraph(), 'ANNOY_BUSY');
    expectCode(() => index.dropGraph(), 'ANNOY_BUSY');
    expectCode(() => index.serialize(), 'ANNOY_BUSY');
    await expectRejectCode(index.buildGraphAsync(), 'ANNOY_BUSY');
    await running;
    expect(index.info().graph).not.toBeNull();
    expect(index.getNnsByVector(q, 5, { ef: 20 })[0]).toHaveLength(5);
  });
});

describe('determinism', () => {
  // More items than one local-join block (4096, cpp/graph_build.h), so that threads share rounds.
  const rows = BIG.slice(0, 5000);
  const reference = graphIndex('euclidean', rows, { nJobs: 1, trees: 4 }).serialize();

  it.each([1, 2, -1])('buildGraph({ nJobs: %d }) gives the same bytes as nJobs 1', (nJobs) => {
    expect(graphIndex('euclidean', rows, { nJobs, trees: 4 }).serialize().equals(reference)).toBe(true);
  });

  it.each([1, 2, -1])('buildGraphAsync({ nJobs: %d }) gives the same bytes too', async (nJobs) => {
    const index = graphIndex('euclidean', rows, { graph: false, trees: 4 });
    await index.buildGraphAsync({ nJobs });
    expect(index.serialize().equals(reference)).toBe(true);
  });

  it('the bytes do depend on the graph (another degree differs), so the comparison is not vacuous', () => {
    const other = graphIndex('euclidean', rows, { degree: 31, trees: 4 }).serialize();
    expect(other.length).toBe(reference.length - 5000 * 4);
    expect(graphIndex('euclidean', rows, { graph: false, trees: 4 }).serialize().length).toBeLessThan(other.length);
  });
});
