// Issue #12, tests 7: the graph in snapshots and states. serialize/deserialize, toState/fromState
// (byte mode in every compressMode; disk mode naming the sidecar), dumps/loads carry it;
// unbuild, unload and dropGraph drop it; info().graph and memoryUsage() report it.
import * as fs from 'fs';

import { Annoy } from '../../lib';
import { answerList, graphIndex, graphRows, sidecarPath, SIDECAR } from '../helpers/graph';
import { COMPRESS_MODES, configure, FILE_CHANGED, fromState, INVALID_STATE, toState } from '../helpers/persistence';
import { expectCode, tmpPath } from '../helpers/tmp';

const F = 6;
const N = 500;
const DEGREE = 10;
const ROWS = graphRows('manhattan', N, F, 'clustered', 717);
const QUERIES = graphRows('manhattan', 5, F, 'clustered', 717, 718);
const OPTIONS = { ef: 10 };

const answers = (index: Annoy) => answerList(index, QUERIES, [0, 250], 10, OPTIONS);
const fresh = () => graphIndex('manhattan', ROWS, { degree: DEGREE });

function saved(): { file: string; index: Annoy } {
  const file = tmpPath('persist.ann');
  const index = fresh().save(file);
  return { file, index };
}

describe('snapshots', () => {
  it('serialize() carries the graph; deserialize() restores it, in an index of f = 0 too', () => {
    const index = fresh();
    const bytes = index.serialize();
    const restored = new Annoy(0, 'manhattan').deserialize(bytes);
    expect(restored.info().graph).toEqual(index.info().graph);
    expect(answers(restored)).toEqual(answers(index));
    expect(restored.serialize().equals(bytes)).toBe(true);
    expect(bytes.length).toBe(
      graphIndex('manhattan', ROWS, { graph: false }).serialize().length + SIDECAR.header + N * DEGREE * 4,
    );
  });

  it('a snapshot whose graph section is damaged is ANNOY_CORRUPT and leaves the target as it was', () => {
    const bytes = Buffer.from(fresh().serialize());
    bytes[bytes.length - 3] ^= 0x01; // a neighbour id of the last row
    const target = graphIndex('manhattan', ROWS.slice(0, 300), { degree: 4 });
    const before = answers(target);
    expectCode(() => target.deserialize(bytes), 'ANNOY_CORRUPT');
    expect(target.info().graph).toMatchObject({ degree: 4 });
    expect(answers(target)).toEqual(before);
  });
});

describe('states', () => {
  it.each(COMPRESS_MODES)('byte mode, compressMode %s: toState/fromState and dumps/loads carry the graph', (mode) => {
    const index = configure(fresh(), { pickleMode: 'byte', compressMode: mode });
    const expected = answers(index);
    const viaState = fromState(structuredClone(toState(index)));
    expect(viaState.info().graph).toEqual(index.info().graph);
    expect(answers(viaState)).toEqual(expected);
    const viaDump = Annoy.loads(index.dumps());
    expect(viaDump.info().graph).toEqual(index.info().graph);
    expect(answers(viaDump)).toEqual(expected);
  });

  it('disk mode records graph: true; fromState maps the sidecar, and fails ANNOY_FILE_CHANGED once it is gone', () => {
    const { file, index } = saved();
    configure(index, { pickleMode: 'disk' });
    const state = toState(index);
    expect(state.mode).toBe('disk');
    expect(state.graph).toBe(true);
    const restored = fromState(state);
    expect(restored.info().graph).toEqual(index.info().graph);
    expect(answers(restored)).toEqual(answers(index));
    expect(Annoy.loads(index.dumps()).info().graph).toEqual(index.info().graph);
    fs.rmSync(sidecarPath(file));
    expectCode(() => fromState(state), FILE_CHANGED);
  });

  it('disk mode without a graph records graph: false and restores without one', () => {
    const file = tmpPath('no-graph.ann');
    const index = configure(graphIndex('manhattan', ROWS, { graph: false }).save(file), { pickleMode: 'disk' });
    const state = toState(index);
    expect(state.graph).toBe(false);
    expect(fromState(state).info().graph).toBeNull();
  });

  it("a graph built after load is not in the sidecar: 'disk' is ANNOY_INVALID_STATE, 'auto' falls back to bytes", () => {
    const file = tmpPath('late-graph.ann');
    graphIndex('manhattan', ROWS, { graph: false }).save(file);
    const index = new Annoy(F, 'manhattan').load(file).buildGraph({ degree: DEGREE, nJobs: 1 });
    configure(index, { pickleMode: 'disk' });
    expectCode(() => index.toState(), INVALID_STATE);
    configure(index, { pickleMode: 'auto' });
    const state = toState(index);
    expect(state.mode).toBe('byte');
    const restored = fromState(state);
    expect(restored.info().graph).toEqual(index.info().graph);
    expect(answers(restored)).toEqual(answers(index));
    // Once saved beside its file, 'auto' is disk mode again.
    index.save(file);
    expect(toState(index).mode).toBe('disk');
  });
});

describe('what drops the graph, and what reports it', () => {
  it('info().graph and memoryUsage(): degree, edges, 4 bytes per slot, included in the total', () => {
    const index = fresh();
    const graph = index.info().graph;
    expect(graph).not.toBeNull();
    expect(graph?.degree).toBe(DEGREE);
    expect(graph?.edges).toBeGreaterThan(N);
    expect(graph?.edges).toBeLessThanOrEqual(N * DEGREE);
    expect(graph?.memory_usage_byte).toBeLessThanOrEqual(4 * DEGREE * N + SIDECAR.header);
    const withGraph = index.memoryUsage();
    expect(index.info().memory_usage_byte).toBe(withGraph);
    index.dropGraph();
    expect(index.info().graph).toBeNull();
    expect(index.memoryUsage()).toBe(withGraph - (graph?.memory_usage_byte ?? 0));
  });

  it('dropGraph(): queries use the trees again', () => {
    const index = fresh().dropGraph();
    expect(answers(index)).toEqual(answerList(index, QUERIES, [0, 250], 10, { graph: false, searchK: -1 }));
  });

  it('unbuild() drops it (and a rebuild has none until buildGraph)', () => {
    const index = fresh().unbuild();
    expect(index.info().graph).toBeNull();
    index.build(8, 1);
    expect(index.info().graph).toBeNull();
    expect(index.buildGraph({ degree: DEGREE, nJobs: 1 }).info().graph).toMatchObject({ degree: DEGREE });
  });

  it('unload() drops it; load() maps it again', () => {
    const { file, index } = saved();
    const expected = index.info().graph;
    index.unload();
    expect(index.info().graph).toBeNull();
    expect(index.load(file).info().graph).toEqual(expected);
  });
});
