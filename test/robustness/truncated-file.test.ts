// The documented limit of serving a mapped file (docs/reliability.md): if another process cuts
// the file short while it is mapped, the next read of a lost page ends the process with SIGBUS,
// prefaulted or not; no library call can catch that. The way out is load(path, { copy: true }),
// which serves a private copy. This library itself never truncates a file that may be mapped:
// save() and onDiskBuild() write beside it and rename (test/api/persistence.test.ts).
import * as fs from 'fs';

import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import { CHILD_HELPERS, expectCleanExit, flatUniform, runNode } from '../helpers/serving';

const F = 16;

function savedIndex(name: string): { file: string; index: Annoy } {
  const file = tmpPath(name);
  const index = new Annoy(F, 'angular').addItems(flatUniform(3000, F, 4)).build(4, 1);
  index.save(file);
  return { file, index };
}

describe('Annoy#load(path, { copy: true })', () => {
  it('serves a private copy: answers survive the file being cut to nothing (sync and async)', async () => {
    const { file, index } = savedIndex('copied.ann');
    const q = Array.from(flatUniform(1, F, 5));
    const expected = index.getNnsByVector(q, 10);
    const copy = new Annoy(F, 'angular').load(file, { copy: true });
    const copyAsync = await new Annoy(F, 'angular').loadAsync(file, { copy: true });
    fs.truncateSync(file, 0);
    expect(copy.getNnsByVector(q, 10)).toEqual(expected);
    expect(copyAsync.getNnsByVector(q, 10)).toEqual(expected);
    expect(copy.info()).toMatchObject({ loaded: true, built: true, on_disk_path: file, on_disk_build: false });
    expect(copy.memoryUsage()).toBe(index.memoryUsage());
    expectCode(() => copy.addItem(3000, q), ErrorCodes.READ_ONLY);
  });

  it('its disk state names the file, and is refused once the file has changed', () => {
    const { file } = savedIndex('copied-state.ann');
    const copy = new Annoy(F, 'angular').load(file, { copy: true, prefault: false });
    const state = copy.toState();
    expect(state.mode).toBe('disk');
    expect(Annoy.fromState(state).getNItems()).toBe(3000);
    new Annoy(F, 'angular')
      .addItems(flatUniform(3000, F, 6))
      .build(4, 1)
      .save(file);
    expectCode(() => Annoy.fromState(state), ErrorCodes.FILE_CHANGED);
  });

  it('a bad copy argument is ANNOY_INVALID_ARGUMENT', () => {
    const { file } = savedIndex('copied-bad.ann');
    expectCode(
      () => new Annoy(F, 'angular').load(file, { copy: 'yes' as unknown as boolean }),
      ErrorCodes.INVALID_ARGUMENT,
    );
  });
});

describe('a mapped file cut short by another process (the documented limit)', () => {
  it('a mapped index then dies of SIGBUS on its next read, while a copied one answers', () => {
    const { file } = savedIndex('cut.ann');
    const body = `${CHILD_HELPERS}
const q = uniform(1, 16, 5);
const copied = new lib.Annoy(16, 'angular').load(input.file, { copy: true });
const mapped = new lib.Annoy(16, 'angular').load(input.file, true);
require('fs').truncateSync(input.file, 0);
emit({ copied: copied.getNnsByVector(q, 5, -1, false).length });
emit({ mapped: mapped.getNnsByVector(q, 5, -1, false).length });
`;
    const res = runNode(body, { file });
    expect(res.messages).toEqual([{ copied: 5 }]);
    expect(res.signal).toBe('SIGBUS');
  });

  it('the same file, not cut, serves both ways alike', () => {
    const { file } = savedIndex('not-cut.ann');
    const res = runNode(
      `${CHILD_HELPERS}
const q = uniform(1, 16, 5);
const a = new lib.Annoy(16, 'angular').load(input.file, { copy: true }).getNnsByVector(q, 5);
const b = new lib.Annoy(16, 'angular').load(input.file, true).getNnsByVector(q, 5);
emit({ same: JSON.stringify(a) === JSON.stringify(b) });
`,
      { file },
    );
    expectCleanExit(res);
    expect(res.messages).toEqual([{ same: true }]);
  });
});
