// pickleMode / compressMode / prefault / onDiskPath: defaults, aliases, validation.
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import { buildIndex, COMPRESS_MODES, fixture, PICKLE_MODES, px } from '../helpers/persistence';

describe('pickleMode / pickle_mode', () => {
  it("defaults to 'auto' under both names", () => {
    const index = new Annoy(3, 'euclidean');
    expect(px(index).pickleMode).toBe('auto');
    expect(px(index).pickle_mode).toBe('auto');
  });

  it.each(PICKLE_MODES)("accepts '%s' through either name and both names read it", (mode) => {
    const a = new Annoy(3, 'euclidean');
    px(a).pickleMode = mode;
    expect(px(a).pickleMode).toBe(mode);
    expect(px(a).pickle_mode).toBe(mode);
    const b = new Annoy(3, 'euclidean');
    px(b).pickle_mode = mode === 'auto' ? 'byte' : 'auto';
    px(b).pickle_mode = mode;
    expect(px(b).pickleMode).toBe(mode);
    expect(px(b).pickle_mode).toBe(mode);
  });

  const bad: unknown[] = ['tape', '', 'BYTES', 'bytes', 0, 1, null, true, {}, ['byte']];
  it.each(bad.map((v) => [JSON.stringify(v), v]))(
    'rejects %s with ANNOY_INVALID_ARGUMENT listing the allowed values, and keeps the old value',
    (_label, value) => {
      for (const name of ['pickleMode', 'pickle_mode']) {
        const index = new Annoy(3, 'euclidean');
        px(index).pickleMode = 'disk';
        const err = expectCode(() => {
          px(index)[name] = value;
        }, ErrorCodes.INVALID_ARGUMENT);
        for (const allowed of PICKLE_MODES) expect(err.message).toContain(allowed);
        expect(px(index).pickleMode).toBe('disk');
        expect(px(index).pickle_mode).toBe('disk');
      }
    },
  );
});

describe('compressMode / compress_mode', () => {
  it('defaults to null under both names', () => {
    const index = new Annoy(3, 'euclidean');
    expect(px(index).compressMode).toBeNull();
    expect(px(index).compress_mode).toBeNull();
  });

  it.each(COMPRESS_MODES.map((m) => [String(m), m]))('accepts %s through either name', (_label, mode) => {
    const a = new Annoy(3, 'euclidean');
    px(a).compressMode = mode;
    expect(px(a).compressMode).toBe(mode);
    expect(px(a).compress_mode).toBe(mode);
    const b = new Annoy(3, 'euclidean');
    px(b).compress_mode = mode === 'gzip' ? 'zlib' : 'gzip';
    px(b).compress_mode = mode;
    expect(px(b).compressMode).toBe(mode);
    expect(px(b).compress_mode).toBe(mode);
  });

  it('can go back to null after a compressor was set', () => {
    const index = new Annoy(3, 'euclidean');
    px(index).compressMode = 'brotli';
    px(index).compressMode = null;
    expect(px(index).compressMode).toBeNull();
  });

  const bad: unknown[] = ['lz4', 'ZIP', 'deflate', 'br', '', 0, 1, true, {}, ['gzip']];
  it.each(bad.map((v) => [JSON.stringify(v), v]))(
    'rejects %s with ANNOY_INVALID_ARGUMENT listing the allowed values, and keeps the old value',
    (_label, value) => {
      for (const name of ['compressMode', 'compress_mode']) {
        const index = new Annoy(3, 'euclidean');
        px(index).compressMode = 'gzip';
        const err = expectCode(() => {
          px(index)[name] = value;
        }, ErrorCodes.INVALID_ARGUMENT);
        for (const allowed of ['zlib', 'gzip', 'brotli']) expect(err.message).toContain(allowed);
        expect(px(index).compressMode).toBe('gzip');
        expect(px(index).compress_mode).toBe('gzip');
      }
    },
  );
});

describe('prefault', () => {
  it('defaults to false and takes booleans', () => {
    const index = new Annoy(3, 'euclidean');
    expect(index.prefault).toBe(false);
    index.prefault = true;
    expect(index.prefault).toBe(true);
    index.prefault = false;
    expect(index.prefault).toBe(false);
  });

  it('rejects a non-boolean with ANNOY_INVALID_ARGUMENT and keeps the old value', () => {
    const index = new Annoy(3, 'euclidean');
    index.prefault = true;
    expectCode(() => {
      px(index).prefault = 'yes';
    }, ErrorCodes.INVALID_ARGUMENT);
    expect(index.prefault).toBe(true);
  });
});

describe('onDiskPath / on_disk_path', () => {
  function tryAssign(index: Annoy, name: string, value: unknown): void {
    try {
      px(index)[name] = value;
    } catch {
      // a TypeError in strict mode is allowed; only the value matters
    }
  }

  it('is null for a new index and cannot be assigned', () => {
    const index = new Annoy(3, 'euclidean');
    expect(index.onDiskPath).toBeNull();
    expect(px(index).on_disk_path).toBeNull();
    tryAssign(index, 'onDiskPath', '/tmp/elsewhere.ann');
    tryAssign(index, 'on_disk_path', '/tmp/elsewhere.ann');
    expect(index.onDiskPath).toBeNull();
    expect(px(index).on_disk_path).toBeNull();
  });

  it('is the saved, loaded or on-disk-built file, and assignment does not change it', () => {
    const fx = fixture('euclidean', 50);
    const saved = buildIndex(fx);
    const p1 = tmpPath();
    saved.save(p1);
    const loaded = new Annoy(fx.f, 'euclidean').load(p1);
    const p2 = tmpPath();
    const onDisk = new Annoy(fx.f, 'euclidean').onDiskBuild(p2);
    fx.items.forEach((v, i) => onDisk.addItem(i, v));
    onDisk.build(3, 1);
    for (const [index, p] of [
      [saved, p1],
      [loaded, p1],
      [onDisk, p2],
    ] as const) {
      expect(index.onDiskPath).toBe(p);
      expect(px(index).on_disk_path).toBe(p);
      tryAssign(index, 'onDiskPath', null);
      tryAssign(index, 'on_disk_path', '/tmp/elsewhere.ann');
      expect(index.onDiskPath).toBe(p);
      expect(px(index).on_disk_path).toBe(p);
    }
  });
});
