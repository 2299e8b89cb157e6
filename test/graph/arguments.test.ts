// Issue #12, tests 8: the graph's arguments. degree 1..1024 (an integer), ef a positive integer,
// graph a boolean, in every call that takes them; graph calls in the wrong state; each refusal
// an AnnoyError of the right code that leaves the index as it was.
import * as fs from 'fs';

import { Annoy } from '../../lib';
import type { GraphInfo, GraphOptions } from '../../lib';
import { graphIndex, graphRows } from '../helpers/graph';
import { expectRejectCode } from '../helpers/serving';
import { expectCode, snapshot, tmpPath } from '../helpers/tmp';

const F = 4;
const ROWS = graphRows('euclidean', 200, F, 'uniform', 818);
const Q = ROWS[3];
const INVALID = 'ANNOY_INVALID_ARGUMENT';

const BAD_DEGREES: unknown[] = [0, 1025, -1, 1.5, '8', NaN, null, Infinity];
const BAD_EFS: unknown[] = [0, -1, 1.5, '8', NaN, true];
const BAD_GRAPHS: unknown[] = ['yes', 2, null, {}];

/** A wrong value in a typed slot, on purpose. */
const wrong = <T>(v: unknown): T => v as T;

describe('degree', () => {
  it.each(BAD_DEGREES)('buildGraph({ degree: %p }) is ANNOY_INVALID_ARGUMENT; the index keeps its graph', (degree) => {
    const index = graphIndex('euclidean', ROWS, { degree: 5 });
    const before = snapshot(index);
    expectCode(() => index.buildGraph({ degree: wrong<number>(degree) }), INVALID);
    expect(index.info().graph).toMatchObject({ degree: 5 });
    expect(snapshot(index)).toEqual(before);
  });

  it.each(BAD_DEGREES)('buildGraphAsync({ degree: %p }) rejects ANNOY_INVALID_ARGUMENT', async (degree) => {
    const index = graphIndex('euclidean', ROWS, { graph: false });
    await expectRejectCode(index.buildGraphAsync({ degree: wrong<number>(degree) }), INVALID);
    expect(index.info().graph).toBeNull();
  });

  it.each([1, 1024])('degree %d is accepted (the bounds)', (degree) => {
    const index = graphIndex('euclidean', ROWS, { degree });
    expect((index.info().graph as GraphInfo).degree).toBe(degree);
  });

  it.each([0, 1.5, '2'])('nJobs %p is ANNOY_INVALID_ARGUMENT', (nJobs) => {
    const index = graphIndex('euclidean', ROWS, { graph: false });
    expectCode(() => index.buildGraph({ nJobs: wrong<number>(nJobs) }), INVALID);
    expect(index.info().graph).toBeNull();
  });

  it('options must be an object', () => {
    const index = graphIndex('euclidean', ROWS, { graph: false });
    expectCode(() => index.buildGraph(wrong<GraphOptions>(8)), INVALID);
    expect(index.info().graph).toBeNull();
  });
});

describe('ef and graph in the queries', () => {
  const index = graphIndex('euclidean', ROWS, { degree: 8 });
  const calls: Array<[string, (o: object) => unknown]> = [
    ['getNnsByVector', (o) => index.getNnsByVector(Q, 3, o)],
    ['getNnsByItem', (o) => index.getNnsByItem(0, 3, o)],
    ['querySync', (o) => index.querySync([Q], 3, o)],
    ['queryByItemsSync', (o) => index.queryByItemsSync([0], 3, o)],
  ];
  const asyncCalls: Array<[string, (o: object) => Promise<unknown>]> = [
    ['query', (o) => index.query([Q], 3, o)],
    ['queryByItems', (o) => index.queryByItems([0], 3, o)],
  ];

  it.each(calls)('%s refuses every bad ef and graph', (_name, call) => {
    for (const ef of BAD_EFS) expectCode(() => call({ ef }), INVALID);
    for (const graph of BAD_GRAPHS) expectCode(() => call({ graph }), INVALID);
    expect(() => call({ ef: 1, graph: true })).not.toThrow();
    expect(() => call({ graph: false })).not.toThrow();
  });

  it.each(asyncCalls)('%s rejects every bad ef and graph', async (_name, call) => {
    for (const ef of BAD_EFS) await expectRejectCode(call({ ef }), INVALID);
    for (const graph of BAD_GRAPHS) await expectRejectCode(call({ graph }), INVALID);
    await expect(call({ ef: 5 })).resolves.toBeDefined();
  });

  it('ef below n is raised to n (the beam is never narrower than the answer)', () => {
    expect(index.getNnsByVector(Q, 20, { ef: 1 })[0]).toHaveLength(20);
  });

  it('ef and graph are accepted (and ignored) on an index without a graph', () => {
    const plain = graphIndex('euclidean', ROWS, { graph: false });
    expect(plain.getNnsByVector(Q, 5, { ef: 7 })).toEqual(plain.getNnsByVector(Q, 5, -1));
    expectCode(() => plain.getNnsByVector(Q, 5, { ef: 0 }), INVALID);
  });
});

describe('graph calls in the wrong state', () => {
  const unbuilt = () => new Annoy(F, 'euclidean').addItems(ROWS);

  it('buildGraph / buildGraphAsync / loadGraph on an unbuilt index are ANNOY_NOT_BUILT', async () => {
    const index = unbuilt();
    expectCode(() => index.buildGraph(), 'ANNOY_NOT_BUILT');
    await expectRejectCode(index.buildGraphAsync(), 'ANNOY_NOT_BUILT');
    const graphFile = tmpPath('some.graph');
    graphIndex('euclidean', ROWS).saveGraph(graphFile);
    expectCode(() => index.loadGraph(graphFile), 'ANNOY_NOT_BUILT');
    expect(index.getNItems()).toBe(ROWS.length);
    expect(() => index.build(2, 1)).not.toThrow();
  });

  it('saveGraph without a graph is ANNOY_INVALID_STATE and writes nothing', () => {
    const file = tmpPath('none.graph');
    expectCode(() => graphIndex('euclidean', ROWS, { graph: false }).saveGraph(file), 'ANNOY_INVALID_STATE');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('loadGraph of a missing file is ANNOY_IO; empty paths are ANNOY_INVALID_ARGUMENT', () => {
    const index = graphIndex('euclidean', ROWS, { degree: 3 });
    expectCode(() => index.loadGraph(tmpPath('missing.graph')), 'ANNOY_IO');
    expectCode(() => index.loadGraph(''), INVALID);
    expectCode(() => index.saveGraph(''), INVALID);
    expect(index.info().graph).toMatchObject({ degree: 3 });
  });
});
