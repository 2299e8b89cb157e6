// A full disk (issue #10, C2): an on-disk build grew its file with ftruncate and wrote through the
// mapping, so the first write past the free space ended the process with SIGBUS. The blocks are
// now reserved before they are mapped. The disk is a real 1 MiB tmpfs, mounted in a private
// mount namespace (unshare -rm: a user namespace, so no root is needed) around a child process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { ErrorCodes } from '../../lib';
import { childResult, describeChild, tmpDir } from '../helpers/tmp';
import { CHILD_HELPERS, writeWorkerScript } from '../helpers/serving';

function onFullDisk(body: string): any[] {
  const mountPoint = fs.mkdtempSync(path.join(tmpDir(), 'disk-'));
  const script = writeWorkerScript(`${CHILD_HELPERS}
function emit(obj) { require('fs').writeSync(1, JSON.stringify(obj) + '\\n'); }
const dir = ${JSON.stringify(mountPoint)};
${body}`);
  const res = childResult(
    spawnSync(
      'unshare',
      [
        '-rm',
        'sh',
        '-c',
        'mount -t tmpfs -o size=1m tmpfs "$1" && exec "$2" "$3"',
        'sh',
        mountPoint,
        process.execPath,
        script,
      ],
      {
        encoding: 'utf8',
        timeout: 60000,
        killSignal: 'SIGKILL',
      },
    ),
  );
  if (res.timedOut || res.signal !== null || res.status !== 0) throw new Error(describeChild(res));
  return res.messages;
}

describe('Annoy#onDiskBuild() on a full disk', () => {
  it('addItems past the free space is ANNOY_IO (ENOSPC), not SIGBUS; the items before it stay', () => {
    const out = onFullDisk(`
const index = new lib.Annoy(16, 'euclidean').onDiskBuild(dir + '/full.ann');
index.addItems(uniform(1000, 16, 1));
let error = null;
try { index.addItems(uniform(100000, 16, 2)); } catch (e) { error = { code: e.code, errno: e.errno }; }
emit({ error, items: index.getNItems(), vector: Array.from(index.getItemVector(999)).length });
let grown = 0;
try { for (let i = 1000; i < 100000; i++) { index.addItem(i, uniform(1, 16, i)); grown = i; } } catch (e) { emit({ oneByOne: e.code, errno: e.errno, reached: grown > 1000 }); }
try { index.build(10, 1); emit({ built: true }); } catch (e) { emit({ build: e.code, errno: e.errno }); }
emit({ alive: true, items: index.getNItems() });
`);
    const ENOSPC = os.constants.errno.ENOSPC;
    expect(out[0]).toEqual({ error: { code: ErrorCodes.IO, errno: ENOSPC }, items: 1000, vector: 16 });
    expect(out[1]).toEqual({ oneByOne: ErrorCodes.IO, errno: ENOSPC, reached: true });
    // The disk is full: the trees cannot be stored either, and that too is an error.
    expect(out[2]).toEqual({ build: ErrorCodes.IO, errno: ENOSPC });
    expect(out[3].alive).toBe(true);
  });

  it('save() of an index larger than the free space is ANNOY_IO (ENOSPC) and leaves no partial file', () => {
    const out = onFullDisk(`
const index = new lib.Annoy(16, 'euclidean');
index.addItems(uniform(20000, 16, 3)).build(2, 1);
try { index.save(dir + '/big.ann'); emit({ saved: true }); } catch (e) { emit({ code: e.code, errno: e.errno }); }
emit({ files: require('fs').readdirSync(dir), answers: index.getNnsByItem(0, 3, -1, false).length });
`);
    expect(out[0]).toEqual({ code: ErrorCodes.IO, errno: os.constants.errno.ENOSPC });
    expect(out[1]).toEqual({ files: [], answers: 3 });
  });
});
