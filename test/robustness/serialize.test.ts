// deserialize() must validate everything before touching the index.
import * as fs from 'fs';
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, snapshot, tmpPath } from '../helpers/tmp';
import { makeVectors, Rng } from '../helpers/random';
import { make } from '../helpers/fixtures';

const F = 6;

function built(metric = 'euclidean', n = 120, trees = 3): Annoy {
  const index = make(F, metric);
  makeVectors(n, F, 3).forEach((v, i) => index.addItem(i, metric === 'hamming' ? v.map((x) => (x > 0 ? 1 : 0)) : v));
  return index.build(trees, 1);
}

const GOOD = Buffer.from(built().serialize());
const BAD_CODES = [ErrorCodes.CORRUPT, ErrorCodes.METRIC_MISMATCH];

/** Targets in several states; each must reject `bytes` with one of `codes` and stay as it was. */
function expectRejectedEverywhere(bytes: unknown, codes: string | readonly string[], metric = 'euclidean'): void {
  const targets: Annoy[] = [make(0, metric), make(F, metric), built(metric, 30, 2)];
  for (const index of targets) {
    const before = snapshot(index);
    expectCode(() => index.deserialize(bytes as never), codes);
    expect(snapshot(index)).toEqual(before);
  }
  // and the bytes that were good still restore into the same target
  const last = targets[2];
  if (metric === 'euclidean') {
    last.deserialize(GOOD);
    expect(last.getNItems()).toBe(120);
  }
}

describe('Annoy#deserialize() of bad bytes', () => {
  it('random garbage -> ANNOY_CORRUPT', () => {
    const rng = new Rng(1);
    for (const len of [1, 7, 64, 1000, GOOD.length]) {
      const junk = Buffer.from(Array.from({ length: len }, () => rng.int(256)));
      expectRejectedEverywhere(junk, ErrorCodes.CORRUPT);
    }
  });

  it('an empty buffer -> ANNOY_CORRUPT or ANNOY_INVALID_ARGUMENT', () => {
    expectRejectedEverywhere(Buffer.alloc(0), [ErrorCodes.CORRUPT, ErrorCodes.INVALID_ARGUMENT]);
  });

  it('all zeros -> ANNOY_CORRUPT', () => {
    expectRejectedEverywhere(Buffer.alloc(GOOD.length), ErrorCodes.CORRUPT);
  });

  it('truncated serialize() output -> ANNOY_CORRUPT', () => {
    for (const keep of [1, 4, 8, 16, 32, 64, Math.floor(GOOD.length / 2), GOOD.length - 4, GOOD.length - 1]) {
      expectRejectedEverywhere(GOOD.subarray(0, keep), ErrorCodes.CORRUPT);
    }
  });

  it('serialize() output with bytes appended -> ANNOY_CORRUPT', () => {
    expectRejectedEverywhere(Buffer.concat([GOOD, Buffer.from([0])]), ErrorCodes.CORRUPT);
    expectRejectedEverywhere(Buffer.concat([GOOD, GOOD]), ErrorCodes.CORRUPT);
  });

  it('single bit flips anywhere in serialize() output -> ANNOY_CORRUPT / ANNOY_METRIC_MISMATCH', () => {
    const rng = new Rng(2);
    const positions = new Set<number>();
    for (let k = 0; k < 64; k++) positions.add(k); // the whole header region
    for (let k = 0; k < 40; k++) positions.add(rng.int(GOOD.length));
    positions.add(GOOD.length - 1);
    for (const pos of positions) {
      const bad = Buffer.from(GOOD);
      bad[pos] ^= 1 << rng.int(8);
      const index = make(0, 'euclidean');
      try {
        expectCode(() => index.deserialize(bad), BAD_CODES);
      } catch (e) {
        throw new Error(`bit flip at byte ${pos} of ${GOOD.length}: ${(e as Error).message}`, { cause: e });
      }
      expect(index.f).toBe(0);
      expect(index.getNItems()).toBe(0);
    }
  });

  it('a whole byte overwritten with 0xff in the middle of the node data -> ANNOY_CORRUPT', () => {
    const bad = Buffer.from(GOOD);
    bad.fill(0xff, Math.floor(GOOD.length / 2), Math.floor(GOOD.length / 2) + 8);
    expectRejectedEverywhere(bad, ErrorCodes.CORRUPT);
  });

  it('a raw Annoy file (no header) -> ANNOY_CORRUPT', () => {
    const p = tmpPath();
    built().save(p);
    expectRejectedEverywhere(fs.readFileSync(p), ErrorCodes.CORRUPT);
  });

  it('another metric -> ANNOY_METRIC_MISMATCH', () => {
    const pairs: Array<[string, string]> = [
      ['angular', 'euclidean'],
      ['euclidean', 'manhattan'],
      ['manhattan', 'euclidean'],
      ['dot', 'angular'],
      ['hamming', 'dot'],
      ['euclidean', 'hamming'],
    ];
    for (const [from, to] of pairs) {
      const bytes = built(from).serialize();
      for (const index of [make(0, to), make(F, to), built(to, 20, 2)]) {
        const before = snapshot(index);
        try {
          expectCode(() => index.deserialize(bytes), ErrorCodes.METRIC_MISMATCH);
        } catch (e) {
          throw new Error(`${from} bytes into a ${to} index: ${(e as Error).message}`, { cause: e });
        }
        expect(snapshot(index)).toEqual(before);
      }
    }
  });

  it('another f -> ANNOY_DIMENSION_MISMATCH (or ANNOY_CORRUPT)', () => {
    for (const f of [F - 1, F + 1, 2 * F]) {
      const index = make(f, 'euclidean');
      const before = snapshot(index);
      expectCode(() => index.deserialize(GOOD), [ErrorCodes.DIMENSION_MISMATCH, ErrorCodes.CORRUPT]);
      expect(snapshot(index)).toEqual(before);
    }
  });

  it.each([
    ['a string', 'not bytes'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an array of numbers', [1, 2, 3]],
    ['an object', { length: 10 }],
  ] as Array<[string, unknown]>)('%s -> ANNOY_INVALID_ARGUMENT', (_name, value) => {
    expectRejectedEverywhere(value, ErrorCodes.INVALID_ARGUMENT);
  });

  it('a failed deserialize on a loaded index keeps serving the file', () => {
    const p = tmpPath();
    built().save(p);
    const index = make(F, 'euclidean').load(p);
    const before = snapshot(index);
    expectCode(() => index.deserialize(GOOD.subarray(0, 10)), ErrorCodes.CORRUPT);
    expect(snapshot(index)).toEqual(before);
    expect(index.onDiskPath).toBe(p);
  });
});
