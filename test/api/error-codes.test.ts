// The error codes are public API (README, "Errors"): the set lib/ exports must be exactly the set
// that can be thrown (the binding's translation table in binding/errors.cc plus the codes lib/
// raises itself), so a code mistyped on either side fails here; and every code but
// ANNOY_INTERNAL, which only a bug can produce, is produced below by a real call.
import * as fs from 'fs';
import * as path from 'path';

import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, REPO_ROOT, tmpPath } from '../helpers/tmp';
import { expectRejectCode } from '../helpers/serving';

const codesIn = (text: string, pattern: RegExp): Set<string> => new Set([...text.matchAll(pattern)].map((m) => m[1]));

const BINDING_CODES = codesIn(
  fs.readFileSync(path.join(REPO_ROOT, 'binding', 'errors.cc'), 'utf8'),
  /"(ANNOY_[A-Z_]+)"/g,
);
const LIB_CODES = new Set(
  fs
    .readdirSync(path.join(REPO_ROOT, 'lib'))
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => [
      ...codesIn(fs.readFileSync(path.join(REPO_ROOT, 'lib', name), 'utf8'), /ErrorCodes\.([A-Z_]+)/g),
    ])
    .map((key) => (ErrorCodes as Record<string, string>)[key]),
);

function built(): Annoy {
  return new Annoy(3, 'euclidean')
    .addItems([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ])
    .build(2, 1);
}

type Producer = () => unknown;

const SYNC_PRODUCERS: Record<string, Producer> = {
  [ErrorCodes.INVALID_ARGUMENT]: () => new Annoy(3, 'euclidean').addItem(0, [1, 2, 3]).build(0),
  [ErrorCodes.DIMENSION_MISMATCH]: () => new Annoy(3, 'euclidean').addItem(0, [1, 2]),
  [ErrorCodes.EMPTY_VECTOR]: () => new Annoy(0, 'euclidean').addItem(0, []),
  [ErrorCodes.NON_FINITE]: () => new Annoy(3, 'euclidean').addItem(0, [NaN, 0, 0]),
  [ErrorCodes.INVALID_ID]: () => new Annoy(3, 'euclidean').addItem(-1, [1, 2, 3]),
  // 2^31 - 1 slots of 28 bytes: 56 GiB, more than this machine's (or CI's) memory.
  [ErrorCodes.ID_TOO_LARGE]: () => new Annoy(3, 'euclidean').addItem(2 ** 31 - 2, [1, 2, 3]),
  [ErrorCodes.ID_OUT_OF_RANGE]: () => built().getNnsByItem(99, 1),
  [ErrorCodes.UNKNOWN_METRIC]: () => new Annoy(3, 'nope' as never),
  [ErrorCodes.METRIC_MISMATCH]: () => new Annoy(3, 'angular').deserialize(built().serialize()),
  [ErrorCodes.DIMENSION_UNKNOWN]: () => new Annoy(0, 'euclidean').build(1),
  [ErrorCodes.NOT_BUILT]: () => new Annoy(3, 'euclidean').addItem(0, [1, 2, 3]).getNnsByVector([1, 2, 3], 1),
  [ErrorCodes.ALREADY_BUILT]: () => built().unbuild().build(1, 1).addItem(3, [1, 1, 1]),
  [ErrorCodes.READ_ONLY]: () => {
    const file = tmpPath('read-only.ann');
    built().save(file);
    return new Annoy(3, 'euclidean').load(file).addItem(3, [1, 1, 1]);
  },
  [ErrorCodes.IO]: () => new Annoy(3, 'euclidean').load(path.join(tmpPath('missing'), 'no.ann')),
  [ErrorCodes.INVALID_FILE]: () => {
    const file = tmpPath('empty.ann');
    fs.writeFileSync(file, '');
    return new Annoy(3, 'euclidean').load(file);
  },
  [ErrorCodes.CORRUPT]: () => new Annoy(3, 'euclidean').deserialize(Buffer.alloc(100, 7)),
  // 2^21 nodes of 4 MiB each: 8 TiB, refused before anything is allocated.
  [ErrorCodes.OUT_OF_MEMORY]: () =>
    new Annoy(2 ** 20, 'euclidean').addItem(0, new Float32Array(2 ** 20)).build(2 ** 20, 1),
  [ErrorCodes.INVALID_STATE]: () => {
    const index = built();
    index.pickleMode = 'disk';
    return index.toState();
  },
  [ErrorCodes.FILE_CHANGED]: () => {
    const file = tmpPath('changed.ann');
    built().save(file);
    const index = new Annoy(3, 'euclidean').load(file);
    new Annoy(3, 'euclidean')
      .addItems([[1, 1, 1]])
      .build(1, 1)
      .save(file);
    return index.toState();
  },
};

describe('AnnoyError codes', () => {
  it('ErrorCodes is exactly what the binding and lib/ can throw', () => {
    const exported = new Set(Object.values(ErrorCodes));
    for (const code of BINDING_CODES) expect([code, exported.has(code as never)]).toEqual([code, true]);
    const thrown = new Set([...BINDING_CODES, ...LIB_CODES]);
    expect([...exported].sort()).toEqual([...thrown].sort());
  });

  it.each(Object.keys(SYNC_PRODUCERS))('%s is produced by a real call', (code) => {
    expectCode(SYNC_PRODUCERS[code], code);
  });

  it('ANNOY_ABORTED and ANNOY_BUSY are produced by buildAsync', async () => {
    const index = new Annoy(3, 'euclidean').addItems([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const controller = new AbortController();
    controller.abort();
    await expectRejectCode(index.buildAsync(2, { signal: controller.signal }), ErrorCodes.ABORTED);
    const running = index.buildAsync(2, { nJobs: 1 });
    expectCode(() => index.getNItems(), ErrorCodes.BUSY);
    await running;
  });

  it('every exported code but ANNOY_INTERNAL has a producer above', () => {
    const produced = new Set([...Object.keys(SYNC_PRODUCERS), ErrorCodes.ABORTED, ErrorCodes.BUSY]);
    const missing = Object.values(ErrorCodes).filter((code) => !produced.has(code));
    expect(missing).toEqual([ErrorCodes.INTERNAL]);
  });
});
