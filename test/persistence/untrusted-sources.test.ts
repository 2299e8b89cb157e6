// Issue #10, H2 and M1: a state or dumps() blob from an untrusted source can neither hang the
// process nor make it allocate what the blob merely claims.
// H2: a disk state naming a FIFO, /dev/zero, a directory or a socket must fail at once (the
// blocking cases run in a child, since a blocked open or an endless read would stall jest's own
// timers too; the child's kill timeout turns a regression into a failure).
// M1: a compressed state declaring a huge size must fail with ANNOY_CORRUPT before inflating it;
// each bomb runs in a child that reports its peak RSS growth.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as zlib from 'zlib';

import { Annoy, ErrorCodes, getMaxInflatedBytes, setMaxInflatedBytes } from '../../lib';
import { describeChild, expectCode, runChild, tmpDir, tmpPath } from '../helpers/tmp';
import { CHILD_FROM_STATE_OUTCOME, CHILD_SMALL_INDEX } from '../helpers/suite-child';
import {
  brotliBomb,
  buildIndex,
  configure,
  fixture,
  fromState,
  loads,
  toState,
  zlibBomb,
} from '../helpers/persistence';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const FX = fixture('euclidean', 200);

/** A real disk state (of a saved index) and its dumps() blob, to be pointed elsewhere. */
function savedDiskIndex(): Annoy {
  const index = buildIndex(FX, { trees: 3 });
  index.save(tmpPath('disk.ann'));
  configure(index, { pickleMode: 'disk' });
  return index;
}

/** A dumps() blob with some metadata fields replaced, its checksum recomputed. */
function forgeDump(blob: Buffer, changes: Record<string, unknown>): Buffer {
  const metaLength = blob.readUInt32LE(12);
  const meta = { ...JSON.parse(blob.subarray(16, 16 + metaLength).toString('utf8')), ...changes };
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const head = Buffer.from(blob.subarray(0, 16));
  head.writeUInt32LE(metaBytes.length, 12);
  const body = Buffer.concat([head, metaBytes, blob.subarray(16 + metaLength, blob.length - 4)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(zlib.crc32(body) >>> 0);
  return Buffer.concat([body, crc]);
}

// Child side (`lib`, `input`, `emit` in scope): restores a disk state pointed at input.path,
// through fromState and through loads, and reports each outcome.
const DISK_CHILD = `
const { Annoy } = lib;
const index = new Annoy(4, 'euclidean');
for (let i = 0; i < 50; i++) index.addItem(i, [i, i % 7, i % 3, 1]);
index.build(2, 1);
index.save(input.file);
index.pickleMode = 'disk';
const state = { ...index.toState(), path: input.path, fileSize: input.fileSize };
const outcome = (fn) => { try { fn(); return 'returned'; } catch (e) { return (e && e.name) + ':' + (e && e.code); } };
emit({ fromState: outcome(() => Annoy.fromState(state)) });
const blob = index.dumps();
const metaLength = blob.readUInt32LE(12);
const meta = { ...JSON.parse(blob.subarray(16, 16 + metaLength).toString('utf8')), path: input.path, fileSize: input.fileSize };
const metaBytes = Buffer.from(JSON.stringify(meta));
const head = Buffer.from(blob.subarray(0, 16));
head.writeUInt32LE(metaBytes.length, 12);
const body = Buffer.concat([head, metaBytes]);
const crc = Buffer.alloc(4);
crc.writeUInt32LE(require('zlib').crc32(body) >>> 0);
emit({ loads: outcome(() => Annoy.loads(Buffer.concat([body, crc]))) });
`;

function restoreInChild(target: string, fileSize: number): { fromState: string; loads: string } {
  const res = runChild(DISK_CHILD, { file: tmpPath('child.ann'), path: target, fileSize }, 20000);
  const [a, b] = res.messages;
  if (res.timedOut || res.status !== 0 || !a || !b)
    throw new Error(`the restore did not finish: ${describeChild(res)}`);
  return { fromState: a.fromState, loads: b.loads };
}

const NOT_A_FILE = `AnnoyError:${ErrorCodes.INVALID_FILE}`;

describe('H2: a disk state naming something that is not a regular file', () => {
  it('a FIFO with no writer: refused, not blocked in open()', () => {
    const fifo = path.join(tmpDir(), 'state.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(restoreInChild(fifo, 0)).toEqual({ fromState: NOT_A_FILE, loads: NOT_A_FILE });
  }, 60000);

  it.each([0, 4096])(
    '/dev/zero with fileSize %d: refused, not read forever',
    (fileSize) => {
      expect(restoreInChild('/dev/zero', fileSize)).toEqual({ fromState: NOT_A_FILE, loads: NOT_A_FILE });
    },
    60000,
  );

  it('a directory: refused as not a regular file', () => {
    const dir = fs.mkdtempSync(path.join(tmpDir(), 'dir-'));
    expect(restoreInChild(dir, fs.statSync(dir).size)).toEqual({ fromState: NOT_A_FILE, loads: NOT_A_FILE });
  }, 60000);

  it('a Unix socket: an AnnoyError, and the index that made the state still works', async () => {
    const socket = path.join(tmpDir(), 'state.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const index = savedDiskIndex();
      const state = { ...toState(index), path: socket, fileSize: 0 };
      expectCode(() => fromState(state), [ErrorCodes.IO, ErrorCodes.INVALID_FILE]);
      expectCode(
        () => loads(forgeDump(index.dumps(), { path: socket, fileSize: 0 })),
        [ErrorCodes.IO, ErrorCodes.INVALID_FILE],
      );
      expect(fromState(toState(index)).getNItems()).toBe(FX.items.length);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a regular file longer or shorter than fileSize: ANNOY_FILE_CHANGED, read no further', () => {
    const index = savedDiskIndex();
    const state = toState(index);
    for (const fileSize of [(state.fileSize as number) - 1, (state.fileSize as number) + 1, 0]) {
      expectCode(() => fromState({ ...state, fileSize }), ErrorCodes.FILE_CHANGED);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// M1

/** A 64-byte snapshot header for euclidean f = 8 (node size 48) with `nodes` item nodes. */
function forgedHeader(nodes: number): Buffer {
  const h = Buffer.alloc(64);
  h.write('ANNOYNJS', 0, 'latin1');
  h.writeUInt32LE(1, 8);
  h.writeUInt32LE(64, 12);
  h.writeUInt32LE(1, 16);
  h.writeInt32LE(8, 20);
  h.writeUInt32LE(48, 24);
  h.writeUInt32LE(nodes, 32);
  h.writeInt32LE(nodes, 40);
  h.writeUInt32LE(zlib.crc32(h.subarray(0, 60)) >>> 0, 60);
  return h;
}

/** A zlib stream of `header` then `zeros` zero bytes (1 MiB of zeros costs ~1 KiB). */
function zlibWithHeader(header: Buffer, zeros: number): Buffer {
  const headPart = zlib.deflateRawSync(header, { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const bomb = zlibBomb(zeros);
  // zlibBomb is a 2-byte zlib header, raw deflate blocks, then an Adler-32 this payload does
  // not need to match: the size checks come before the end of the stream is ever reached.
  return Buffer.concat([bomb.subarray(0, 2), headPart, bomb.subarray(2)]);
}

// Child side: a small real index's compressed state with its bytes and rawSize replaced; the
// cap is raised first when input.cap is given. Reports the code and the peak RSS growth.
const BOMB_CHILD = `
if (input.cap !== undefined) lib.setMaxInflatedBytes(input.cap);
${CHILD_SMALL_INDEX}
${CHILD_FROM_STATE_OUTCOME}
const state = { ...index.toState(), bytes: fs.readFileSync(input.payload), rawSize: input.rawSize };
const peakBefore = process.resourceUsage().maxRSS * 1024;
const out = fromStateOutcome(state);
out.peakGrowth = process.resourceUsage().maxRSS * 1024 - peakBefore;
emit(out);
`;

function runBomb(
  cm: string,
  payload: Buffer,
  rawSize: number,
  cap?: number,
): { code: string; message: string; peakGrowth: number } {
  const file = tmpPath('payload.bin');
  fs.writeFileSync(file, payload);
  const res = runChild(BOMB_CHILD, { cm, payload: file, rawSize, cap }, 60000);
  const out = res.messages[0];
  if (!out) throw new Error(`no result: ${describeChild(res)}`);
  return out;
}

function expectCorruptAndSmall(out: { code: string; message: string; peakGrowth: number }, why: RegExp): void {
  const summary = `${out.code} (peak RSS +${(out.peakGrowth / MiB).toFixed(0)} MiB): ${out.message}`;
  expect({ code: out.code, summary }).toEqual({ code: ErrorCodes.CORRUPT, summary });
  expect(out.message).toMatch(why);
  expect(out.peakGrowth).toBeLessThan(200 * MiB);
}

describe('M1: a compressed state declaring far more than it should', () => {
  it('a 3 MiB zlib bomb declaring 3 GiB, even with the cap raised to 4 GiB: its header is not a snapshot', () => {
    const bomb = zlibBomb(3 * GiB);
    expect(bomb.length).toBeLessThan(4 * MiB);
    expectCorruptAndSmall(runBomb('zlib', bomb, 3 * GiB, 4 * GiB), /magic/);
  }, 120000);

  it('the same bomb under the default cap: refused by the cap, naming setMaxInflatedBytes', () => {
    expectCorruptAndSmall(runBomb('zlib', zlibBomb(3 * GiB), 3 * GiB), /setMaxInflatedBytes/);
  }, 120000);

  it('a valid header whose counts describe another size than the declared one', () => {
    const payload = zlibWithHeader(forgedHeader(1000), 512 * MiB);
    expectCorruptAndSmall(runBomb('zlib', payload, 512 * MiB + 64), /describes 48064 bytes/);
  }, 120000);

  it('a valid header agreeing with a 3 GiB claim: the default cap still refuses it', () => {
    const nodes = Math.floor((3 * GiB - 64) / 48);
    const payload = zlibWithHeader(forgedHeader(nodes), 3 * MiB);
    expectCorruptAndSmall(runBomb('zlib', payload, 64 + nodes * 48), /setMaxInflatedBytes/);
  }, 120000);

  it('a few KiB of zlib declaring 512 MiB: more than deflate can inflate to', () => {
    const payload = zlibBomb(2 * MiB);
    expectCorruptAndSmall(runBomb('zlib', payload, 512 * MiB), /can inflate to/);
  }, 120000);

  it('a brotli bomb declaring its own 256 MiB: no snapshot header comes out of its first bytes', () => {
    expectCorruptAndSmall(runBomb('brotli', brotliBomb(256 * MiB), 256 * MiB), /snapshot header/);
  }, 120000);
});

describe('setMaxInflatedBytes', () => {
  afterEach(() => setMaxInflatedBytes(2 ** 30));

  it('defaults to 1 GiB, and bounds what fromState inflates', () => {
    expect(getMaxInflatedBytes()).toBe(2 ** 30);
    const state = toState(configure(buildIndex(FX, { trees: 3 }), { compressMode: 'gzip' }));
    setMaxInflatedBytes((state.rawSize as number) - 1);
    expectCode(() => fromState(state), ErrorCodes.CORRUPT);
    setMaxInflatedBytes(state.rawSize as number);
    expect(fromState(state).getNItems()).toBe(FX.items.length);
  });

  it.each([[0], [63], [-1], [1.5], [NaN], [2 ** 53], ['1024'], [10n], [null]])(
    'refuses %p with ANNOY_INVALID_ARGUMENT',
    (bad) => {
      expectCode(() => setMaxInflatedBytes(bad as never), ErrorCodes.INVALID_ARGUMENT);
      expect(getMaxInflatedBytes()).toBe(2 ** 30);
    },
  );
});
