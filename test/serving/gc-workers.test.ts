// Lifetime of asynchronous work: garbage collection of an index with work pending (a child
// process with --expose-gc), indexes used from worker_threads, and workers that end while
// native work of theirs is still running. A crash inside the addon would kill jest's worker, so
// the risky cases run in child processes, whose exit status is checked.
import { Worker } from 'worker_threads';

import { Annoy } from '../../lib';
import { ChildResult, tmpPath } from '../helpers/tmp';
import {
  builtIndex,
  CHILD_HELPERS,
  expectCleanExit,
  flatten,
  runNode,
  vectorsFor,
  writeWorkerScript,
} from '../helpers/serving';

describe('garbage collection with work pending (node --expose-gc)', () => {
  it('dropping every reference while queries, serializations and builds run is safe; answers are right', () => {
    const body = `${CHILD_HELPERS}
if (typeof global.gc !== 'function') { emit({ error: 'no gc' }); process.exit(3); }
(async () => {
  const f = 16, n = 4000;
  const queries = uniform(200, f, 99);
  const reference = filled('euclidean', n, f, 1).build(8, 1);
  const expected = reference.querySync(queries, 10, { threads: 1 });
  const expectedBytes = reference.serialize();
  const expectedByItems = reference.queryByItemsSync([0, 1, 2, 3], 10);
  let collected = 0;
  const registry = new FinalizationRegistry(() => { collected += 1; });
  const pending = [];
  for (let round = 0; round < 8; round++) {
    let index = filled('euclidean', n, f, 1).build(8, 1);
    registry.register(index, round);
    pending.push(index.query(queries, 10, { threads: 2 }).then((r) => ({ kind: 'query', ok: Buffer.from(r.ids.buffer).equals(Buffer.from(expected.ids.buffer)) && Buffer.from(r.distances.buffer).equals(Buffer.from(expected.distances.buffer)) })));
    pending.push(index.queryByItems([0, 1, 2, 3], 10, { threads: 1 }).then((r) => ({ kind: 'byItems', ok: Buffer.from(r.ids.buffer).equals(Buffer.from(expectedByItems.ids.buffer)) })));
    pending.push(index.serializeAsync().then((b) => ({ kind: 'serialize', ok: b.equals(expectedBytes) })));
    index = null;
    global.gc();
    let building = filled('euclidean', n, f, 1);
    registry.register(building, 100 + round);
    pending.push(building.buildAsync(8, { nJobs: 1, onProgress: () => global.gc() }).then((b) => ({ kind: 'build', ok: b.serialize().equals(expectedBytes) })));
    building = null;
    global.gc();
  }
  global.gc();
  const results = await Promise.all(pending);
  for (let i = 0; i < 20 && collected < 16; i++) {
    global.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  emit({ results, collected });
})().catch((e) => { emit({ error: String(e && e.stack) }); process.exitCode = 2; });
`;
    const res = runNode(body, null, { nodeArgs: ['--expose-gc'], timeoutMs: 60000 });
    expectCleanExit(res);
    const out = res.messages.find((m) => m.results !== undefined);
    expect(res.messages.find((m) => m.error !== undefined)).toBeUndefined();
    expect(out).toBeDefined();
    expect(out.results.length).toBe(32);
    expect(out.results.filter((r: { ok: boolean }) => !r.ok)).toEqual([]);
    // The dropped indexes really were collected (the test exercised the GC), once their work settled.
    expect(out.collected).toBeGreaterThan(0);
  });

  it('an index collected after its work settled frees cleanly; new indexes keep working', () => {
    const body = `${CHILD_HELPERS}
(async () => {
  for (let round = 0; round < 15; round++) {
    let index = filled('angular', 2000, 8, round);
    await index.buildAsync(4, { nJobs: 1 });
    await index.query(uniform(50, 8, round + 1), 5);
    index = null;
    global.gc();
  }
  emit({ done: true });
})().catch((e) => { emit({ error: String(e && e.stack) }); process.exitCode = 2; });
`;
    const res = runNode(body, null, { nodeArgs: ['--expose-gc'], timeoutMs: 60000 });
    expectCleanExit(res);
    expect(res.messages).toEqual([{ done: true }]);
  });
});

describe('worker_threads', () => {
  const F = 16;
  const N = 3000;
  const K = 10;
  const QUERIES = vectorsFor('angular', 8, F, 60);
  const ITEMS = [0, 7, 1500, N - 1];
  const ALLOW = Array.from({ length: 300 }, (_, i) => i * 10);

  const WORKER = `
const { parentPort, workerData, threadId } = require('worker_threads');
(async () => {
  try {
    const { file, f, k, queries, items, allow, useAsyncLoad } = workerData;
    const index = new lib.Annoy(f, 'angular');
    if (useAsyncLoad) await index.loadAsync(file); else index.load(file);
    const flat = new Float32Array(queries.length * f);
    queries.forEach((q, i) => flat.set(q, i * f));
    const batch = await index.query(flat, k, { threads: 2 });
    const sync = index.querySync(queries, k, { threads: 1 });
    const byItems = await index.queryByItems(items, k, { threads: 2 });
    const single = queries.map((q) => index.getNnsByVector(q, k));
    const filtered = queries.map((q) => index.getNnsByVector(q, k, { allow }));
    const plain = (r) => ({ ids: Array.from(r.ids), distances: Array.from(r.distances), counts: Array.from(r.counts) });
    parentPort.postMessage({
      ok: true, threadId, nItems: index.getNItems(), nTrees: index.getNTrees(),
      batch: plain(batch), sync: plain(sync), byItems: plain(byItems), single, filtered,
    });
    index.unload();
  } catch (e) {
    parentPort.postMessage({ ok: false, threadId, name: e && e.name, code: e && e.code, message: String(e && e.message) });
  }
})();
`;

  it('4 workers each loading the same saved file answer exactly as the main thread', async () => {
    const { index } = builtIndex('angular', N, F, { trees: 8, dataSeed: 61 });
    const file = tmpPath('workers.ann');
    await index.saveAsync(file);
    const main = new Annoy(F, 'angular');
    await main.loadAsync(file);
    const plain = (r: { ids: Int32Array; distances: Float32Array; counts: Uint32Array }) => ({
      ids: Array.from(r.ids),
      distances: Array.from(r.distances),
      counts: Array.from(r.counts),
    });
    const expected = {
      ok: true,
      nItems: N,
      nTrees: 8,
      batch: plain(await main.query(flatten(QUERIES, F), K, { threads: 2 })),
      sync: plain(main.querySync(QUERIES, K, { threads: 1 })),
      byItems: plain(await main.queryByItems(ITEMS, K, { threads: 2 })),
      single: QUERIES.map((q) => main.getNnsByVector(q, K)),
      filtered: QUERIES.map((q) => main.getNnsByVector(q, K, { allow: ALLOW })),
    };
    // Sanity: the reference itself is consistent (batch rows = single queries).
    expect(expected.batch.ids.slice(0, K)).toEqual(expected.single[0][0]);

    const script = writeWorkerScript(WORKER);
    const replies = await Promise.all(
      [true, true, true, false].map(
        (useAsyncLoad) =>
          new Promise<any>((resolve, reject) => {
            const worker = new Worker(script, {
              workerData: { file, f: F, k: K, queries: QUERIES, items: ITEMS, allow: ALLOW, useAsyncLoad },
            });
            let reply: unknown = null;
            worker.once('message', (m) => {
              reply = m;
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (code !== 0) reject(new Error(`worker exited with code ${code}`));
              else if (reply === null) reject(new Error('worker exited without answering'));
              else resolve(reply);
            });
          }),
      ),
    );
    const threadIds = new Set<number>();
    for (const reply of replies) {
      const r = JSON.parse(JSON.stringify(reply));
      threadIds.add(r.threadId);
      delete r.threadId;
      expect(r).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    expect(threadIds.size).toBe(4);
    // The main thread's index is unaffected by the workers unloading theirs.
    expect(main.getNItems()).toBe(N);
    expect(main.getNnsByVector(QUERIES[0], K)).toEqual(expected.single[0]);
  });

  // A worker that is terminated (or calls process.exit) while native work of its own is pending:
  // the whole process must survive, and the main thread keep working.
  const TERMINATED_WORKER = `
const { parentPort, workerData } = require('worker_threads');
${CHILD_HELPERS}
const { kind, file } = workerData;
if (kind === 'buildAsync') {
  const index = filled('euclidean', 20000, 32, 3);
  index.buildAsync(200, { nJobs: 1, onProgress: (p) => { if (p.treesBuilt === 1) parentPort.postMessage('running'); } });
} else if (kind === 'query') {
  const index = filled('euclidean', 20000, 32, 3).build(5, 1);
  index.query(uniform(20000, 32, 4), 10, { threads: 2, searchK: 200 });
  parentPort.postMessage('running');
} else if (kind === 'serializeAsync') {
  const index = filled('euclidean', 100000, 32, 3);
  index.serializeAsync();
  parentPort.postMessage('running');
} else if (kind === 'loadAsync') {
  const index = new lib.Annoy(32, 'euclidean');
  index.loadAsync(file, { prefault: true });
  parentPort.postMessage('running');
} else if (kind === 'exit-in-worker') {
  const index = filled('euclidean', 20000, 32, 3);
  index.buildAsync(40, { nJobs: 1 });
  parentPort.postMessage('running');
  process.exit(0);
}
`;

  function runTerminateChild(kind: string): ChildResult {
    const workerScript = writeWorkerScript(TERMINATED_WORKER);
    const file = tmpPath('terminate.ann');
    const source = new Annoy(32, 'euclidean');
    source.addItems(flatten(vectorsFor('euclidean', 3000, 32, 3), 32));
    source.build(4, 1).save(file);
    const body = `
const { Worker } = require('worker_threads');
(async () => {
  const worker = new Worker(input.workerScript, { workerData: { kind: input.kind, file: input.file } });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  if (input.kind === 'exit-in-worker') await exited;
  else await worker.terminate();
  emit({ kind: input.kind, ended: true });
  // The main thread still works after the worker went away.
  const index = new lib.Annoy(32, 'euclidean');
  await index.loadAsync(input.file);
  const r = await index.query(new Float32Array(32), 3);
  emit({ done: true, count: r.counts[0] });
})().catch((e) => { emit({ error: String(e && e.stack) }); process.exitCode = 2; });
`;
    return runNode(body, { workerScript, file, kind }, { timeoutMs: 60000 });
  }

  it.each(['buildAsync', 'query', 'serializeAsync', 'loadAsync'])(
    'worker.terminate() while the worker has a %s pending: the process survives (child process)',
    (kind) => {
      const res = runTerminateChild(kind);
      expectCleanExit(res);
      expect(res.messages).toEqual([
        { kind, ended: true },
        { done: true, count: 3 },
      ]);
    },
  );

  it('process.exit() inside a worker with a buildAsync pending: the process survives (child process)', () => {
    const res = runTerminateChild('exit-in-worker');
    expectCleanExit(res);
    expect(res.messages).toEqual([
      { kind: 'exit-in-worker', ended: true },
      { done: true, count: 3 },
    ]);
  });
});
