// Issue #12, tests 5: sidecars that do not belong or do not hold. A stale or foreign one is
// ignored by load() (with a verbose message) and refused by loadGraph() (ANNOY_INVALID_FILE); a
// corrupt one (truncated, bit-flipped, ids out of range, self loops, repeats, holes with
// neighbours) makes load() and loadGraph() throw ANNOY_CORRUPT and leaves the index as it was.
// Row edits are resealed (their CRCs fixed) so that the row check is what catches them.
import * as fs from 'fs';

import { Annoy } from '../../lib';
import {
  answerList,
  captureLog,
  graphIndex,
  graphRows,
  readSidecar,
  resealed,
  SIDECAR,
  sidecarPath,
  slotOffset,
} from '../helpers/graph';
import { expectCode, snapshot, tmpPath } from '../helpers/tmp';

const F = 6;
const N = 300;
const HOLE = 17;
const ROWS = graphRows('angular', N, F, 'uniform', 515);
const QUERIES = graphRows('angular', 3, F, 'uniform', 516);

/** The good file (with a hole) and its sidecar's bytes. */
function savedPair(): { file: string; sidecar: Buffer } {
  const file = tmpPath('good.ann');
  graphIndex('angular', ROWS, { degree: 8, holes: [HOLE] }).save(file);
  return { file, sidecar: readSidecar(file) };
}

const GOOD = savedPair();
const FIRST = (s: Buffer, item: number) => s.readInt32LE(slotOffset(s, item, 0));

/** An index in a state of its own: another file loaded, with its graph. */
function bystander(): Annoy {
  const other = tmpPath('bystander.ann');
  graphIndex('angular', graphRows('angular', 50, F, 'uniform', 517), { degree: 4 }).save(other);
  return new Annoy(F, 'angular').load(other);
}

const CORRUPTIONS: Array<[string, (s: Buffer) => Buffer, RegExp]> = [
  ['truncated by 4 bytes', (s) => s.subarray(0, s.length - 4), /truncated/],
  ['truncated inside the header', (s) => s.subarray(0, 40), /at least 64 bytes/],
  ['an empty file', () => Buffer.alloc(0), /at least 64 bytes/],
  ['padded by 4 bytes', (s) => Buffer.concat([s, Buffer.alloc(4)]), /truncated or padded/],
  ['a bit flipped in the rows', (s) => flip(s, slotOffset(s, 40, 0)), /rows' checksum/],
  ['a bit flipped in the header (item count)', (s) => flip(s, SIDECAR.nItems), /header checksum/],
  ['a bit flipped in the magic', (s) => flip(s, SIDECAR.magic), /magic/],
  ['version 2', (s) => resealed(s, (c) => c.writeUInt32LE(2, SIDECAR.version)), /version 2/],
  ['degree 0', (s) => resealed(s, (c) => c.writeInt32LE(0, SIDECAR.degree)), /degree 0/],
  ['degree 1025', (s) => resealed(s, (c) => c.writeInt32LE(1025, SIDECAR.degree)), /degree 1025/],
  ['an id out of range (n_items)', (s) => edit(s, 3, 0, N), /out of range/],
  ['an id out of range (-2)', (s) => edit(s, 3, 0, -2), /out of range/],
  ['a self loop', (s) => edit(s, 5, 0, 5), /its own neighbour/],
  ['a repeated neighbour', (s) => edit(s, 6, 1, FIRST(s, 6)), /repeated/],
  ['a neighbour after the padding', (s) => edit(s, 7, 0, -1), /after the row's padding/],
  ['a hole with neighbours', (s) => edit(s, HOLE, 0, 3), /hole has neighbours/],
  ['a neighbour that is a hole', (s) => edit(s, 8, 0, HOLE), /is a hole/],
  [
    'the wrong edge count',
    (s) => resealed(s, (c) => c.writeBigUInt64LE(c.readBigUInt64LE(SIDECAR.edges) + 1n, SIDECAR.edges)),
    /edges/,
  ],
];

function flip(s: Buffer, at: number): Buffer {
  const copy = Buffer.from(s);
  copy[at] ^= 0x10;
  return copy;
}

/** Slot `slot` of `item`'s row set to `id`, checksums fixed. */
function edit(s: Buffer, item: number, slot: number, id: number): Buffer {
  return resealed(s, (c) => c.writeInt32LE(id, slotOffset(c, item, slot)));
}

describe('the good pair', () => {
  it('loads with its graph, and the edits below start from rows they change', () => {
    const index = new Annoy(F, 'angular').load(GOOD.file);
    expect(index.info().graph).toMatchObject({ degree: 8 });
    expect(FIRST(GOOD.sidecar, HOLE)).toBe(-1);
    for (const item of [3, 5, 6, 7, 8])
      expect(GOOD.sidecar.readInt32LE(slotOffset(GOOD.sidecar, item, 1))).not.toBe(-1);
    // A resealed copy without edits is the same bytes: the resealer computes the file's CRCs.
    expect(resealed(GOOD.sidecar, () => undefined).equals(GOOD.sidecar)).toBe(true);
  });
});

describe.each(CORRUPTIONS)('a sidecar with %s', (_name, corrupt, why) => {
  it('load() throws ANNOY_CORRUPT naming the problem and leaves the index as it was', () => {
    const file = tmpPath('corrupt.ann');
    fs.copyFileSync(GOOD.file, file);
    fs.writeFileSync(sidecarPath(file), corrupt(GOOD.sidecar));
    const index = bystander();
    const before = snapshot(index);
    const graphBefore = index.info().graph;
    const answersBefore = answerList(index, QUERIES, [0, 1], 5, { ef: 8 });
    const err = expectCode(() => index.load(file), 'ANNOY_CORRUPT');
    expect(err.message).toMatch(why);
    expect(snapshot(index)).toEqual(before);
    expect(index.info().graph).toEqual(graphBefore);
    expect(answerList(index, QUERIES, [0, 1], 5, { ef: 8 })).toEqual(answersBefore);
  });

  it('loadGraph() throws ANNOY_CORRUPT and keeps the graph the index had', () => {
    const index = new Annoy(F, 'angular').load(GOOD.file);
    const graphFile = tmpPath('corrupt.graph');
    fs.writeFileSync(graphFile, corrupt(GOOD.sidecar));
    const before = answerList(index, QUERIES, [0, 1], 5, { ef: 8 });
    expectCode(() => index.loadGraph(graphFile), 'ANNOY_CORRUPT');
    expect(index.info().graph).toMatchObject({ degree: 8 });
    expect(answerList(index, QUERIES, [0, 1], 5, { ef: 8 })).toEqual(before);
  });
});

describe('sidecars of another index', () => {
  const cases: Array<[string, () => Annoy]> = [
    ['other items (same metric, f and count)', () => graphIndex('angular', graphRows('angular', N, F, 'uniform', 999))],
    ['the same items, other trees (another seed)', () => graphIndex('angular', ROWS, { seed: 7, holes: [HOLE] })],
    ['another metric', () => graphIndex('euclidean', ROWS)],
    ['fewer items', () => graphIndex('angular', ROWS.slice(0, 200))],
  ];

  it.each(cases)('%s: load() ignores it with a verbose message; loadGraph() is ANNOY_INVALID_FILE', (_name, make) => {
    const foreign = tmpPath('foreign.ann');
    make().save(foreign);
    const file = tmpPath('target.ann');
    fs.copyFileSync(GOOD.file, file);
    fs.copyFileSync(sidecarPath(foreign), sidecarPath(file));
    const index = new Annoy(F, 'angular');
    const log = captureLog(index);
    index.load(file);
    expect(index.info().graph).toBeNull();
    expect(log.some((line) => line.startsWith('graph: ignoring'))).toBe(true);
    expect(index.getNnsByItem(0, 5, { ef: 8 })).toEqual(index.getNnsByItem(0, 5, { graph: false, searchK: -1 }));
    expectCode(() => index.loadGraph(sidecarPath(foreign)), 'ANNOY_INVALID_FILE');
    expect(index.info().graph).toBeNull();
  });

  it('the .ann rebuilt under its old sidecar: the stale sidecar is ignored, and save() replaces it', () => {
    const file = tmpPath('rebuilt.ann');
    fs.copyFileSync(GOOD.file, file);
    fs.copyFileSync(sidecarPath(GOOD.file), sidecarPath(file));
    // Another build of the same items (another seed) overwrites the .ann alone.
    const rebuilt = tmpPath('rebuilt-alone.ann');
    graphIndex('angular', ROWS, { seed: 8, holes: [HOLE], graph: false }).save(rebuilt);
    fs.copyFileSync(rebuilt, file);
    const index = new Annoy(F, 'angular');
    const log = captureLog(index);
    index.load(file);
    expect(index.info().graph).toBeNull();
    expect(log.join('\n')).toMatch(/graph: ignoring .*other index bytes/);
    index.buildGraph({ degree: 8, nJobs: 1 }).save(file);
    expect(new Annoy(F, 'angular').load(file).info().graph).toMatchObject({ degree: 8 });
  });
});
