// Regression tests for the file findings of issue #10's hostile-input campaign: what a path, a
// file or a CRC-valid snapshot can do to a load or a query. Each case that once crashed or hung
// runs in a child process with a timeout, so that a regression fails instead of killing jest.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpDir, tmpPath } from '../helpers/tmp';
import { CHILD_HELPERS, expectCleanExit, runNode } from '../helpers/serving';

const crc32 = (zlib as unknown as { crc32: (data: Uint8Array, value?: number) => number }).crc32;

// Euclidean, f = 4: nodes of 16 + 4f = 32 bytes (count, bias, two children, then the vector);
// a bucket holds (32 - 8) / 4 = 6 ids.
const F = 4;
const NODE = 32;
const ITEMS = 64;

function node(count: number, children: [number, number] = [0, 0], vector: number[] = [0, 0, 0, 0]): Buffer {
  const b = Buffer.alloc(NODE);
  b.writeInt32LE(count, 0);
  b.writeInt32LE(children[0], 8);
  b.writeInt32LE(children[1], 12);
  vector.forEach((x, i) => b.writeFloatLE(x, 16 + 4 * i));
  return b;
}

/**
 * A forest whose splits share children: 64 items, then a chain of splits (63 down to 7 items),
 * each with both children the next split, then `roots` roots on the chain's head. Every split
 * is smaller than its parent and every id in range, so only the sharing is wrong: 2^57 paths.
 */
function sharedSubtreeNodes(roots: number): { nodes: Buffer; rootIds: number[] } {
  const parts: Buffer[] = [];
  for (let i = 0; i < ITEMS; i++) parts.push(node(1, [0, 0], [i, i % 7, i % 3, 1]));
  const chain = ITEMS - 7; // counts 63 .. 7: all above the bucket size of 6
  for (let j = 0; j < chain; j++) {
    const next = j + 1 < chain ? ITEMS + j + 1 : -1;
    parts.push(node(ITEMS - 1 - j, next < 0 ? [0, 1] : [next, next], [1, 0, 0, 0]));
  }
  const rootIds: number[] = [];
  for (let r = 0; r < roots; r++) {
    rootIds.push(ITEMS + chain + r);
    parts.push(node(ITEMS, [ITEMS, ITEMS], [0, 1, 0, 0]));
  }
  return { nodes: Buffer.concat(parts), rootIds };
}

/** A serialize() snapshot (docs/format.md) of a built euclidean index, with valid checksums. */
function snapshotOf(nodes: Buffer, rootIds: number[]): Buffer {
  const roots = Buffer.alloc(4 * rootIds.length);
  rootIds.forEach((r, i) => roots.writeInt32LE(r, 4 * i));
  const h = Buffer.alloc(64);
  h.write('ANNOYNJS', 0, 'latin1');
  h.writeUInt32LE(1, 8);
  h.writeUInt32LE(64, 12);
  h.writeUInt32LE(1, 16); // euclidean
  h.writeInt32LE(F, 20);
  h.writeUInt32LE(NODE, 24);
  h.writeUInt32LE(1, 28); // built
  h.writeBigUInt64LE(BigInt(nodes.length / NODE), 32);
  h.writeInt32LE(ITEMS, 40);
  h.writeUInt32LE(rootIds.length, 44);
  h.writeBigUInt64LE(1n, 48);
  h.writeUInt32LE(crc32(nodes, crc32(roots)) >>> 0, 56);
  h.writeUInt32LE(crc32(h.subarray(0, 60)) >>> 0, 60);
  return Buffer.concat([h, roots, nodes]);
}

/** Runs `body` with `lib` and `emit` in scope in a child, under a deadline: a hang fails. */
function inChild(body: string, input: unknown, timeoutMs = 20000) {
  const res = runNode(`${CHILD_HELPERS}\n${body}`, input, { timeoutMs });
  expectCleanExit(res);
  return res.messages;
}

const codeOf = `const codeOf = (f) => { try { f(); return 'returned'; } catch (e) { return e && e.code; } };`;

describe('Annoy#load() of what is not a regular file', () => {
  // H1: open() came before the regular-file check and blocked on the FIFO forever.
  it('a FIFO is ANNOY_INVALID_FILE at once (load and loadAsync), not a hang', () => {
    const fifo = tmpPath('index.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const out = inChild(
      `${codeOf}
const index = new lib.Annoy(4, 'euclidean');
const sync = codeOf(() => index.load(input.fifo));
index.loadAsync(input.fifo).then(() => emit({ sync, async: 'resolved' }), (e) => emit({ sync, async: e.code, after: index.getNItems() }));
`,
      { fifo },
    );
    expect(out).toEqual([{ sync: ErrorCodes.INVALID_FILE, async: ErrorCodes.INVALID_FILE, after: 0 }]);
  });

  it('/dev/zero is ANNOY_INVALID_FILE (a character device), a directory ANNOY_IO with errno EISDIR', () => {
    const err = expectCode(() => new Annoy(F, 'euclidean').load('/dev/zero'), ErrorCodes.INVALID_FILE);
    expect(err.message).toMatch(/character device/);
    expect(err.errno).toBeUndefined();
    const dir = expectCode(() => new Annoy(F, 'euclidean').load(tmpDir()), ErrorCodes.IO);
    expect(dir.errno).toBe(os.constants.errno.EISDIR);
  });
});

describe('Annoy#load() of implausible forests', () => {
  // M2 and M3: the whole mapping was prefaulted before the size check (40 GiB of sparse file in
  // memory), and a file of zeros gave 64 M roots and seconds per query.
  it('sparse files of zeros (1.5 GiB, 40 GiB; prefault on) are ANNOY_INVALID_FILE without reading them in', () => {
    const small = tmpPath('zeros-1.5g.ann');
    const huge = tmpPath('zeros-40g.ann');
    const odd = tmpPath('zeros-40g-odd.ann');
    fs.writeFileSync(small, '');
    fs.truncateSync(small, 1.5 * 2 ** 30);
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 40 * 2 ** 30);
    fs.writeFileSync(odd, '');
    fs.truncateSync(odd, 40 * 2 ** 30 + 4);
    const out = inChild(
      `
const rssBefore = process.memoryUsage().rss;
const results = [input.small, input.huge, input.odd].map((file) => {
  try { new lib.Annoy(4, 'euclidean').load(file, true); return 'loaded'; } catch (e) { return [e.code, /roots|multiple/.test(e.message)]; }
});
emit({ results, grewMiB: (process.memoryUsage().rss - rssBefore) / 2 ** 20 });
`,
      { small, huge, odd },
    );
    for (const file of [small, huge, odd]) fs.rmSync(file);
    expect(out[0].results).toEqual([
      [ErrorCodes.INVALID_FILE, true],
      [ErrorCodes.INVALID_FILE, true],
      [ErrorCodes.INVALID_FILE, true],
    ]);
    // The root scan stops after 2^21 + 2 nodes (64 MiB of 32-byte nodes), whatever the file size.
    expect(out[0].grewMiB).toBeLessThan(200);
  });

  it('a forest of up to 2^20 trees of one item loads (its roots look like every node)', () => {
    const p = tmpPath('one-item.ann');
    const index = new Annoy(F, 'euclidean').addItem(0, [1, 2, 3, 4]);
    index.build(200, 1).save(p);
    const loaded = new Annoy(F, 'euclidean').load(p);
    expect(loaded.getNnsByVector([1, 2, 3, 4], 3)).toEqual([[0], [0]]);
  });
});

describe('queries over a forest whose splits share children (H3)', () => {
  // A 196 KiB file took 35 s and 3.2 GB per query before queries were bounded by one parent
  // per split.
  it('a loaded file: the query ends at once with ANNOY_CORRUPT; the index and process live on', () => {
    const { nodes } = sharedSubtreeNodes(6000);
    const file = tmpPath('shared-subtrees.ann');
    fs.writeFileSync(file, nodes);
    const out = inChild(
      `${codeOf}
const index = new lib.Annoy(4, 'euclidean').load(input.file);
const rssBefore = process.memoryUsage().rss;
const results = [
  codeOf(() => index.getNnsByVector([1, 2, 3, 4], 10, 2 ** 40)),
  codeOf(() => index.getNnsByItem(5, 10, 2 ** 40)),
  codeOf(() => index.querySync([[1, 2, 3, 4]], 10, { searchK: 2 ** 40 })),
  codeOf(() => index.getNnsByVector([1, 2, 3, 4], 10, { searchK: 2 ** 40, deny: [63] })),
];
index.query([[1, 2, 3, 4]], 10, { searchK: 2 ** 40 }).then(() => 'resolved', (e) => e.code).then((asyncCode) => {
  emit({ results, asyncCode, items: index.getNItems(), vector: index.getItemVector(3), grewMiB: (process.memoryUsage().rss - rssBefore) / 2 ** 20 });
});
`,
      { file },
    );
    const c = ErrorCodes.CORRUPT;
    expect(out[0]).toMatchObject({ results: [c, c, c, c], asyncCode: c, items: ITEMS, vector: [3, 3, 0, 1] });
    expect(out[0].grewMiB).toBeLessThan(100);
  });

  it('a CRC-valid snapshot of it is refused by deserialize() with ANNOY_CORRUPT', () => {
    for (const roots of [1, 3]) {
      const { nodes, rootIds } = sharedSubtreeNodes(roots);
      const err = expectCode(
        () => new Annoy(F, 'euclidean').deserialize(snapshotOf(nodes, rootIds)),
        ErrorCodes.CORRUPT,
      );
      expect(err.message).toMatch(/share a subtree/);
    }
  });

  it('the same snapshot with the sharing undone (a chain that ends in leaves) is accepted', () => {
    // Control for the test above: only the shared children make it invalid.
    const { nodes, rootIds } = sharedSubtreeNodes(1);
    const chain = ITEMS - 7;
    for (let j = 0; j < chain; j++) nodes.writeInt32LE(j + 1 < chain ? 2 + j : 1, (ITEMS + j) * NODE + 8); // left: an item
    nodes.writeInt32LE(0, rootIds[0] * NODE + 8);
    const index = new Annoy(F, 'euclidean').deserialize(snapshotOf(nodes, rootIds));
    expect(index.getNItems()).toBe(ITEMS);
    expect(index.getNnsByVector([1, 2, 3, 4], 3, 1000)[0].length).toBe(3);
  });
});

/** An unbuilt index of two items. */
function twoItems(): Annoy {
  return new Annoy(F, 'euclidean').addItems([
    [1, 2, 3, 4],
    [4, 3, 2, 1],
  ]);
}

describe('Annoy#build() limits (H4)', () => {
  it('a tree count no forest can hold is ANNOY_INVALID_ARGUMENT at once, and the index still builds', () => {
    const index = twoItems();
    for (const trees of [2 ** 31 - 1, 2 ** 20 + 1]) {
      const err = expectCode(() => index.build(trees, 1), ErrorCodes.INVALID_ARGUMENT);
      expect(err.message).toMatch(/n_trees/);
    }
    index.build(3, 1);
    expect(index.getNTrees()).toBe(3);
  });
});

describe('temporary names (W3)', () => {
  it('save() to a legal path with a 255-byte name, and to one of 4,090 bytes, works', () => {
    const longName = path.join(tmpDir(), `${'n'.repeat(251)}.ann`);
    const index = twoItems().build(2, 1);
    index.save(longName);
    expect(new Annoy(F, 'euclidean').load(longName).getNItems()).toBe(2);
    let deep = fs.mkdtempSync(path.join(tmpDir(), 'deep-'));
    while (deep.length < 4090 - 250) deep = path.join(deep, 'd'.repeat(200));
    fs.mkdirSync(deep, { recursive: true });
    const nearMax = path.join(deep, 'x'.repeat(4090 - deep.length - 1));
    expect(nearMax.length).toBe(4090);
    const other = twoItems().build(2, 1);
    other.save(nearMax);
    expect(new Annoy(F, 'euclidean').load(nearMax).getNItems()).toBe(2);
    const onDisk = new Annoy(F, 'euclidean').onDiskBuild(nearMax);
    onDisk.addItems([[1, 1, 1, 1]]).build(2, 1);
    expect(new Annoy(F, 'euclidean').load(nearMax).getNItems()).toBe(1);
    expect(fs.readdirSync(deep)).toEqual([path.basename(nearMax)]);
  });
});

describe('snapshots found by the fuzzers (fuzz/)', () => {
  /** An unbuilt snapshot of `n` items whose every slot is a hole, with valid checksums. */
  function allHoles(metric: 'euclidean' | 'hamming', f: number, n: number): Buffer {
    const index = new Annoy(f, metric);
    for (let i = 0; i < n; i++) index.addItem(i, new Array(f).fill(1));
    const bytes = Buffer.from(index.serialize());
    bytes.fill(0, 64); // no roots in an unbuilt snapshot: the rest is the nodes
    bytes.writeUInt32LE(crc32(bytes.subarray(64)) >>> 0, 56);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, 60)) >>> 0, 60);
    return bytes;
  }

  // Building an index of holes only split an empty set: SIGFPE in two-means (euclidean), or
  // coin flips forever (hamming). Annoy itself crashes there.
  it('an index whose every slot is a hole builds (no crash, no hang) and finds nothing', () => {
    const snapshots = {
      euclidean: allHoles('euclidean', 1, 4).toString('base64'),
      hamming: allHoles('hamming', 3, 6).toString('base64'),
    };
    const out = inChild(
      `
const found = {};
for (const [metric, f] of [['euclidean', 1], ['hamming', 3]]) {
  const index = new lib.Annoy(f, metric).deserialize(Buffer.from(input[metric], 'base64'));
  index.build(3, 1);
  const layered = new lib.Annoy(f, metric).deserialize(Buffer.from(input[metric], 'base64')).build(3, 2);
  found[metric] = [index.getNTrees(), index.getNnsByVector(new Array(f).fill(1), 3, -1, false), layered.getNnsByVector(new Array(f).fill(1), 3, -1, false)];
}
emit(found);
`,
      snapshots,
    );
    expect(out).toEqual([{ euclidean: [3, [], []], hamming: [3, [], []] }]);
  });

  // A header's f was used to compute the node size before it was bounded: hamming's word count
  // overflowed int (UBSan) for f = 2^31 - 1.
  it('a CRC-valid snapshot whose header claims f = 2^31 - 1 is ANNOY_CORRUPT', () => {
    for (const metric of ['hamming', 'euclidean'] as const) {
      const bytes = Buffer.from(new Annoy(3, metric).addItem(0, [1, 0, 1]).build(1, 1).serialize());
      bytes.writeInt32LE(2 ** 31 - 1, 20);
      bytes.writeUInt32LE(crc32(bytes.subarray(0, 60)) >>> 0, 60);
      const err = expectCode(() => new Annoy(0, metric).deserialize(bytes), ErrorCodes.CORRUPT);
      expect(err.message).toMatch(/largest dimension/);
    }
  });

  // The nodes of a snapshot start at 64 + 4 x roots in whatever Buffer holds it; they used to be
  // validated in place through int32/uint64 pointers (misaligned: UBSan).
  it('a snapshot at an odd offset of its buffer restores the same index', () => {
    for (const metric of ['hamming', 'euclidean'] as const) {
      const f = metric === 'hamming' ? 70 : 5;
      const index = new Annoy(f, metric);
      for (let i = 0; i < 40; i++)
        index.addItem(
          i,
          Array.from({ length: f }, (_, k) => ((i * 7 + k * 3) % 5) / 4),
        );
      index.build(3, 1);
      const bytes = index.serialize();
      const shifted = Buffer.alloc(bytes.length + 1);
      bytes.copy(shifted, 1);
      const restored = new Annoy(f, metric).deserialize(shifted.subarray(1));
      expect(restored.getNnsByItem(0, 10)).toEqual(index.getNnsByItem(0, 10));
    }
  });
});
