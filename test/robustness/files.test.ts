// File errors: load and save failures carry the right code, and the index keeps its state.
import * as fs from 'fs';
import * as path from 'path';
import { Annoy, ErrorCodes } from '../../lib';
import { asPair, expectCode, snapshot, tmpDir, tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make, nodeSize } from '../helpers/fixtures';

function built(metric: string, f: number, n: number, trees = 3): Annoy {
  const index = make(f, metric);
  makeVectors(n, f, 5).forEach((v, i) => index.addItem(i, v));
  return index.build(trees, 1);
}

function expectUnchanged(index: Annoy, bad: () => unknown, code: string | readonly string[]) {
  const before = snapshot(index);
  const err = expectCode(bad, code);
  expect(snapshot(index)).toEqual(before);
  return err;
}

/** Indexes in different states, each loaded with `bad` and checked afterwards. */
function targets(f: number, metric: string, goodFile: string): Array<[string, () => Annoy]> {
  return [
    ['new', () => make(f, metric)],
    [
      'unbuilt with items',
      () => {
        const index = make(f, metric);
        makeVectors(5, f, 1).forEach((v, i) => index.addItem(i, v));
        return index;
      },
    ],
    ['built', () => built(metric, f, 40)],
    ['loaded', () => make(f, metric).load(goodFile)],
  ];
}

const F = 10;
const good = tmpPath('good.ann');
beforeAll(() => {
  built('angular', F, 100).save(good);
});

describe('Annoy#load() failures', () => {
  it('missing file -> ANNOY_IO with errno 2 (ENOENT) and the path', () => {
    for (const [state, create] of targets(F, 'angular', good)) {
      const index = create();
      const missing = path.join(tmpDir(), `no-such-file-${state.replace(/ /g, '-')}.ann`);
      const err = expectUnchanged(index, () => index.load(missing), ErrorCodes.IO);
      expect(err.errno).toBe(2);
      expect(err.path).toBe(missing);
    }
  });

  it('missing directory -> ANNOY_IO with errno 2', () => {
    const index = make(F, 'angular');
    const err = expectUnchanged(index, () => index.load(path.join(tmpDir(), 'nope', 'x.ann')), ErrorCodes.IO);
    expect(err.errno).toBe(2);
  });

  it('a directory -> ANNOY_IO or ANNOY_INVALID_FILE', () => {
    const index = make(F, 'angular');
    expectUnchanged(index, () => index.load(tmpDir()), [ErrorCodes.IO, ErrorCodes.INVALID_FILE]);
  });

  it('empty file -> ANNOY_INVALID_FILE', () => {
    const p = tmpPath('empty.ann');
    fs.writeFileSync(p, Buffer.alloc(0));
    for (const [, create] of targets(F, 'angular', good)) {
      const index = create();
      expectUnchanged(index, () => index.load(p), ErrorCodes.INVALID_FILE);
    }
  });

  it.each([1, 3, 'half a node', 'one node + 1 byte'])(
    'truncated file (size not a multiple of the node size): cut %p -> ANNOY_INVALID_FILE',
    (cut) => {
      const s = nodeSize('angular', F);
      const bytes = fs.readFileSync(good);
      const keep =
        cut === 'half a node'
          ? bytes.length - s / 2
          : cut === 'one node + 1 byte'
            ? s + 1
            : bytes.length - (cut as number);
      expect(keep % s).not.toBe(0);
      const p = tmpPath('truncated.ann');
      fs.writeFileSync(p, bytes.subarray(0, keep));
      for (const [, create] of targets(F, 'angular', good)) {
        const index = create();
        expectUnchanged(index, () => index.load(p), ErrorCodes.INVALID_FILE);
      }
    },
  );

  it('a file smaller than one node -> ANNOY_INVALID_FILE', () => {
    const p = tmpPath('tiny.ann');
    fs.writeFileSync(p, Buffer.from([1, 2, 3]));
    const index = make(F, 'angular');
    expectUnchanged(index, () => index.load(p), ErrorCodes.INVALID_FILE);
  });

  it('wrong f (sizes do not divide) -> ANNOY_INVALID_FILE', () => {
    const size = fs.statSync(good).size;
    let tried = 0;
    for (const f of [F - 1, F + 1, F + 2, 2 * F, 100, 50, 200]) {
      if (size % nodeSize('angular', f) === 0) continue;
      tried++;
      for (const [, create] of targets(
        f,
        'angular',
        (() => {
          const p = tmpPath(`good-f${f}.ann`);
          built('angular', f, 30).save(p);
          return p;
        })(),
      )) {
        const index = create();
        expectUnchanged(index, () => index.load(good), ErrorCodes.INVALID_FILE);
      }
    }
    expect(tried).toBeGreaterThan(3);
  });

  it('wrong metric (sizes do not divide) -> ANNOY_INVALID_FILE', () => {
    // angular nodes are 12 + 4f bytes, the others 16 + 4f (hamming 16 + 8w)
    let tried = 0;
    for (const n of [100, 101, 102, 103]) {
      const p = tmpPath('angular.ann');
      built('angular', F, n, 1).save(p);
      const size = fs.statSync(p).size;
      for (const metric of ['euclidean', 'manhattan', 'dot', 'hamming'] as const) {
        if (size % nodeSize(metric, F) === 0) continue;
        tried++;
        const index = make(F, metric);
        expectUnchanged(index, () => index.load(p), ErrorCodes.INVALID_FILE);
      }
    }
    expect(tried).toBeGreaterThan(4);
  });

  it('a failed load leaves a built index answering exactly as before', () => {
    const index = built('angular', F, 100);
    const q = makeVectors(1, F, 3)[0];
    const before = index.getNnsByVector(q, 10);
    expectCode(() => index.load(path.join(tmpDir(), 'missing.ann')), ErrorCodes.IO);
    const p = tmpPath('empty2.ann');
    fs.writeFileSync(p, '');
    expectCode(() => index.load(p), ErrorCodes.INVALID_FILE);
    expect(index.getNnsByVector(q, 10)).toEqual(before);
    index.unbuild().addItem(100, q).build(2);
    expect(asPair(index.getNnsByVector(q, 1))[0]).toEqual([100]);
  });

  it.each([['an empty path', '']])('%s -> ANNOY_INVALID_ARGUMENT or ANNOY_IO', (_name, p) => {
    const index = make(F, 'angular');
    expectUnchanged(index, () => index.load(p), [ErrorCodes.INVALID_ARGUMENT, ErrorCodes.IO]);
  });

  it.each([
    ['a number', 5],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['a path with a NUL byte', 'a\0b.ann'],
  ] as Array<[string, unknown]>)('path that is %s -> ANNOY_INVALID_ARGUMENT', (_name, p) => {
    const index = make(F, 'angular');
    expectUnchanged(index, () => index.load(p as never), ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('Annoy#save() failures', () => {
  it('an unbuilt index -> ANNOY_NOT_BUILT; it can still be built and saved', () => {
    const index = make(F, 'angular');
    makeVectors(20, F, 1).forEach((v, i) => index.addItem(i, v));
    const p = tmpPath();
    expectUnchanged(index, () => index.save(p), ErrorCodes.NOT_BUILT);
    expect(fs.existsSync(p)).toBe(false);
    index
      .addItem(20, makeVectors(1, F, 2)[0])
      .build(2)
      .save(p);
    expect(fs.existsSync(p)).toBe(true);
  });

  it('after unbuild -> ANNOY_NOT_BUILT', () => {
    const index = built('euclidean', F, 20).unbuild();
    expectUnchanged(index, () => index.save(tmpPath()), ErrorCodes.NOT_BUILT);
  });

  it('to a missing directory -> ANNOY_IO; the index stays built and writable', () => {
    const index = built('euclidean', F, 50);
    const target = path.join(tmpDir(), 'missing-dir', 'x.ann');
    const err = expectUnchanged(index, () => index.save(target), ErrorCodes.IO);
    expect(err.errno).toBe(2);
    expect(typeof err.path).toBe('string');
    // not read-only: still the in-memory built index
    expectCode(() => index.addItem(50, makeVectors(1, F, 1)[0]), ErrorCodes.ALREADY_BUILT);
    expect(index.onDiskPath).toBeNull();
    const p = tmpPath();
    index.save(p);
    expect(fs.existsSync(p)).toBe(true);
  });

  it('onto a directory -> ANNOY_IO', () => {
    const index = built('euclidean', F, 20);
    const dir = path.join(tmpDir(), 'a-directory');
    fs.mkdirSync(dir, { recursive: true });
    expectUnchanged(index, () => index.save(dir), ErrorCodes.IO);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });

  it("save('') -> ANNOY_INVALID_ARGUMENT or ANNOY_IO", () => {
    const index = built('euclidean', F, 20);
    expectUnchanged(index, () => index.save(''), [ErrorCodes.INVALID_ARGUMENT, ErrorCodes.IO]);
  });

  it.each([
    ['a number', 5],
    ['null', null],
    ['undefined', undefined],
    ['a path with a NUL byte', 'a\0b.ann'],
  ] as Array<[string, unknown]>)('path that is %s -> ANNOY_INVALID_ARGUMENT', (_name, p) => {
    const index = built('euclidean', F, 20);
    expectUnchanged(index, () => index.save(p as never), ErrorCodes.INVALID_ARGUMENT);
  });

  it('a failed save does not clobber an existing file at the target', () => {
    const index = make(F, 'angular');
    makeVectors(20, F, 1).forEach((v, i) => index.addItem(i, v));
    const before = fs.readFileSync(good);
    expectCode(() => index.save(good), ErrorCodes.NOT_BUILT);
    expect(fs.readFileSync(good).equals(before)).toBe(true);
  });
});

describe('Annoy#onDiskBuild() failures', () => {
  it('in a missing directory -> ANNOY_IO; the index keeps working in memory', () => {
    const index = make(F, 'euclidean');
    const err = expectUnchanged(index, () => index.onDiskBuild(path.join(tmpDir(), 'missing', 'x.ann')), ErrorCodes.IO);
    expect(err.errno).toBe(2);
    expect(index.onDiskPath).toBeNull();
    makeVectors(10, F, 1).forEach((v, i) => index.addItem(i, v));
    index.build(2);
    expect(asPair(index.getNnsByItem(3, 1))[0]).toEqual([3]);
  });

  it("onDiskBuild('') -> ANNOY_INVALID_ARGUMENT or ANNOY_IO", () => {
    const index = make(F, 'euclidean');
    expectUnchanged(index, () => index.onDiskBuild(''), [ErrorCodes.INVALID_ARGUMENT, ErrorCodes.IO]);
  });
});
