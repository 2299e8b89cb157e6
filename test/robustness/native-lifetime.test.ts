// Lifetime of native threads and mappings under stress (issue #10: C1 and "Keep them found" 4):
// worker threads that end while holding large indexes, unload and save while other threads
// query. Every scenario runs in a child process with a deadline and a bounded number of rounds,
// so a crash is a failed exit status and a hang a timeout, never a dead jest worker.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { Annoy } from '../../lib';
import { childResult, describeChild, tmpPath } from '../helpers/tmp';
import { CHILD_HELPERS, expectCleanExit, flatUniform, runNode, writeWorkerScript } from '../helpers/serving';

const F = 64;
const N = 70000; // 70,000 x (16 + 4 x 64) bytes = 18 MiB: above the 16 MiB freed in the background

let bigFile: string;

beforeAll(() => {
  bigFile = tmpPath('big.ann');
  new Annoy(F, 'euclidean')
    .addItems(flatUniform(N, F, 1))
    .build(1, 1)
    .save(bigFile);
  expect(fs.statSync(bigFile).size).toBeGreaterThan(16 * 2 ** 20);
});

const WORKER = `${CHILD_HELPERS}
const { workerData, parentPort } = require('worker_threads');
const { mode, file, n, f } = workerData;
let index;
if (mode.startsWith('heap')) {
  index = new lib.Annoy(f, 'euclidean');
  index.addItems(uniform(n, f, 3));
} else {
  index = new lib.Annoy(f, 'euclidean').load(file);
}
parentPort.postMessage({ ready: true, bytes: index.memoryUsage() });
if (mode.endsWith('exit')) process.exit(0);
if (mode.endsWith('serialize-exit')) { index.serializeAsync(); setImmediate(() => process.exit(0)); }
if (mode.endsWith('load-exit')) { new lib.Annoy(f, 'euclidean').loadAsync(file, { prefault: true }); setImmediate(() => process.exit(0)); }
if (mode.endsWith('wait')) setInterval(() => {}, 1000);
`;

// The main thread never loads the addon: when the last worker's environment goes, Node unloads
// it, and a thread of ours still freeing memory would then run in unmapped code.
const MAIN = `
const { Worker } = require('worker_threads');
const fs = require('fs');
function emit(obj) { fs.writeSync(1, JSON.stringify(obj) + '\\n'); }
const { script, file, modes, rounds, n, f } = JSON.parse(process.argv[2]);
(async () => {
  const ended = {};
  for (let round = 0; round < rounds; round++) {
    // One worker at a time: each one's end is then the addon's unload.
    for (const mode of modes) {
      await new Promise((resolve, reject) => {
        const worker = new Worker(script, { workerData: { mode, file, n, f } });
        worker.on('message', (m) => { if (m.ready && mode.endsWith('wait')) worker.terminate(); });
        worker.on('error', reject);
        worker.on('exit', (code) => { ended[mode] = (ended[mode] || 0) + 1; resolve(code); });
      });
    }
  }
  emit({ ended });
})().catch((e) => { emit({ error: String(e && e.stack) }); process.exitCode = 2; });
`;

describe('worker threads that end while holding indexes of >= 16 MiB (C1)', () => {
  it('natural end, process.exit, terminate(), exit with serializeAsync or loadAsync pending: the process survives', () => {
    const modes = [
      'heap-end',
      'heap-exit',
      'heap-wait',
      'heap-serialize-exit',
      'mapped-end',
      'mapped-exit',
      'mapped-wait',
      'mapped-load-exit',
    ];
    const script = writeWorkerScript(WORKER);
    const main = tmpPath('teardown-main.js');
    fs.writeFileSync(main, MAIN);
    const rounds = 4;
    const res = childResult(
      spawnSync(process.execPath, [main, JSON.stringify({ script, file: bigFile, modes, rounds, n: N, f: F })], {
        encoding: 'utf8',
        timeout: 120000,
        killSignal: 'SIGKILL',
      }),
    );
    if (res.timedOut || res.signal !== null || res.status !== 0) throw new Error(describeChild(res));
    expect(res.stderr).toBe('');
    const expected = Object.fromEntries(modes.map((m) => [m, rounds]));
    expect(res.messages).toEqual([{ ended: expected }]);
  });
});

describe('unload and load while other work runs (stress, bounded)', () => {
  it('unload() is ANNOY_BUSY while a query runs and works once it settled; answers stay right; workers unaffected', () => {
    const body = `
const { Worker } = require('worker_threads');
const file = input.file;
const index = new lib.Annoy(${F}, 'euclidean').load(file);
const q = new Float32Array(${F} * 64).fill(0.25);
const expected = Array.from(index.querySync(q, 10).ids);
const workers = [0, 1].map(() => new Worker(\`
  const lib = require(\${JSON.stringify(input.dist)});
  const { parentPort } = require('worker_threads');
  const index = new lib.Annoy(${F}, 'euclidean').load(\${JSON.stringify(input.file)});
  const q = new Float32Array(${F} * 64).fill(0.25);
  const expected = Array.from(index.querySync(q, 10).ids).join();
  let bad = 0, runs = 0;
  const until = Date.now() + 1500;
  (async () => { while (Date.now() < until && runs < 2000) { runs++; const r = await index.query(q, 10); if (Array.from(r.ids).join() !== expected) bad++; } parentPort.postMessage({ bad, runs }); })();
\`, { eval: true }));
(async () => {
  let busy = 0, cycles = 0, wrong = 0;
  const until = Date.now() + 1500;
  while (Date.now() < until && cycles < 500) {
    const pending = index.query(q, 10, { threads: 2 });
    try { index.unload(); } catch (e) { if (e.code === 'ANNOY_BUSY') busy++; else throw e; }
    const r = await pending;
    if (Array.from(r.ids).join() !== expected.join()) wrong++;
    index.unload();
    index.load(file);
    cycles++;
  }
  const fromWorkers = await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  emit({ busy, cycles, wrong, fromWorkers });
})().catch((e) => { emit({ error: String(e && e.stack) }); process.exitCode = 2; });
`;
    const res = runNode(body, { file: bigFile, dist: path.resolve(__dirname, '../../dist') }, { timeoutMs: 60000 });
    expectCleanExit(res);
    const out = res.messages[0];
    expect(out.error).toBeUndefined();
    expect(out.cycles).toBeGreaterThan(0);
    expect(out.busy).toBe(out.cycles);
    expect(out.wrong).toBe(0);
    for (const w of out.fromWorkers) expect(w).toEqual({ bad: 0, runs: expect.any(Number) });
  });

  it('save() over a file that two workers are querying: no error, no wrong answer, the file always whole', () => {
    const body = `${CHILD_HELPERS}
const { Worker } = require('worker_threads');
const source = new lib.Annoy(16, 'angular');
source.addItems(uniform(5000, 16, 9)).build(5, 1);
source.save(input.file);
const q = uniform(8, 16, 10);
const expected = Array.from(source.querySync(q, 10).ids).join();
const workers = [0, 1].map(() => new Worker(\`
  const lib = require(\${JSON.stringify(input.dist)});
  const { parentPort, workerData } = require('worker_threads');
  const q = new Float32Array(workerData.q);
  let bad = 0, runs = 0, errors = [];
  const until = Date.now() + 1500;
  while (Date.now() < until && runs < 3000) {
    runs++;
    try {
      const index = new lib.Annoy(16, 'angular').load(\${JSON.stringify(input.file)});
      if (Array.from(index.querySync(q, 10).ids).join() !== workerData.expected) bad++;
      index.unload();
    } catch (e) { errors.push(e.code); }
  }
  parentPort.postMessage({ bad, runs, errors: errors.slice(0, 5) });
\`, { eval: true, workerData: { q: Array.from(q), expected } }));
const replies = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
let saves = 0;
const until = Date.now() + 1500;
const copy = new lib.Annoy(16, 'angular').deserialize(source.serialize());
(async () => {
  while (Date.now() < until && saves < 400) { copy.unload(); copy.deserialize(source.serialize()); copy.save(input.file); saves++; await new Promise((r) => setImmediate(r)); }
  emit({ saves, fromWorkers: await Promise.all(replies) });
})().catch((e) => { emit({ error: String(e && e.stack) }); process.exitCode = 2; });
`;
    const res = runNode(
      body,
      { file: tmpPath('saved-under-load.ann'), dist: path.resolve(__dirname, '../../dist') },
      { timeoutMs: 60000 },
    );
    expectCleanExit(res);
    const out = res.messages[0];
    expect(out.error).toBeUndefined();
    expect(out.saves).toBeGreaterThan(0);
    for (const w of out.fromWorkers) expect(w).toEqual({ bad: 0, runs: expect.any(Number), errors: [] });
  });
});
