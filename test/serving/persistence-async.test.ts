// loadAsync / saveAsync / serializeAsync: the same results as load / save / serialize, errors as
// rejections with the caller's stack, and the index unchanged after a failure.
import * as fs from 'fs';
import { pathToFileURL } from 'url';

import { Annoy, AnnoyError, ErrorCodes } from '../../lib';
import { expectCode, snapshot, tmpPath } from '../helpers/tmp';
import { builtIndex, expectRejectCode, METRICS, vectorsFor } from '../helpers/serving';

const F = 10;
const N = 500;

function answers(index: Annoy, metric: string): unknown {
  const probes = vectorsFor(metric as never, 4, F, 77);
  return {
    nItems: index.getNItems(),
    nTrees: index.getNTrees(),
    byItem: [0, 1, 250, N - 1].map((i) => index.getNnsByItem(i, 8)),
    byVector: probes.map((v) => index.getNnsByVector(v, 8)),
    vector: index.getItemVector(3),
  };
}

describe('Annoy#loadAsync()', () => {
  it.each(METRICS)('%s: answers exactly like load() of the same file', async (metric) => {
    const { index } = builtIndex(metric, N, F, { trees: 6 });
    const file = tmpPath(`${metric}.ann`);
    index.save(file);
    const viaSync = new Annoy(F, metric).load(file);
    const viaAsync = new Annoy(F, metric);
    const returned = await viaAsync.loadAsync(file);
    expect(returned).toBe(viaAsync);
    expect(viaAsync.onDiskPath).toBe(file);
    const info = viaAsync.info();
    expect(info.loaded).toBe(true);
    expect(info.built).toBe(true);
    expect(info.n_items).toBe(viaSync.info().n_items);
    expect(info.memory_usage_byte).toBe(viaSync.info().memory_usage_byte);
    expect(answers(viaAsync, metric)).toEqual(answers(viaSync, metric));
    expect(viaAsync.serialize().equals(viaSync.serialize())).toBe(true);
  });

  it('{ prefault: true } and a file: URL load the same index', async () => {
    const { index } = builtIndex('euclidean', N, F, { trees: 4 });
    const file = tmpPath('prefault.ann');
    index.save(file);
    const a = await new Annoy(F, 'euclidean').loadAsync(file, { prefault: true });
    const b = await new Annoy(F, 'euclidean').loadAsync(pathToFileURL(file));
    expect(answers(a, 'euclidean')).toEqual(answers(index, 'euclidean'));
    expect(answers(b, 'euclidean')).toEqual(answers(index, 'euclidean'));
    expect(b.onDiskPath).toBe(file);
  });

  it('several indexes loading the same file at once all serve it', async () => {
    const { index } = builtIndex('hamming', N, F, { trees: 4 });
    const file = tmpPath('shared.ann');
    index.save(file);
    const loaded = await Promise.all(
      Array.from({ length: 6 }, (_, i) => new Annoy(F, 'hamming').loadAsync(file, { prefault: i % 2 === 0 })),
    );
    for (const l of loaded) expect(answers(l, 'hamming')).toEqual(answers(index, 'hamming'));
  });

  it('replaces what the index held before, like load()', async () => {
    const { index: small } = builtIndex('euclidean', 50, F, { trees: 2, dataSeed: 1 });
    const { index: big } = builtIndex('euclidean', N, F, { trees: 3, dataSeed: 2 });
    const file = tmpPath('replace.ann');
    big.save(file);
    await small.loadAsync(file);
    expect(small.getNItems()).toBe(N);
    expect(small.getNTrees()).toBe(3);
  });

  it('a missing file rejects with ANNOY_IO (errno, path) and the index is unchanged', async () => {
    const { index } = builtIndex('angular', 60, F, { trees: 2 });
    const before = snapshot(index);
    const missing = tmpPath('missing.ann');
    const err = await expectRejectCode(index.loadAsync(missing), ErrorCodes.IO);
    expect(err).toBeInstanceOf(AnnoyError);
    expect(err.path).toBe(missing);
    expect(typeof err.errno).toBe('number');
    expect(err.stack).toContain('persistence-async.test.ts');
    expect(snapshot(index)).toEqual(before);
  });

  it('a file of another dimension rejects with ANNOY_INVALID_FILE; an empty file too', async () => {
    const { index } = builtIndex('euclidean', 100, F, { trees: 2 });
    const file = tmpPath('f10.ann');
    index.save(file);
    const empty = tmpPath('empty.ann');
    fs.writeFileSync(empty, Buffer.alloc(0));
    const other = new Annoy(F + 3, 'euclidean');
    await expectRejectCode(other.loadAsync(file), ErrorCodes.INVALID_FILE);
    await expectRejectCode(other.loadAsync(empty), ErrorCodes.INVALID_FILE);
    expect(other.getNItems()).toBe(0);
    expect(other.info().loaded).toBe(false);
  });

  it('f = 0 rejects with ANNOY_DIMENSION_UNKNOWN; bad arguments with ANNOY_INVALID_ARGUMENT', async () => {
    const { index } = builtIndex('euclidean', 30, F, { trees: 2 });
    const file = tmpPath('dim.ann');
    index.save(file);
    await expectRejectCode(new Annoy().loadAsync(file), ErrorCodes.DIMENSION_UNKNOWN);
    await expectRejectCode(new Annoy(F, 'euclidean').loadAsync(42 as never), ErrorCodes.INVALID_ARGUMENT);
    await expectRejectCode(new Annoy(F, 'euclidean').loadAsync(''), ErrorCodes.INVALID_ARGUMENT);
    await expectRejectCode(
      new Annoy(F, 'euclidean').loadAsync(file, { prefault: 'yes' as never }),
      ErrorCodes.INVALID_ARGUMENT,
    );
  });

  it('options null -> ANNOY_INVALID_ARGUMENT', async () => {
    const { index } = builtIndex('euclidean', 30, F, { trees: 2 });
    const file = tmpPath('null-opts.ann');
    index.save(file);
    const other = new Annoy(F, 'euclidean');
    await expectRejectCode(other.loadAsync(file, null as never), ErrorCodes.INVALID_ARGUMENT);
    expect(other.getNItems()).toBe(0);
  });
});

describe('Annoy#saveAsync()', () => {
  it.each(METRICS)('%s: writes the same bytes as save() and then serves the file read-only', async (metric) => {
    const a = builtIndex(metric, N, F, { trees: 5 }).index;
    const b = builtIndex(metric, N, F, { trees: 5 }).index;
    const fileSync = tmpPath(`${metric}-sync.ann`);
    const fileAsync = tmpPath(`${metric}-async.ann`);
    a.save(fileSync);
    const returned = await b.saveAsync(fileAsync);
    expect(returned).toBe(b);
    expect(fs.readFileSync(fileAsync).equals(fs.readFileSync(fileSync))).toBe(true);
    expect(b.onDiskPath).toBe(fileAsync);
    expect(b.info().loaded).toBe(a.info().loaded);
    expect(answers(b, metric)).toEqual(answers(a, metric));
    // Read-only afterwards, as after save().
    expectCode(() => b.unbuild(), ErrorCodes.READ_ONLY);
  });

  it('{ prefault: true } writes the same bytes', async () => {
    const { index } = builtIndex('manhattan', N, F, { trees: 3 });
    const ref = tmpPath('ref.ann');
    builtIndex('manhattan', N, F, { trees: 3 }).index.save(ref);
    const file = tmpPath('prefault-save.ann');
    await index.saveAsync(file, { prefault: true });
    expect(fs.readFileSync(file).equals(fs.readFileSync(ref))).toBe(true);
  });

  it('before build rejects with ANNOY_NOT_BUILT and writes nothing', async () => {
    const index = new Annoy(F, 'euclidean');
    index.addItems(vectorsFor('euclidean', 20, F, 1));
    const file = tmpPath('not-built.ann');
    const err = await expectRejectCode(index.saveAsync(file), ErrorCodes.NOT_BUILT);
    expect(err.stack).toContain('persistence-async.test.ts');
    expect(fs.existsSync(file)).toBe(false);
    expect(index.getNItems()).toBe(20);
  });

  it('into a missing directory rejects with ANNOY_IO; the index keeps serving from memory', async () => {
    const { index } = builtIndex('euclidean', 80, F, { trees: 2 });
    const before = snapshot(index);
    const err = await expectRejectCode(index.saveAsync(tmpPath('no-such-dir') + '/x.ann'), ErrorCodes.IO);
    expect(typeof err.errno).toBe('number');
    expect(snapshot(index)).toEqual(before);
    expect(index.onDiskPath).toBeNull();
  });

  it('bad arguments reject with ANNOY_INVALID_ARGUMENT', async () => {
    const { index } = builtIndex('euclidean', 30, F, { trees: 2 });
    await expectRejectCode(index.saveAsync(undefined as never), ErrorCodes.INVALID_ARGUMENT);
    await expectRejectCode(index.saveAsync(tmpPath(), { prefault: 2 as never }), ErrorCodes.INVALID_ARGUMENT);
  });

  it('options null -> ANNOY_INVALID_ARGUMENT', async () => {
    const { index } = builtIndex('euclidean', 30, F, { trees: 2 });
    const file = tmpPath('null-opts-save.ann');
    await expectRejectCode(index.saveAsync(file, null as never), ErrorCodes.INVALID_ARGUMENT);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('Annoy#serializeAsync()', () => {
  it.each(METRICS)('%s: the same bytes as serialize(), and they deserialize to the same answers', async (metric) => {
    const { index } = builtIndex(metric, N, F, { trees: 4 });
    const bytes = await index.serializeAsync();
    expect(Buffer.isBuffer(bytes)).toBe(true);
    const sync = index.serialize();
    expect(bytes.length).toBe(sync.length);
    expect(Buffer.compare(bytes, sync)).toBe(0);
    const copy = new Annoy(F, metric).deserialize(bytes);
    expect(answers(copy, metric)).toEqual(answers(index, metric));
  });

  it('an unbuilt index with items and a loaded index serialize the same as serialize()', async () => {
    const unbuilt = new Annoy(F, 'dot');
    unbuilt.addItems(vectorsFor('dot', 40, F, 2));
    expect(Buffer.compare(await unbuilt.serializeAsync(), unbuilt.serialize())).toBe(0);

    const { index } = builtIndex('angular', 200, F, { trees: 3 });
    const file = tmpPath('ser.ann');
    index.save(file);
    const loaded = new Annoy(F, 'angular').load(file);
    expect(Buffer.compare(await loaded.serializeAsync(), loaded.serialize())).toBe(0);
  });

  it('the Buffer outlives the index and is independent of it', async () => {
    const { index } = builtIndex('euclidean', 100, F, { trees: 2 });
    const bytes = await index.serializeAsync();
    const copy = Buffer.from(bytes);
    index.unload();
    expect(Buffer.compare(bytes, copy)).toBe(0);
    expect(new Annoy(F, 'euclidean').deserialize(bytes).getNItems()).toBe(100);
  });

  it('f = 0 with no items rejects with ANNOY_DIMENSION_UNKNOWN', async () => {
    const err = await expectRejectCode(new Annoy().serializeAsync(), ErrorCodes.DIMENSION_UNKNOWN);
    expect(err).toBeInstanceOf(AnnoyError);
    expect(err.stack).toContain('persistence-async.test.ts');
  });
});
