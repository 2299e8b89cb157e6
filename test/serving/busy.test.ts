// The busy guard: while buildAsync / loadAsync / saveAsync runs, every other call on that index
// throws (or rejects with) ANNOY_BUSY; while async queries or serializeAsync run, reads work and
// changes are refused; once the work settles, everything works again. The calls are made
// synchronously right after starting the work, so the work is certainly still pending (it is
// released on the JS thread, in a later turn of the event loop).
import * as fs from 'fs';

import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import { builtIndex, expectRejectCode, filledIndex, flatUniform, vectorsFor } from '../helpers/serving';

const F = 16;
const N = 3000;
const Q = vectorsFor('euclidean', 3, F, 50);
const EXTRA = vectorsFor('euclidean', 1, F, 51)[0];

type Call = [string, (index: Annoy) => unknown];

/** Every synchronous call of the API that touches the index. */
function allSyncCalls(file: string, snapshotBytes: Buffer): Call[] {
  return [
    ['getNItems', (i) => i.getNItems()],
    ['getNTrees', (i) => i.getNTrees()],
    ['info', (i) => i.info()],
    ['f', (i) => i.f],
    ['metric', (i) => i.metric],
    ['onDiskPath', (i) => i.onDiskPath],
    ['memoryUsage', (i) => i.memoryUsage()],
    ['getNnsByVector', (i) => i.getNnsByVector(Q[0], 3)],
    ['getNnsByVector+filter', (i) => i.getNnsByVector(Q[0], 3, { allow: [1, 2, 3] })],
    ['getNnsByItem', (i) => i.getNnsByItem(0, 3)],
    ['getDistance', (i) => i.getDistance(0, 1)],
    ['getItemVector', (i) => i.getItemVector(0)],
    ['getItemVector+out', (i) => i.getItemVector(0, { out: new Float32Array(F) })],
    ['querySync', (i) => i.querySync(Q, 3)],
    ['queryByItemsSync', (i) => i.queryByItemsSync([0, 1], 3)],
    ['serialize', (i) => i.serialize()],
    ['toState', (i) => i.toState()],
    ['addItem', (i) => i.addItem(N, EXTRA)],
    ['addItems', (i) => i.addItems([EXTRA])],
    ['build', (i) => i.build(2, 1)],
    ['unbuild', (i) => i.unbuild()],
    ['save', (i) => i.save(tmpPath('busy-save.ann'))],
    ['load', (i) => i.load(file)],
    ['unload', (i) => i.unload()],
    ['onDiskBuild', (i) => i.onDiskBuild(tmpPath('busy-odb.ann'))],
    ['deserialize', (i) => i.deserialize(snapshotBytes)],
    ['setSeed', (i) => i.setSeed(5)],
  ];
}

type AsyncCall = [string, (index: Annoy) => Promise<unknown>];
function allAsyncCalls(file: string): AsyncCall[] {
  return [
    ['query', (i) => i.query(Q, 3)],
    ['queryByItems', (i) => i.queryByItems([0], 3)],
    ['serializeAsync', (i) => i.serializeAsync()],
    ['buildAsync', (i) => i.buildAsync(2)],
    ['loadAsync', (i) => i.loadAsync(file)],
    ['saveAsync', (i) => i.saveAsync(tmpPath('busy-save-async.ann'))],
  ];
}

const READS = new Set([
  'getNItems',
  'getNTrees',
  'info',
  'f',
  'metric',
  'onDiskPath',
  'memoryUsage',
  'getNnsByVector',
  'getNnsByVector+filter',
  'getNnsByItem',
  'getDistance',
  'getItemVector',
  'getItemVector+out',
  'querySync',
  'queryByItemsSync',
  'serialize',
  'toState',
  'query',
  'queryByItems',
  'serializeAsync',
]);

let savedFile: string;
let snapshotBytes: Buffer;
beforeAll(() => {
  const { index } = builtIndex('euclidean', N, F, { trees: 4 });
  savedFile = tmpPath('busy-source.ann');
  index.save(savedFile);
  snapshotBytes = builtIndex('euclidean', 50, F, { trees: 2 }).index.serialize();
});

/** How a call ended: null when it returned (or resolved), else what it threw (or rejected with). */
type Outcome = { name?: string; code?: string } | null;

const isBusy = (err: Outcome): boolean => err !== null && err.name === 'AnnoyError' && err.code === ErrorCodes.BUSY;
const shown = (err: Outcome): string => (err === null ? 'success' : `${err.name}(${err.code})`);

/**
 * Makes every sync call, hands each outcome to `check` at once, then does the same for every
 * async call. The async calls all start together, with their handlers attached at once: no
 * rejection is ever left unhandled while another is awaited.
 */
async function eachOutcome(index: Annoy, check: (name: string, err: Outcome, isAsync: boolean) => void): Promise<void> {
  for (const [name, call] of allSyncCalls(savedFile, snapshotBytes)) {
    let err: Outcome = null;
    try {
      call(index);
    } catch (e) {
      err = e as Outcome;
    }
    check(name, err, false);
  }
  const pending = allAsyncCalls(savedFile).map(
    ([name, call]) =>
      [
        name,
        call(index).then(
          () => null,
          (e) => e as Outcome,
        ),
      ] as const,
  );
  for (const [name, settled] of pending) check(name, await settled, true);
}

/** Every call, sync and async, made while exclusive work is pending: all ANNOY_BUSY. */
async function expectAllBusy(index: Annoy): Promise<void> {
  await eachOutcome(index, (name, err, isAsync) => {
    if (!isBusy(err)) {
      throw new Error(`${name}: expected ${isAsync ? 'a rejection with ' : ''}ANNOY_BUSY, got ${shown(err)}`);
    }
  });
}

describe('Annoy#buildAsync(): the index is busy until it settles', () => {
  it('every other call throws or rejects with ANNOY_BUSY; the build is unaffected; then all works', async () => {
    const index = filledIndex('euclidean', 20000, 32);
    const reference = filledIndex('euclidean', 20000, 32).build(6, 1);
    const building = index.buildAsync(6, { nJobs: 1 });
    // Synchronous calls right after the start: the build is certainly pending.
    const syncErrors: string[] = [];
    for (const [name, call] of allSyncCalls(savedFile, snapshotBytes)) {
      try {
        call(index);
        syncErrors.push(`${name}: succeeded`);
      } catch (e) {
        const err = e as { name?: string; code?: string };
        if (err.name !== 'AnnoyError' || err.code !== ErrorCodes.BUSY)
          syncErrors.push(`${name}: ${err.name}(${err.code})`);
      }
    }
    const asyncResults = allAsyncCalls(savedFile).map(
      ([name, call]) =>
        [
          name,
          call(index).then(
            () => null,
            (e) => e,
          ),
        ] as const,
    );
    expect(syncErrors).toEqual([]);
    for (const [name, settled] of asyncResults) {
      const err = await settled;
      expect([name, err?.name, err?.code]).toEqual([name, 'AnnoyError', ErrorCodes.BUSY]);
    }
    await expect(building).resolves.toBe(index);
    // Nothing leaked through the guard (e.g. setSeed): the forest is the reference one.
    expect(index.serialize().equals(reference.serialize())).toBe(true);
    expect(index.getNTrees()).toBe(6);
    expect(index.getNItems()).toBe(20000);
    const q = flatUniform(1, 32, 3);
    expect(index.getNnsByVector(q, 5)).toEqual(reference.getNnsByVector(q, 5));
    expect(Array.from((await index.query(q, 5)).ids)).toEqual(Array.from(reference.querySync(q, 5).ids));
    index.unbuild();
    await index.buildAsync(2, { nJobs: 1 });
    expect(index.getNTrees()).toBe(2);
  });

  // Issue #10 W2: the last progress report came after the guard was released, so an unload()
  // from it succeeded in 30-65% of runs and the promise resolved with 0 trees and 0 items.
  it('calls from inside its own onProgress, the last report included, are ANNOY_BUSY; the build is whole', async () => {
    const references = [1, 2].map((jobs) => filledIndex('euclidean', 2000, 8).build(6, jobs).serialize());
    for (let run = 0; run < 20; run++) {
      const index = filledIndex('euclidean', 2000, 8);
      const jobs = 1 + (run % 2);
      const outcomes: string[] = [];
      const seen: number[] = [];
      await index.buildAsync(6, {
        nJobs: jobs,
        onProgress: ({ treesBuilt }) => {
          seen.push(treesBuilt);
          for (const call of [
            () => index.unload(),
            () => index.unbuild(),
            () => index.getNItems(),
            () => index.addItem(2000, EXTRA.slice(0, 8)),
          ]) {
            try {
              call();
              outcomes.push('succeeded');
            } catch (e) {
              outcomes.push((e as { code?: string }).code ?? String(e));
            }
          }
        },
      });
      expect(seen[seen.length - 1]).toBe(6);
      expect(new Set(outcomes)).toEqual(new Set([ErrorCodes.BUSY]));
      expect(index.getNTrees()).toBe(6);
      expect(index.getNItems()).toBe(2000);
      expect(index.serialize().equals(references[jobs - 1])).toBe(true);
    }
  });

  it('a failed buildAsync (bad argument) releases the index', async () => {
    const index = filledIndex('euclidean', 500, 8);
    await expectRejectCode(index.buildAsync(0), ErrorCodes.INVALID_ARGUMENT);
    expect(index.getNItems()).toBe(500);
    index.build(2, 1);
  });

  it('an aborted buildAsync releases the index', async () => {
    const index = filledIndex('euclidean', 5000, 16);
    const controller = new AbortController();
    const p = index.buildAsync(100, { signal: controller.signal, nJobs: 1 });
    expectCode(() => index.getNItems(), ErrorCodes.BUSY);
    controller.abort();
    await expectRejectCode(p, ErrorCodes.ABORTED);
    expect(index.getNItems()).toBe(5000);
    index.addItem(5000, flatUniform(1, 16, 9));
    index.build(2, 1);
    expect(index.getNItems()).toBe(5001);
  });
});

describe('Annoy#loadAsync(): the index is busy until it settles', () => {
  it('every other call is ANNOY_BUSY while loading; afterwards it serves the file', async () => {
    const index = new Annoy(F, 'euclidean');
    const loading = index.loadAsync(savedFile);
    await expectAllBusy(index);
    await expect(loading).resolves.toBe(index);
    expect(index.getNItems()).toBe(N);
    expect(index.getNnsByVector(Q[0], 3)).toEqual(new Annoy(F, 'euclidean').load(savedFile).getNnsByVector(Q[0], 3));
    index.unload();
    expect(index.getNItems()).toBe(0);
  });

  it('a failed loadAsync releases the index and leaves it as it was', async () => {
    const { index } = builtIndex('euclidean', 100, F, { trees: 2 });
    const p = index.loadAsync(tmpPath('does-not-exist.ann'));
    expectCode(() => index.getNItems(), ErrorCodes.BUSY);
    await expectRejectCode(p, ErrorCodes.IO);
    expect(index.getNItems()).toBe(100);
    index.unbuild();
    index.addItem(100, EXTRA);
  });
});

describe('Annoy#saveAsync(): the index is busy until it settles', () => {
  it('every other call is ANNOY_BUSY while saving; afterwards it serves the file', async () => {
    const { index } = builtIndex('euclidean', N, F, { trees: 4 });
    const file = tmpPath('busy-saving.ann');
    const saving = index.saveAsync(file);
    await expectAllBusy(index);
    await expect(saving).resolves.toBe(index);
    expect(index.onDiskPath).toBe(file);
    expect(fs.readFileSync(file).equals(fs.readFileSync(savedFile))).toBe(true);
    expect(index.getNnsByItem(0, 3)).toEqual(new Annoy(F, 'euclidean').load(savedFile).getNnsByItem(0, 3));
  });
});

/** Reads work and changes throw ANNOY_BUSY while shared (read) work is pending. */
async function expectReadsOnly(index: Annoy): Promise<void> {
  const failures: string[] = [];
  await eachOutcome(index, (name, err, isAsync) => {
    if (READS.has(name)) {
      if (err !== null) failures.push(`${name} (a read) ${isAsync ? 'rejected with' : 'threw'} ${shown(err)}`);
    } else if (!isBusy(err)) {
      failures.push(`${name} (a change): expected ANNOY_BUSY, got ${shown(err)}`);
    }
  });
  expect(failures).toEqual([]);
}

/** After the shared work settled: the changes work again. */
function expectChangesWork(index: Annoy): void {
  index.unbuild();
  index.addItem(index.getNItems(), EXTRA);
  index.addItems([EXTRA]);
  index.setSeed(3);
  index.build(2, 1);
  const file = tmpPath('after-busy.ann');
  index.save(file);
  index.unload();
  index.load(file);
  expect(index.getNItems()).toBe(N + 2);
}

describe('Annoy#query(): reads work, changes are ANNOY_BUSY until it settles', () => {
  it('while a batch query runs', async () => {
    const { index } = builtIndex('euclidean', N, F, { trees: 4 });
    const expected = index.querySync(Q, 3);
    const querying = index.query(Q, 3, { threads: 2 });
    await expectReadsOnly(index);
    const result = await querying;
    expect(Array.from(result.ids)).toEqual(Array.from(expected.ids));
    expectChangesWork(index);
  });

  it('a rejected query (not built) releases the index', async () => {
    const index = new Annoy(F, 'euclidean');
    index.addItems(vectorsFor('euclidean', 10, F, 1));
    await expectRejectCode(index.query(Q, 3), ErrorCodes.NOT_BUILT);
    index.addItem(10, EXTRA);
    index.build(2, 1);
  });

  it('with two queries pending, changes stay refused until both settled', async () => {
    const { index } = builtIndex('euclidean', N, F, { trees: 4 });
    const big = flatUniform(5000, F, 8);
    let bigSettled = false;
    const slow = index.query(big, 10, { threads: 1, searchK: 2000 }).then((r) => {
      bigSettled = true;
      return r;
    });
    const fast = index.query(Q.slice(0, 1), 1, { threads: 1 });
    await fast;
    // The small query has released its share; the large one still holds the index.
    expect(bigSettled).toBe(false);
    expectCode(() => index.unbuild(), ErrorCodes.BUSY);
    expect(index.getNItems()).toBe(N);
    await slow;
    expectChangesWork(index);
  });
});

describe('Annoy#queryByItems(): reads work, changes are ANNOY_BUSY until it settles', () => {
  it('while a batch query by items runs', async () => {
    const { index } = builtIndex('euclidean', N, F, { trees: 4 });
    const querying = index.queryByItems([0, 1, 2], 3, { threads: 2 });
    await expectReadsOnly(index);
    await querying;
    expectChangesWork(index);
  });
});

describe('Annoy#serializeAsync(): reads work, changes are ANNOY_BUSY until it settles', () => {
  it('while serializing', async () => {
    const { index } = builtIndex('euclidean', N, F, { trees: 4 });
    const expected = index.serialize();
    const serializing = index.serializeAsync();
    await expectReadsOnly(index);
    expect(Buffer.compare(await serializing, expected)).toBe(0);
    expectChangesWork(index);
  });
});

describe('Annoy (busy is per index)', () => {
  it('another index is not affected by this one being busy', async () => {
    const busy = filledIndex('euclidean', 20000, 32);
    const { index: other } = builtIndex('euclidean', 200, F, { trees: 2 });
    const building = busy.buildAsync(4, { nJobs: 1 });
    expectCode(() => busy.getNItems(), ErrorCodes.BUSY);
    expect(other.getNItems()).toBe(200);
    other.unbuild();
    other.build(3, 1);
    await other.query(Q, 3);
    await building;
    expect(busy.getNTrees()).toBe(4);
  });
});
