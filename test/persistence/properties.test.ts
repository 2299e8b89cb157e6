// pickleMode / compressMode / prefault / onDiskPath: defaults, aliases, validation.
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import { buildIndex, COMPRESS_MODES, fixture, PICKLE_MODES, px } from '../helpers/persistence';

const SNAKE = { pickleMode: 'pickle_mode', compressMode: 'compress_mode' } as const;
type ModeName = keyof typeof SNAKE;

/** The property reads `value` under both its names. */
function expectBothRead(index: Annoy, name: ModeName, value: unknown): void {
  expect(px(index)[name]).toBe(value);
  expect(px(index)[SNAKE[name]]).toBe(value);
}

/** `mode` set through the camelCase name, and through the snake_case one after `other`, reads back under both. */
function expectAccepted(name: ModeName, mode: unknown, other: unknown): void {
  const a = new Annoy(3, 'euclidean');
  px(a)[name] = mode;
  expectBothRead(a, name, mode);
  const b = new Annoy(3, 'euclidean');
  px(b)[SNAKE[name]] = other;
  px(b)[SNAKE[name]] = mode;
  expectBothRead(b, name, mode);
}

/** Assigning `value` under either name over `old` throws ANNOY_INVALID_ARGUMENT naming every allowed value, and keeps `old`. */
function expectRejected(name: ModeName, value: unknown, old: string, allowed: readonly string[]): void {
  for (const key of [name, SNAKE[name]]) {
    const index = new Annoy(3, 'euclidean');
    px(index)[name] = old;
    const err = expectCode(() => {
      px(index)[key] = value;
    }, ErrorCodes.INVALID_ARGUMENT);
    for (const mode of allowed) expect(err.message).toContain(mode);
    expectBothRead(index, name, old);
  }
}

describe('pickleMode / pickle_mode', () => {
  it("defaults to 'auto' under both names", () => {
    expectBothRead(new Annoy(3, 'euclidean'), 'pickleMode', 'auto');
  });

  it.each(PICKLE_MODES)("accepts '%s' through either name and both names read it", (mode) => {
    expectAccepted('pickleMode', mode, mode === 'auto' ? 'byte' : 'auto');
  });

  const bad: unknown[] = ['tape', '', 'BYTES', 'bytes', 0, 1, null, true, {}, ['byte']];
  it.each(bad.map((v) => [JSON.stringify(v), v]))(
    'rejects %s with ANNOY_INVALID_ARGUMENT listing the allowed values, and keeps the old value',
    (_label, value) => expectRejected('pickleMode', value, 'disk', PICKLE_MODES),
  );
});

describe('compressMode / compress_mode', () => {
  it('defaults to null under both names', () => {
    expectBothRead(new Annoy(3, 'euclidean'), 'compressMode', null);
  });

  it.each(COMPRESS_MODES.map((m) => [String(m), m]))('accepts %s through either name', (_label, mode) => {
    expectAccepted('compressMode', mode, mode === 'gzip' ? 'zlib' : 'gzip');
  });

  it('can go back to null after a compressor was set', () => {
    const index = new Annoy(3, 'euclidean');
    index.compressMode = 'brotli';
    index.compressMode = null;
    expect(index.compressMode).toBeNull();
  });

  const bad: unknown[] = ['lz4', 'ZIP', 'deflate', 'br', '', 0, 1, true, {}, ['gzip']];
  it.each(bad.map((v) => [JSON.stringify(v), v]))(
    'rejects %s with ANNOY_INVALID_ARGUMENT listing the allowed values, and keeps the old value',
    (_label, value) => expectRejected('compressMode', value, 'gzip', ['zlib', 'gzip', 'brotli']),
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
