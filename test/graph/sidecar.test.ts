// Issue #12, tests 4: the sidecar round trips. save() writes it beside the file and load() serves
// it (the same answers); saveGraph/loadGraph carry a graph alone; a loaded read-only index can get
// a graph and save it beside its own file; save() without a graph removes a stale sidecar; worker
// threads loading the same file and sidecar answer as the main thread.
import * as fs from 'fs';
import { Worker } from 'worker_threads';

import { Annoy } from '../../lib';
import { answerList, graphIndex, graphRows, readSidecar, sidecarPath } from '../helpers/graph';
import { METRICS, writeWorkerScript } from '../helpers/serving';
import { tmpPath } from '../helpers/tmp';

const F = 8;
const N = 800;
const ROWS = graphRows('euclidean', N, F, 'clustered', 404);
const QUERIES = graphRows('euclidean', 8, F, 'clustered', 404, 405);
const ITEMS = [0, 9, 400, N - 1];
// A small ef, where a different graph (or none) would show in the answers.
const OPTIONS = { ef: 12 };

const answers = (index: Annoy) => answerList(index, QUERIES, ITEMS, 10, OPTIONS);

describe('save() and load()', () => {
  it('load() maps the sidecar save() wrote and answers as the index that built the graph', () => {
    const built = graphIndex('euclidean', ROWS, { degree: 16 });
    const before = answers(built);
    const graphInfo = built.info().graph;
    const file = tmpPath('saved.ann');
    built.save(file);
    expect(fs.existsSync(sidecarPath(file))).toBe(true);
    const loaded = new Annoy(F, 'euclidean').load(file);
    expect(loaded.info().graph).toEqual(graphInfo);
    expect(answers(loaded)).toEqual(before);
    expect(answers(built)).toEqual(before);
    expect(answers(loaded)).not.toEqual(answerList(loaded, QUERIES, ITEMS, 10, { graph: false, searchK: 12 }));
  });

  it('saveGraph() writes the same bytes as save() beside the file, and loadGraph() adopts them', () => {
    const index = graphIndex('euclidean', ROWS, { degree: 16 });
    const before = answers(index);
    const file = tmpPath('pair.ann');
    const alone = tmpPath('alone.graph');
    index.saveGraph(alone);
    index.save(file);
    expect(fs.readFileSync(alone).equals(readSidecar(file))).toBe(true);
    index.dropGraph();
    expect(index.info().graph).toBeNull();
    expect(answers(index)).not.toEqual(before);
    index.loadGraph(alone);
    expect(index.info().graph).not.toBeNull();
    expect(answers(index)).toEqual(before);
  });

  it('a loaded read-only index gets a graph, save() to its own file adds the sidecar, and save() without a graph removes it', () => {
    const file = tmpPath('read-only.ann');
    graphIndex('euclidean', ROWS, { graph: false }).save(file);
    expect(fs.existsSync(sidecarPath(file))).toBe(false);
    const index = new Annoy(F, 'euclidean').load(file);
    index.buildGraph({ degree: 16, nJobs: 1 });
    const before = answers(index);
    index.save(file);
    expect(answers(new Annoy(F, 'euclidean').load(file))).toEqual(before);
    // The same graph as one built before saving (same trees, same seed).
    expect(readSidecar(file).equals(readSidecar(tmpPathSaved()))).toBe(true);
    index.dropGraph().save(file);
    expect(fs.existsSync(sidecarPath(file))).toBe(false);
    expect(new Annoy(F, 'euclidean').load(file).info().graph).toBeNull();
  });

  // A built forest lists its original roots and a loaded one the root copies, last tree first:
  // the graph must seed from and sample the same trees in both (once it did not, and dot's
  // answers changed across save()). Trees on two jobs: the layered build's node order.
  it.each(METRICS)('%s: built, saved, loaded and rebuilt over the loaded trees, the graph answers alike', (metric) => {
    const rows = graphRows(metric, 600, 6, 'uniform', 77);
    const queries = graphRows(metric, 60, 6, 'uniform', 77, 78);
    const index = new Annoy(6, metric);
    index.setSeed(5);
    rows.forEach((v, i) => index.addItem(i, v));
    index.build(6, 2);
    index.buildGraph({ degree: 8, nJobs: 2 });
    const options = { ef: 10 };
    const before = answerList(index, queries, [0, 299, 599], 10, options);
    const file = tmpPath(`${metric}-alike.ann`);
    index.save(file);
    expect(answerList(index, queries, [0, 299, 599], 10, options)).toEqual(before);
    const loaded = new Annoy(6, metric).load(file);
    expect(answerList(loaded, queries, [0, 299, 599], 10, options)).toEqual(before);
    const sidecar = readSidecar(file);
    // The graph's random choices come from the index's seed, which a file does not record.
    loaded.setSeed(5);
    loaded.dropGraph().buildGraph({ degree: 8, nJobs: 1 });
    expect(answerList(loaded, queries, [0, 299, 599], 10, options)).toEqual(before);
    const again = tmpPath(`${metric}-alike-again.ann`);
    loaded.save(again);
    expect(readSidecar(again).equals(sidecar)).toBe(true);
  });
});

function tmpPathSaved(): string {
  const file = tmpPath('reference.ann');
  graphIndex('euclidean', ROWS, { degree: 16 }).save(file);
  return file;
}

// Each worker loads the file (mapping the .ann and its sidecar) and answers the same questions.
const WORKER = `
const { parentPort, workerData } = require('worker_threads');
const { file, f, queries, items, options } = workerData;
const index = new lib.Annoy(f, 'euclidean').load(file);
parentPort.postMessage({
  graph: index.info().graph,
  answers: [...queries.map((q) => index.getNnsByVector(q, 10, options)), ...items.map((i) => index.getNnsByItem(i, 10, options))],
});
`;

function runWorker(script: string, file: string): Promise<{ graph: unknown; answers: unknown[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { file, f: F, queries: QUERIES, items: ITEMS, options: OPTIONS } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
  });
}

describe('worker threads', () => {
  it('two workers loading the same file and sidecar answer as the main thread', async () => {
    const file = tmpPath('shared.ann');
    graphIndex('euclidean', ROWS, { degree: 16 }).save(file);
    const main = new Annoy(F, 'euclidean').load(file);
    const script = writeWorkerScript(WORKER);
    const replies = await Promise.all([runWorker(script, file), runWorker(script, file)]);
    const plain = JSON.parse(JSON.stringify({ graph: main.info().graph, answers: answers(main) }));
    for (const reply of replies) expect(JSON.parse(JSON.stringify(reply))).toEqual(plain);
    expect(plain.graph).not.toBeNull();
  });
});
