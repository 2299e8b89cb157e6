// Every failure of the persistence layer is an AnnoyError with the contract's code; a failed
// restore gives nothing back and leaves existing indexes as they were.
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as zlib from 'zlib';
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, snapshot, tmpDir, tmpPath } from '../helpers/tmp';
import { Rng } from '../helpers/random';
import {
  answers,
  buildIndex,
  COMPRESS_MODES,
  CompressMode,
  compress,
  configure,
  decompress,
  dumps,
  FILE_CHANGED,
  fixture,
  flipBit,
  fromState,
  INVALID_STATE,
  loads,
  nodeSize,
  PickleState,
  px,
  toState,
  withFields,
  withPayload,
} from '../helpers/persistence';

const CORRUPT = ErrorCodes.CORRUPT;
const FX = fixture('euclidean', 150);

function byteState(cm: CompressMode = null): PickleState {
  return toState(configure(buildIndex(FX, { trees: 3 }), { pickleMode: 'byte', compressMode: cm }));
}

function diskState(): { state: PickleState; file: string; index: Annoy } {
  const file = tmpPath();
  const index = buildIndex(FX, { trees: 3 }).save(file);
  px(index).pickleMode = 'disk';
  return { state: toState(index), file, index };
}

function randomBytes(n: number, seed: number): Buffer {
  const rng = new Rng(seed);
  return Buffer.from(Array.from({ length: n }, () => rng.int(256)));
}

/** Positions where flipping bit 3 really changes what a standard decompressor yields. */
function meaningfulFlips(cm: CompressMode, bytes: Uint8Array): number[] {
  const candidates = new Set<number>([0, 1, bytes.length - 1]);
  for (let k = 1; k < 16; k++) candidates.add(Math.floor((bytes.length * k) / 16));
  const original = decompress(cm, bytes);
  return [...candidates].filter((pos) => {
    if (cm === null) return true;
    try {
      return !decompress(cm, flipBit(bytes, pos, 3)).equals(original);
    } catch {
      return true;
    }
  });
}

/** Runs every case, then reports all that did not throw `code` at once. */
function expectAllRejected(cases: Array<[string, () => unknown]>, code: string | readonly string[]): void {
  const failures: string[] = [];
  for (const [label, fn] of cases) {
    try {
      expectCode(fn, code);
    } catch (e) {
      failures.push(`${label}: ${(e as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
}

describe("pickleMode 'disk' with no known path", () => {
  it.each([
    ['a built in-memory index', () => buildIndex(FX)],
    ['an unbuilt index', () => buildIndex(FX, { build: false })],
    ['an empty index', () => new Annoy(4, 'angular')],
  ])('%s: toState() and dumps() throw ANNOY_INVALID_STATE and change nothing', (_label, make) => {
    const index = make();
    px(index).pickleMode = 'disk';
    const before = snapshot(index);
    expectCode(() => toState(index), INVALID_STATE);
    expectCode(() => dumps(index), INVALID_STATE);
    expect(snapshot(index)).toEqual(before);
    expect(px(index).pickleMode).toBe('disk');
    // 'byte' still works afterwards (for an index that holds items)
    if (index.getNItems() > 0) {
      px(index).pickleMode = 'byte';
      expect(toState(index).mode).toBe('byte');
    }
  });

  it('after unload() the path is forgotten: disk mode fails again', () => {
    const { index } = diskState();
    index.unload();
    expectCode(() => toState(index), INVALID_STATE);
  });
});

describe('a disk state whose file is gone', () => {
  it('fromState throws ANNOY_IO with errno 2 and the path; loads() of its dump too', () => {
    const { state, file, index } = diskState();
    const dumped = dumps(index);
    fs.unlinkSync(file);
    const err = expectCode(() => fromState(state), ErrorCodes.IO);
    expect(err.errno).toBe(2);
    expect(err.path).toBe(file);
    const err2 = expectCode(() => loads(dumped), ErrorCodes.IO);
    expect(err2.errno).toBe(2);
  });

  it('fromState of a path in a directory that is gone: ANNOY_IO errno 2', () => {
    const dir = path.join(tmpDir(), `gone-${Date.now()}`);
    fs.mkdirSync(dir);
    const file = path.join(dir, 'x.ann');
    const index = buildIndex(FX).save(file);
    const state = toState(index);
    expect(state.mode).toBe('disk');
    index.unload();
    fs.rmSync(dir, { recursive: true });
    expect(expectCode(() => fromState(state), ErrorCodes.IO).errno).toBe(2);
  });
});

/** How often `file` is open (/proc/self/fd) or mapped (/proc/self/maps) in this process (Linux). */
function holdsOn(file: string): { fds: number; maps: number } {
  const real = fs.realpathSync(file);
  let fds = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) === real) fds += 1;
    } catch {
      // closed while listing
    }
  }
  const maps = fs
    .readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(` ${real}`)).length;
  return { fds, maps };
}

describe('a failed disk restore holds on to nothing', () => {
  const onLinux = process.platform === 'linux';

  it('FILE_CHANGED and ANNOY_CORRUPT restores leave no open descriptor and no mapping of the file', () => {
    expect(onLinux).toBe(true); // /proc is how this is observed
    const { state, file, index } = diskState();
    index.unload();
    expect(holdsOn(file)).toEqual({ fds: 0, maps: 0 });
    // the control: a successful restore maps the file, unload() lets it go
    const ok = fromState(state);
    expect(holdsOn(file).maps).toBeGreaterThan(0);
    ok.unload();
    expect(holdsOn(file)).toEqual({ fds: 0, maps: 0 });

    const content = fs.readFileSync(file);
    content[Math.floor(content.length / 2)] ^= 1;
    fs.writeFileSync(file, content);
    for (let k = 0; k < 3; k++) expectCode(() => fromState(state), FILE_CHANGED);
    expect(holdsOn(file)).toEqual({ fds: 0, maps: 0 });
    expectCode(() => fromState(withFields(state, { f: 0 })), CORRUPT);
    expectCode(
      () => fromState(withFields(state, { metric: 'dot' })),
      [CORRUPT, ErrorCodes.METRIC_MISMATCH, ErrorCodes.INVALID_FILE, FILE_CHANGED],
    );
    expect(holdsOn(file)).toEqual({ fds: 0, maps: 0 });
  });
});

describe('a disk state whose file changed since toState()', () => {
  it('different size (another index saved over it) -> ANNOY_FILE_CHANGED', () => {
    const { state, file } = diskState();
    const size = fs.statSync(file).size;
    const other = buildIndex(fixture('euclidean', 90, 99), { trees: 2 });
    other.save(file);
    expect(fs.statSync(file).size).not.toBe(size);
    expectCode(() => fromState(state), FILE_CHANGED);
  });

  it('truncated in place -> ANNOY_FILE_CHANGED', () => {
    const { state, file, index } = diskState();
    index.unload(); // nobody maps it any more
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - nodeSize('euclidean', FX.f));
    expectCode(() => fromState(state), FILE_CHANGED);
  });

  it('same size, different bytes (mtime moves) -> ANNOY_FILE_CHANGED', () => {
    const { state, file } = diskState();
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    try {
      const b = Buffer.alloc(1);
      fs.readSync(fd, b, 0, 1, Math.floor(size / 2));
      b[0] ^= 0xff;
      fs.writeSync(fd, b, 0, 1, Math.floor(size / 2));
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.statSync(file).size).toBe(size);
    expectCode(() => fromState(state), FILE_CHANGED);
  });

  it('same size, different bytes, with the old mtime put back -> ANNOY_FILE_CHANGED', () => {
    const file = tmpPath();
    const index = buildIndex(FX, { trees: 3 }).save(file);
    // a whole-second mtime, so that it can be put back exactly
    const T = Math.floor(Date.now() / 1000) - 3600;
    fs.utimesSync(file, T, T);
    px(index).pickleMode = 'disk';
    const state = toState(index);
    const st = fs.statSync(file, { bigint: true });
    const content = fs.readFileSync(file);
    // an item vector component, far from any header: a quiet change of data
    content[Math.floor(content.length / 3)] ^= 0x10;
    fs.writeFileSync(file, content);
    fs.utimesSync(file, T, T);
    const after = fs.statSync(file, { bigint: true });
    expect(after.size).toBe(st.size);
    expect(after.mtimeNs).toBe(st.mtimeNs);
    expectCode(() => fromState(state), FILE_CHANGED);
  });

  it('a file that did not change (identical bytes written again) still restores', () => {
    const { state, file, index } = diskState();
    const expected = answers(index, FX);
    const content = fs.readFileSync(file);
    const tmp = `${file}.copy`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file); // a new inode and mtime, the same bytes
    expect(answers(fromState(state), FX)).toEqual(expected);
  });
});

describe('toState() of an index whose file was replaced or deleted after it was mapped', () => {
  // The index still serves the old (mapped) contents. A disk state must not silently describe
  // whatever now lies at the path: toState() either refuses with an AnnoyError, or gives a state
  // that restores this index's answers.
  function expectRefusedOrFaithful(index: Annoy, expected: unknown): void {
    let state: PickleState;
    try {
      state = toState(index);
    } catch (e) {
      const err = e as { name?: string; code?: string; message?: string };
      expect(`${err.name}: ${err.code}`).toMatch(/^AnnoyError: ANNOY_(FILE_CHANGED|INVALID_STATE|IO)$/);
      return;
    }
    let restored: Annoy;
    try {
      restored = fromState(state);
    } catch (e) {
      const err = e as { name?: string; code?: string; message?: string };
      throw new Error(
        `toState() accepted the index, but its state does not restore: ${err.name}(${err.code}): ${err.message}`,
        { cause: e },
      );
    }
    const same = JSON.stringify(answers(restored, FX)) === JSON.stringify(expected);
    expect(same ? 'restores this index' : `the state (mode ${state.mode}) restores a different index`).toBe(
      'restores this index',
    );
  }

  it.each(['auto', 'disk'] as const)("pickleMode '%s': another index saved over the file", (mode) => {
    const file = tmpPath();
    const index = buildIndex(FX, { trees: 3 }).save(file);
    const expected = answers(index, FX);
    buildIndex(fixture('euclidean', 150, 1234), { trees: 3 }).save(file);
    px(index).pickleMode = mode;
    expect(answers(index, FX)).toEqual(expected); // still serving its own mapping
    expectRefusedOrFaithful(index, expected);
  });

  it.each(['auto', 'disk'] as const)("pickleMode '%s': the file was deleted", (mode) => {
    const file = tmpPath();
    const index = buildIndex(FX, { trees: 3 }).save(file);
    const expected = answers(index, FX);
    fs.unlinkSync(file);
    px(index).pickleMode = mode;
    expectRefusedOrFaithful(index, expected);
    const err = (() => {
      try {
        dumps(index);
        return null;
      } catch (e) {
        return e as { name?: string };
      }
    })();
    if (err) expect(err.name).toBe('AnnoyError');
  });
});

describe('altered state.bytes given to fromState -> ANNOY_CORRUPT', () => {
  it.each(COMPRESS_MODES.map((cm) => [String(cm), cm] as const))('compressMode %s: truncated', (_l, cm) => {
    const state = byteState(cm);
    const bytes = state.bytes as Uint8Array;
    const lengths = [0, 1, 10, 64, Math.floor(bytes.length / 2), bytes.length - 4, bytes.length - 1];
    expectAllRejected(
      lengths.flatMap((n): Array<[string, () => unknown]> => [
        [`first ${n} of ${bytes.length} bytes`, () => fromState({ ...state, bytes: bytes.slice(0, n) })],
        [
          `first ${n} of ${bytes.length} bytes, sizes forged to match`,
          () => fromState(withPayload(state, bytes.slice(0, n))),
        ],
      ]),
      CORRUPT,
    );
  });

  it.each(COMPRESS_MODES.map((cm) => [String(cm), cm] as const))('compressMode %s: one bit flipped', (_l, cm) => {
    const state = byteState(cm);
    const bytes = state.bytes as Uint8Array;
    const positions = meaningfulFlips(cm, bytes);
    expect(positions.length).toBeGreaterThanOrEqual(10);
    expectAllRejected(
      positions.map((pos) => [
        `bit 3 of byte ${pos}/${bytes.length}`,
        () => fromState({ ...state, bytes: flipBit(bytes, pos, 3) }),
      ]),
      CORRUPT,
    );
  });

  it.each(COMPRESS_MODES.map((cm) => [String(cm), cm] as const))('compressMode %s: foreign bytes', (_l, cm) => {
    const state = byteState(cm);
    const bytes = state.bytes as Uint8Array;
    const rawSize = state.rawSize;
    const annFile = tmpPath();
    buildIndex(FX).save(annFile);
    const annBytes = fs.readFileSync(annFile);
    const junk = randomBytes(bytes.length, 5);
    const cases: Array<[string, () => unknown]> = [
      ['random bytes of the same length', () => fromState(withPayload(state, junk))],
      [
        'an Annoy file',
        () => fromState(withPayload(state, cm === null ? annBytes : compress(cm, annBytes), annBytes.length)),
      ],
      ['JSON text', () => fromState(withPayload(state, Buffer.from(JSON.stringify({ f: 10, metric: 'euclidean' }))))],
    ];
    if (cm !== null) {
      // well-formed streams that hold garbage, with a matching declared size
      const raw = randomBytes(rawSize as number, 6);
      cases.push(['a valid stream of random data', () => fromState(withPayload(state, compress(cm, raw)))]);
      // the right data in the wrong format
      const other = cm === 'zlib' ? 'gzip' : cm === 'gzip' ? 'brotli' : 'zlib';
      const wrong = compress(other, decompress(cm, bytes));
      cases.push([`${other} bytes labelled ${cm}`, () => fromState(withPayload(state, wrong))]);
      cases.push([
        'uncompressed bytes labelled compressed',
        () => fromState(withPayload(state, decompress(cm, bytes))),
      ]);
    } else {
      cases.push(['zlib bytes labelled uncompressed', () => fromState(withPayload(state, compress('zlib', bytes)))]);
    }
    expectAllRejected(cases, [CORRUPT]);
  });
});

function byteStateOtherF(cm: CompressMode): PickleState {
  const index = new Annoy(7, 'euclidean');
  for (let i = 0; i < 100; i++) index.addItem(i, [i, 1, 2, 3, 4, 5, i % 3]);
  return toState(configure(index.build(2, 1), { pickleMode: 'byte', compressMode: cm }));
}

describe('ill-typed or missing state fields', () => {
  let state: PickleState;
  let zstate: PickleState;
  let dstate: PickleState;
  beforeAll(() => {
    state = byteState();
    zstate = byteState('zlib');
    dstate = diskState().state;
  });
  const bad = (label: string, s: unknown): [string, () => unknown] => [label, () => fromState(s)];

  it('byte payload missing or of the wrong type -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      [
        bad('no bytes', withFields(state, { bytes: undefined })),
        bad('bytes: null', withFields(state, { bytes: null })),
        bad('bytes: a string', withFields(state, { bytes: 'AAAA' })),
        bad('bytes: a number', withFields(state, { bytes: 123 })),
        bad(
          'bytes: an array of numbers',
          withFields(state, { bytes: Array.from((state.bytes as Uint8Array).subarray(0, 100)) }),
        ),
        bad('bytes: an object', withFields(state, { bytes: { length: 10 } })),
      ],
      CORRUPT,
    );
  });

  it('f <= 0, not an integer or not a number -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      [0, -1, -10, 1.5, NaN, Infinity, '10', null, undefined].map((f) =>
        bad(`f: ${String(f)}`, withFields(state, { f })),
      ),
      CORRUPT,
    );
  });

  it('f that disagrees with the payload -> ANNOY_CORRUPT (or ANNOY_DIMENSION_MISMATCH)', () => {
    const other = byteStateOtherF(null);
    const zother = byteStateOtherF('zlib');
    expectAllRejected(
      [
        bad('f + 1', withFields(state, { f: state.f + 1 })),
        bad('f - 1', withFields(state, { f: state.f - 1 })),
        bad('the bytes of an index with f = 7', withPayload(state, other.bytes as Uint8Array)),
        bad('the zlib bytes of an index with f = 7', withPayload(zstate, zother.bytes as Uint8Array, zother.rawSize)),
      ],
      [CORRUPT, ErrorCodes.DIMENSION_MISMATCH],
    );
  });

  it('unknown or missing metric -> ANNOY_CORRUPT or ANNOY_UNKNOWN_METRIC', () => {
    expectAllRejected(
      ['foo', '', 'euclidean2', 7, null, undefined].map((metric) =>
        bad(`metric: ${String(metric)}`, withFields(state, { metric })),
      ),
      [CORRUPT, ErrorCodes.UNKNOWN_METRIC],
    );
  });

  it('a metric that disagrees with the payload -> ANNOY_CORRUPT (or ANNOY_METRIC_MISMATCH)', () => {
    expectAllRejected(
      ['angular', 'manhattan', 'dot'].map((metric) => bad(`metric: ${metric}`, withFields(state, { metric }))),
      [CORRUPT, ErrorCodes.METRIC_MISMATCH],
    );
  });

  it('unknown or missing mode -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      ['tape', '', 'BYTE', 1, null, undefined].map((mode) => bad(`mode: ${String(mode)}`, withFields(state, { mode }))),
      CORRUPT,
    );
  });

  it('a version from the future, or none -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      [state.version + 1, state.version + 100, 2 ** 31, 0, -1, 1.5, '1', null, undefined].map((version) =>
        bad(`version: ${String(version)}`, withFields(state, { version })),
      ),
      CORRUPT,
    );
  });

  it('unknown compressMode -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      ['lz4', 'ZIP', '', 1, true].map((compressMode) =>
        bad(`compressMode: ${String(compressMode)}`, withFields(zstate, { compressMode })),
      ),
      CORRUPT,
    );
  });

  it('a compressed state with a missing or wrong rawSize -> ANNOY_CORRUPT', () => {
    const n = zstate.rawSize as number;
    expectAllRejected(
      [undefined, null, n + 1, n - 1, 0, -1, 1.5, NaN, Infinity, String(n)].map((rawSize) =>
        bad(`rawSize: ${String(rawSize)}`, withFields(zstate, { rawSize })),
      ),
      CORRUPT,
    );
  });

  it('ill-typed prefault or seed -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      [
        bad("prefault: 'yes'", withFields(state, { prefault: 'yes' })),
        bad('prefault: 1', withFields(state, { prefault: 1 })),
        bad("seed: 'abc'", withFields(state, { seed: 'abc' })),
        bad('seed: -1n', withFields(state, { seed: -1n })),
        bad('seed: 2n ** 64n', withFields(state, { seed: 2n ** 64n })),
      ],
      CORRUPT,
    );
  });

  it('a disk state with no path or a non-string path -> ANNOY_CORRUPT', () => {
    expectAllRejected(
      [undefined, null, 42, ['a'], { path: 'x' }].map((p) =>
        bad(`path: ${JSON.stringify(p)}`, withFields(dstate, { path: p })),
      ),
      CORRUPT,
    );
  });

  it('not an object at all -> ANNOY_CORRUPT or ANNOY_INVALID_ARGUMENT', () => {
    expectAllRejected(
      [null, undefined, 42, 'state', [], true, new Uint8Array(10)].map((s) => bad(`state: ${String(s)}`, s)),
      [CORRUPT, ErrorCodes.INVALID_ARGUMENT],
    );
  });

  it('the intact states still restore (the cases above test only the altered field)', () => {
    expect(fromState(state).getNItems()).toBe(FX.items.length);
    expect(fromState(zstate).getNItems()).toBe(FX.items.length);
    expect(fromState(dstate).getNItems()).toBe(FX.items.length);
  });
});

describe('Annoy.loads() of bad bytes -> ANNOY_CORRUPT', () => {
  it.each([null, 'zlib'] as const)('compressMode %s: truncated', (cm) => {
    const bytes = dumps(configure(buildIndex(FX), { compressMode: cm }));
    const lengths = [0, 1, 4, 8, 16, 64, Math.floor(bytes.length / 2), bytes.length - 8, bytes.length - 1];
    expectAllRejected(
      lengths.map((n) => [`first ${n} of ${bytes.length} bytes`, () => loads(bytes.subarray(0, n))]),
      CORRUPT,
    );
  });

  it.each([null, 'zlib'] as const)('compressMode %s: one bit flipped', (cm) => {
    const bytes = dumps(configure(buildIndex(FX), { compressMode: cm }));
    const positions = new Set<number>([0, 1, 2, 3, bytes.length - 1]);
    for (let k = 1; k < 16; k++) positions.add(Math.floor((bytes.length * k) / 16));
    expectAllRejected(
      [...positions].map((pos) => [
        `bit 3 of byte ${pos}/${bytes.length}`,
        () => loads(Buffer.from(flipBit(bytes, pos, 3))),
      ]),
      CORRUPT,
    );
  });

  it('foreign bytes', () => {
    const annFile = tmpPath();
    buildIndex(FX).save(annFile);
    const snapshotBytes = buildIndex(FX).serialize();
    expectAllRejected(
      [
        ['empty', () => loads(Buffer.alloc(0))],
        ['random bytes', () => loads(randomBytes(5000, 8))],
        ['JSON text', () => loads(Buffer.from(JSON.stringify({ version: 1, mode: 'byte', f: 10 })))],
        ['v8.serialize({})', () => loads(v8.serialize({}))],
        [
          'v8.serialize of a state-like object',
          () => loads(v8.serialize({ version: 1, mode: 'byte', f: 10, metric: 'euclidean' })),
        ],
        ['gzip of random bytes', () => loads(zlib.gzipSync(randomBytes(3000, 9)))],
        ['an Annoy file', () => loads(fs.readFileSync(annFile))],
        ['a serialize() snapshot with its first byte changed', () => loads(Buffer.from(flipBit(snapshotBytes, 0, 1)))],
      ],
      CORRUPT,
    );
  });

  it('the intact dumps still load', () => {
    for (const cm of [null, 'zlib'] as const) {
      const index = configure(buildIndex(FX), { compressMode: cm });
      expect(answers(loads(dumps(index)), FX)).toEqual(answers(index, FX));
    }
  });
});

describe('Annoy#deserialize() of bad bytes -> ANNOY_CORRUPT, the index unchanged', () => {
  const good = buildIndex(FX).serialize();
  const targets = (): Annoy[] => [new Annoy(FX.f, 'euclidean'), buildIndex(fixture('euclidean', 40, 3), { trees: 2 })];

  function expectRejectedKeepingState(label: string, bytes: Uint8Array, failures: string[]): void {
    for (const index of targets()) {
      const before = snapshot(index);
      try {
        expectCode(() => index.deserialize(bytes), CORRUPT);
        expect(snapshot(index)).toEqual(before);
      } catch (e) {
        failures.push(`${label}: ${(e as Error).message}`);
      }
    }
  }

  it('truncated, bit-flipped and foreign bytes', () => {
    const failures: string[] = [];
    for (const n of [0, 8, 63, 64, 65, Math.floor(good.length / 2), good.length - 1]) {
      expectRejectedKeepingState(`first ${n} bytes`, good.subarray(0, n), failures);
    }
    for (let k = 0; k < 16; k++) {
      const pos = Math.floor((good.length * k) / 16);
      expectRejectedKeepingState(`bit flip at ${pos}`, flipBit(good, pos, 3), failures);
    }
    expectRejectedKeepingState('last byte flipped', flipBit(good, good.length - 1, 0), failures);
    expectRejectedKeepingState('random bytes', randomBytes(good.length, 10), failures);
    const annFile = tmpPath();
    buildIndex(FX).save(annFile);
    expectRejectedKeepingState('an Annoy file', fs.readFileSync(annFile), failures);
    expect(failures).toEqual([]);
    // and the good bytes work
    expect(answers(new Annoy(FX.f, 'euclidean').deserialize(good), FX)).toEqual(answers(buildIndex(FX), FX));
  });
});
