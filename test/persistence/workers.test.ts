// A state sent to worker threads by postMessage restores there (Annoy.fromState from the compiled
// package) and answers exactly as the index in the main thread.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { Annoy } from '../../lib';
import { configure, expectDistHasPersistence, PickleState, toState } from '../helpers/persistence';

const WORKER_SCRIPT = path.join(__dirname, 'restore-worker.js');
const F = 16;
const N = 3000;
const ITEMS = makeVectors(N, F, 404);
const QUERIES = makeVectors(6, F, 405);
const PROBES = [0, 1, 777, 1500, N - 1];

interface Reply {
  ok: boolean;
  threadId: number;
  answers?: {
    nItems: number;
    nTrees: number;
    loaded: boolean;
    onDiskPath: string | null;
    byItem: unknown;
    byVector: unknown;
  };
  name?: string;
  code?: string;
  message?: string;
}

function mainAnswers(index: Annoy): { nItems: number; nTrees: number; byItem: unknown; byVector: unknown } {
  return {
    nItems: index.getNItems(),
    nTrees: index.getNTrees(),
    byItem: PROBES.map((i) => index.getNnsByItem(i, 10)),
    byVector: QUERIES.map((q) => index.getNnsByVector(q, 10)),
  };
}

/** Plain JSON copy: values from the workers come from Node's realm. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function ask(worker: Worker, state: PickleState): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    const onExit = (code: number) => reject(new Error(`worker exited with code ${code} before answering`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (reply: Reply) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(reply);
    });
    worker.postMessage({ state, queries: QUERIES, probes: PROBES });
  });
}

describe('4 worker threads restore the same state', () => {
  let workers: Worker[] = [];
  let index: Annoy;
  let file: string;

  beforeAll(() => {
    expectDistHasPersistence();
    index = new Annoy(F, 'euclidean');
    ITEMS.forEach((v, i) => index.addItem(i, v));
    index.build(8, 1);
    file = tmpPath('shared.ann');
    index.save(file);
    workers = Array.from({ length: 4 }, () => new Worker(WORKER_SCRIPT));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  });

  it('disk mode: every worker maps the file and answers like the main thread', async () => {
    configure(index, { pickleMode: 'disk', compressMode: null });
    const state = toState(index);
    expect(state.mode).toBe('disk');
    const expected = plain(mainAnswers(index));
    const replies = await Promise.all(workers.map((w) => ask(w, state)));
    const threadIds = new Set<number>();
    for (const reply of replies) {
      expect(reply.ok ? 'ok' : `${reply.name}(${reply.code}): ${reply.message}`).toBe('ok');
      const { loaded, onDiskPath, ...rest } = reply.answers!;
      expect(plain(rest)).toEqual(expected);
      expect(loaded).toBe(true);
      expect(onDiskPath).toBe(file);
      threadIds.add(reply.threadId);
    }
    expect(threadIds.size).toBe(4);
    // the main thread's index is unaffected
    expect(plain(mainAnswers(index))).toEqual(expected);
  });

  it('byte mode (brotli): every worker rebuilds the index from the bytes and answers alike', async () => {
    configure(index, { pickleMode: 'byte', compressMode: 'brotli' });
    const state = toState(index);
    expect(state.mode).toBe('byte');
    const expected = plain(mainAnswers(index));
    const replies = await Promise.all(workers.map((w) => ask(w, state)));
    for (const reply of replies) {
      expect(reply.ok ? 'ok' : `${reply.name}(${reply.code}): ${reply.message}`).toBe('ok');
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped from the comparison
      const { loaded: _loaded, onDiskPath, ...rest } = reply.answers!;
      expect(plain(rest)).toEqual(expected);
      expect(onDiskPath).toBeNull();
    }
  });

  it('a disk state whose file is gone fails in the worker with ANNOY_IO, and the worker lives on', async () => {
    const gone = tmpPath('gone.ann');
    const other = new Annoy(F, 'euclidean');
    ITEMS.slice(0, 100).forEach((v, i) => other.addItem(i, v));
    other.build(2, 1).save(gone);
    configure(other, { pickleMode: 'disk' });
    const state = toState(other);
    other.unload();
    fs.unlinkSync(gone);
    const reply = await ask(workers[0], state);
    expect({ ok: reply.ok, code: reply.code }).toEqual({ ok: false, code: 'ANNOY_IO' });
    configure(index, { pickleMode: 'disk', compressMode: null });
    const again = await ask(workers[0], toState(index));
    expect(again.ok).toBe(true);
  });
});
