// Annoy#buildAsync(): the same forest as build() (byte-identical files with one job and a fixed
// seed), progress on the event loop, cancellation by AbortSignal, errors as rejections, and a
// timer that keeps firing while a long build runs on native threads.
import * as fs from 'fs';
import { types } from 'util';

import { Annoy, AnnoyError, BuildProgress, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import { countTicks, expectRejectCode, filledIndex, METRICS, MetricName, settle, vectorsFor } from '../helpers/serving';

const F = 12;
const N = 400;

function unbuilt(metric: MetricName, n = N, f = F, seed = 7): Annoy {
  const index = new Annoy(f, metric);
  index.setSeed(seed);
  vectorsFor(metric, n, f, 3).forEach((v, i) => index.addItem(i, v));
  return index;
}

/** A 50-tree buildAsync on one thread, aborted right after the call (before any tree): it
 * rejects with ANNOY_ABORTED and the index keeps its 3000 items and no trees. */
async function expectAbortedAtOnce(index: Annoy): Promise<void> {
  const controller = new AbortController();
  const promise = index.buildAsync(50, { nJobs: 1, signal: controller.signal });
  controller.abort();
  await expectRejectCode(promise, ErrorCodes.ABORTED);
  expect(index.getNItems()).toBe(3000);
  expect(index.getNTrees()).toBe(0);
}

// Large enough that building takes a noticeable time (20k x 32 items, ~0.3 s per 10 trees on
// one core), small enough to keep the file fast.
const BIG_N = 20000;
const BIG_F = 32;

describe('Annoy#buildAsync()', () => {
  it.each(METRICS)('%s: nJobs 1 and a fixed seed give a file byte-identical to build(n, 1)', async (metric) => {
    const sync = unbuilt(metric).build(10, 1);
    const viaAsync = unbuilt(metric);
    const returned = await viaAsync.buildAsync(10, { nJobs: 1 });
    expect(returned).toBe(viaAsync);
    expect(viaAsync.getNTrees()).toBe(10);
    expect(viaAsync.info().built).toBe(true);
    const a = tmpPath(`${metric}-sync.ann`);
    const b = tmpPath(`${metric}-async.ann`);
    sync.save(a);
    viaAsync.save(b);
    const bytesA = fs.readFileSync(a);
    const bytesB = fs.readFileSync(b);
    expect(bytesB.length).toBe(bytesA.length);
    expect(bytesB.equals(bytesA)).toBe(true);
  });

  it('with several jobs builds exactly nTrees trees and answers like build() with the same jobs and seed', async () => {
    const sync = unbuilt('euclidean').build(9, 2);
    const viaAsync = await unbuilt('euclidean').buildAsync(9, { nJobs: 2 });
    expect(viaAsync.getNTrees()).toBe(9);
    expect(viaAsync.serialize().equals(sync.serialize())).toBe(true);
  });

  it('nTrees -1 builds until the node budget, like build(-1, 1)', async () => {
    const sync = unbuilt('angular').build(-1, 1);
    const viaAsync = await unbuilt('angular').buildAsync(-1, { nJobs: 1 });
    expect(viaAsync.getNTrees()).toBe(sync.getNTrees());
    expect(viaAsync.getNTrees()).toBeGreaterThan(0);
    expect(viaAsync.serialize().equals(sync.serialize())).toBe(true);
  });

  it('defaults (no options) build every tree', async () => {
    const index = unbuilt('manhattan');
    await index.buildAsync(6);
    expect(index.getNTrees()).toBe(6);
    expect(index.getNnsByItem(5, 1, -1, false)).toEqual([5]);
  });

  it('onProgress runs on the JS thread with increasing treesBuilt; the last call has treesBuilt === getNTrees()', async () => {
    const index = filledIndex('euclidean', BIG_N / 4, BIG_F);
    const calls: BuildProgress[] = [];
    let settled = false;
    let callsBeforeSettling = 0;
    const promise = index.buildAsync(24, {
      nJobs: 1,
      onProgress: (p) => {
        calls.push({ ...p });
        if (!settled) callsBeforeSettling += 1;
      },
    });
    // Nothing is called synchronously: the callback runs as trees finish.
    expect(calls.length).toBe(0);
    await promise;
    settled = true;
    expect(index.getNTrees()).toBe(24);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(callsBeforeSettling).toBe(calls.length);
    for (const c of calls) {
      expect(Object.keys(c).sort()).toEqual(['nTrees', 'treesBuilt']);
      expect(c.nTrees).toBe(24);
      expect(Number.isInteger(c.treesBuilt)).toBe(true);
      expect(c.treesBuilt).toBeGreaterThanOrEqual(1);
      expect(c.treesBuilt).toBeLessThanOrEqual(24);
    }
    for (let j = 1; j < calls.length; j++) expect(calls[j].treesBuilt).toBeGreaterThan(calls[j - 1].treesBuilt);
    expect(calls[calls.length - 1].treesBuilt).toBe(index.getNTrees());
    // No late calls once the promise has settled.
    const count = calls.length;
    await settle(50);
    expect(calls.length).toBe(count);
  });

  it('onProgress with two jobs still reports increasing counts ending at nTrees', async () => {
    const index = filledIndex('angular', BIG_N / 4, BIG_F);
    const seen: number[] = [];
    await index.buildAsync(15, { nJobs: 2, onProgress: (p) => seen.push(p.treesBuilt) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (let j = 1; j < seen.length; j++) expect(seen[j]).toBeGreaterThan(seen[j - 1]);
    expect(seen[seen.length - 1]).toBe(15);
  });

  it('onProgress for nTrees -1 reports nTrees null and ends at getNTrees()', async () => {
    const index = unbuilt('euclidean', 2000, 8);
    const calls: BuildProgress[] = [];
    await index.buildAsync(-1, { nJobs: 1, onProgress: (p) => calls.push({ ...p }) });
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const c of calls) expect(c.nTrees).toBeNull();
    expect(calls[calls.length - 1].treesBuilt).toBe(index.getNTrees());
  });

  it('an onProgress that throws becomes a process warning; the build still completes', async () => {
    const index = unbuilt('euclidean');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await index.buildAsync(4, {
        nJobs: 1,
        onProgress: () => {
          throw new Error('listener failed');
        },
      });
      expect(index.getNTrees()).toBe(4);
      expect(warn).toHaveBeenCalled();
      expect(String(warn.mock.calls[0][0])).toMatch(/listener failed/);
    } finally {
      warn.mockRestore();
    }
  });

  it('aborting the signal mid-build rejects with ANNOY_ABORTED and leaves the index as before the call', async () => {
    const index = filledIndex('euclidean', BIG_N, BIG_F);
    const before = index.serialize();
    const controller = new AbortController();
    const seen: number[] = [];
    const promise = index.buildAsync(200, {
      nJobs: 1,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.treesBuilt);
        if (p.treesBuilt >= 1) controller.abort();
      },
    });
    const err = await expectRejectCode(promise, ErrorCodes.ABORTED);
    expect(err.stack).toContain('build-async.test.ts');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...seen)).toBeLessThan(200);
    // As before: the items, no trees, not built; the same bytes.
    expect(index.getNItems()).toBe(BIG_N);
    expect(index.getNTrees()).toBe(0);
    expect(index.info().built).toBe(false);
    expect(index.serialize().equals(before)).toBe(true);
    expectCode(() => index.getNnsByItem(0, 3), ErrorCodes.NOT_BUILT);
    // And it can build again: the same forest as an index that was never aborted.
    index.unbuild();
    await index.buildAsync(3, { nJobs: 1 });
    const fresh = filledIndex('euclidean', BIG_N, BIG_F).build(3, 1);
    expect(index.serialize().equals(fresh.serialize())).toBe(true);
  });

  it('aborting right after the call (before any tree) rejects and keeps the items', async () => {
    const index = unbuilt('angular', 3000, 16);
    const before = index.serialize();
    await expectAbortedAtOnce(index);
    expect(index.serialize().equals(before)).toBe(true);
    await index.buildAsync(4, { nJobs: 1 });
    expect(index.serialize().equals(unbuilt('angular', 3000, 16).build(4, 1).serialize())).toBe(true);
  });

  it('nJobs 2 (layered): an abort between groups of trees rejects, keeps the items, and the next build is unchanged', async () => {
    const index = unbuilt('euclidean', BIG_N, BIG_F);
    const before = index.serialize();
    const controller = new AbortController();
    // 64 trees go in 4 groups of 16; the first progress report comes after the first group.
    const promise = index.buildAsync(64, { nJobs: 2, signal: controller.signal, onProgress: () => controller.abort() });
    await expectRejectCode(promise, ErrorCodes.ABORTED);
    expect(index.getNTrees()).toBe(0);
    expect(index.serialize().equals(before)).toBe(true);
    await index.buildAsync(4, { nJobs: 2 });
    expect(index.serialize().equals(unbuilt('euclidean', BIG_N, BIG_F).build(4, 3).serialize())).toBe(true);
  });

  it('dot: after an abort the items, distances and the next forest are those of a never-aborted index', async () => {
    // (dot's build-time preprocessing of the stored items is kept, as after build() + unbuild().)
    const index = unbuilt('dot', 3000, 16);
    const reference = unbuilt('dot', 3000, 16);
    await expectAbortedAtOnce(index);
    for (const i of [0, 1, 1500, 2999]) {
      expect(index.getItemVector(i)).toEqual(reference.getItemVector(i));
      expect(index.getDistance(i, 7)).toBe(reference.getDistance(i, 7));
    }
    await index.buildAsync(4, { nJobs: 1 });
    expect(index.serialize().equals(reference.build(4, 1).serialize())).toBe(true);
  });

  it('an already-aborted signal rejects at once: no progress, no trees, the index not busy', async () => {
    const index = unbuilt('angular');
    const controller = new AbortController();
    controller.abort();
    const onProgress = jest.fn();
    const promise = index.buildAsync(5, { signal: controller.signal, onProgress });
    // Not busy: other calls work while the rejection is pending.
    expect(index.getNItems()).toBe(N);
    const err = await expectRejectCode(promise, ErrorCodes.ABORTED);
    expect(err).toBeInstanceOf(AnnoyError);
    expect(err.stack).toContain('build-async.test.ts');
    expect(onProgress).not.toHaveBeenCalled();
    expect(index.getNTrees()).toBe(0);
    await index.buildAsync(2, { signal: new AbortController().signal });
    expect(index.getNTrees()).toBe(2);
  });

  it('aborting after the build finished changes nothing', async () => {
    const index = unbuilt('euclidean');
    const controller = new AbortController();
    await index.buildAsync(5, { nJobs: 1, signal: controller.signal });
    controller.abort();
    await settle();
    expect(index.getNTrees()).toBe(5);
    expect(index.getNnsByItem(3, 1, -1, false)).toEqual([3]);
  });

  it("a finished build's signal does not cancel a later build", async () => {
    const index = filledIndex('euclidean', BIG_N / 2, BIG_F);
    const first = new AbortController();
    await index.buildAsync(2, { nJobs: 1, signal: first.signal });
    index.unbuild();
    let aborted = false;
    const later = index.buildAsync(12, {
      nJobs: 1,
      onProgress: () => {
        if (!aborted) {
          aborted = true;
          first.abort();
        }
      },
    });
    await expect(later).resolves.toBe(index);
    expect(aborted).toBe(true);
    expect(index.getNTrees()).toBe(12);
  });

  it('a timer keeps firing while a ~2 s build runs on native threads', async () => {
    const index = filledIndex('angular', BIG_N, BIG_F);
    const { ticks } = await countTicks(() => index.buildAsync(60, { nJobs: 1 }));
    expect(index.getNTrees()).toBe(60);
    expect(ticks).toBeGreaterThan(20);
  });

  it('the blocking build() lets no timer fire (the tick check can fail)', async () => {
    const index = filledIndex('angular', BIG_N / 4, BIG_F);
    const { ticks } = await countTicks(() => {
      index.build(20, 1);
    });
    expect(ticks).toBe(0);
  });

  describe('errors are rejections (AnnoyError with a code and the caller in the stack)', () => {
    it.each([
      ['nTrees 0', 0, {}, ErrorCodes.INVALID_ARGUMENT],
      ['nTrees -2', -2, {}, ErrorCodes.INVALID_ARGUMENT],
      ['nTrees 1.5', 1.5, {}, ErrorCodes.INVALID_ARGUMENT],
      ['nTrees "3"', '3', {}, ErrorCodes.INVALID_ARGUMENT],
      ['nJobs 0', 3, { nJobs: 0 }, ErrorCodes.INVALID_ARGUMENT],
      ['nJobs 2.5', 3, { nJobs: 2.5 }, ErrorCodes.INVALID_ARGUMENT],
      ['onProgress not a function', 3, { onProgress: 5 }, ErrorCodes.INVALID_ARGUMENT],
    ])('%s -> rejects with %p', async (_name, nTrees, options, code) => {
      const index = unbuilt('euclidean');
      const promise = index.buildAsync(nTrees as number, options as never);
      expect(types.isPromise(promise)).toBe(true);
      const err = await expectRejectCode(promise, code as string);
      expect(err.stack).toContain('build-async.test.ts');
      expect(index.getNTrees()).toBe(0);
      await index.buildAsync(2);
      expect(index.getNTrees()).toBe(2);
    });

    it('options null -> ANNOY_INVALID_ARGUMENT', async () => {
      const index = unbuilt('euclidean');
      await expectRejectCode(index.buildAsync(3, null as never), ErrorCodes.INVALID_ARGUMENT);
      expect(index.getNTrees()).toBe(0);
    });

    it.each([
      ['an object', {}],
      ['a string', 'abort'],
    ])(
      'a signal that is %s (not an AbortSignal) -> ANNOY_INVALID_ARGUMENT, and no build is left running',
      async (_name, signal) => {
        const index = unbuilt('euclidean', 5000, 16);
        const err = await index.buildAsync(20, { nJobs: 1, signal: signal as never }).then(
          () => null,
          (e) => e,
        );
        // Right after the rejection the index must be usable and unchanged (not busy, not building).
        let after: unknown;
        try {
          after = { nItems: index.getNItems(), nTrees: index.getNTrees() };
        } catch (e) {
          after = `threw ${(e as { code?: string }).code}`;
        }
        expect({ name: err?.name, code: err?.code, after }).toEqual({
          name: 'AnnoyError',
          code: ErrorCodes.INVALID_ARGUMENT,
          after: { nItems: 5000, nTrees: 0 },
        });
      },
    );

    it('on a built index -> ANNOY_ALREADY_BUILT, the trees untouched', async () => {
      const index = unbuilt('euclidean').build(3, 1);
      const before = index.serialize();
      const err = await expectRejectCode(index.buildAsync(4), ErrorCodes.ALREADY_BUILT);
      expect(err).toBeInstanceOf(AnnoyError);
      expect(err.stack).toContain('build-async.test.ts');
      expect(index.serialize().equals(before)).toBe(true);
    });

    it('on a loaded index -> ANNOY_READ_ONLY', async () => {
      const file = tmpPath('loaded.ann');
      unbuilt('euclidean').build(3, 1).save(file);
      const index = new Annoy(F, 'euclidean').load(file);
      await expectRejectCode(index.buildAsync(4), ErrorCodes.READ_ONLY);
      expect(index.getNTrees()).toBe(3);
    });

    it('with f = 0 and no items -> ANNOY_DIMENSION_UNKNOWN', async () => {
      await expectRejectCode(new Annoy().buildAsync(4), ErrorCodes.DIMENSION_UNKNOWN);
    });

    it('a second buildAsync while one runs -> ANNOY_BUSY; the first completes', async () => {
      const index = filledIndex('euclidean', BIG_N / 4, BIG_F);
      const first = index.buildAsync(10, { nJobs: 1 });
      const err = await expectRejectCode(index.buildAsync(10), ErrorCodes.BUSY);
      expect(err.stack).toContain('build-async.test.ts');
      await expect(first).resolves.toBe(index);
      expect(index.getNTrees()).toBe(10);
    });
  });

  it('after onDiskBuild(): writes the same file as build()', async () => {
    const a = tmpPath('odb-sync.ann');
    const b = tmpPath('odb-async.ann');
    const sync = new Annoy(F, 'angular');
    sync.setSeed(3);
    sync.onDiskBuild(a);
    vectorsFor('angular', N, F, 3).forEach((v, i) => sync.addItem(i, v));
    sync.build(6, 1);
    const viaAsync = new Annoy(F, 'angular');
    viaAsync.setSeed(3);
    viaAsync.onDiskBuild(b);
    vectorsFor('angular', N, F, 3).forEach((v, i) => viaAsync.addItem(i, v));
    await viaAsync.buildAsync(6, { nJobs: 1 });
    expect(viaAsync.info().on_disk_build).toBe(true);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expect(new Annoy(F, 'angular').load(b).getNnsByItem(0, 5)).toEqual(sync.getNnsByItem(0, 5));
  });

  it('an empty index (f known, no items) builds', async () => {
    const index = new Annoy(4, 'euclidean');
    await index.buildAsync(3, { nJobs: 1 });
    expect(index.getNItems()).toBe(0);
    expect(index.getNnsByVector([0, 0, 0, 0], 3)).toEqual([[], []]);
  });

  it('builds the same as build() for an index with holes', async () => {
    const make = () => {
      const index = new Annoy(F, 'euclidean');
      index.setSeed(5);
      vectorsFor('euclidean', 200, F, 9).forEach((v, i) => {
        if (i % 3 !== 1) index.addItem(i, v);
      });
      return index;
    };
    const viaAsync = await make().buildAsync(5, { nJobs: 1 });
    expect(viaAsync.serialize().equals(make().build(5, 1).serialize())).toBe(true);
    expect(viaAsync.getNnsByItem(0, 1000, -1, false).every((id) => id % 3 !== 1)).toBe(true);
  });
});
