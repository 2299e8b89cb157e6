/**
 * Annoy's test/seed_test.py and the determinism facts of docs/algorithms.md "Kiss64" and
 * "Determinism", plus the project's seed decisions (docs/compatibility.md "Seeds"): default
 * 1234567890987654321, setSeed() with no argument restores it, 0 is a real seed, safe integers and
 * bigints < 2^64 are accepted.
 */
import * as fs from 'fs';
import { Annoy } from '../../lib';
import { asIds, expectAnnoyError, Rng, UPSTREAM_TREE, useTempDir } from '../helpers/fixtures';

const tmp = useTempDir('annoy-seed-');

const f = 10;
const rng = new Rng(42);
const X = Array.from({ length: 1000 }, () => Array.from({ length: f }, () => rng.random()));
const Y = Array.from({ length: 50 }, () => Array.from({ length: f }, () => rng.random()));

function fill(index: Annoy): Annoy {
  X.forEach((v, j) => index.addItem(j, v));
  return index;
}

let fileCounter = 0;
function savedBytes(setup: (index: Annoy) => void, metric: 'angular' | 'euclidean' = 'angular'): Buffer {
  const index = fill(new Annoy(f, metric));
  setup(index);
  index.build(10, 1);
  const file = tmp.file(`seed-${fileCounter++}.ann`);
  index.save(file);
  index.unload();
  return fs.readFileSync(file);
}

test('seed_test.py: two builds with setSeed(42) (default nJobs) answer 50 queries identically', () => {
  const indexes = [0, 1].map(() => {
    const index = new Annoy(f, 'angular');
    index.setSeed(42);
    fill(index);
    return index.build(10);
  });
  for (const y of Y) {
    expect(asIds(indexes[0].getNnsByVector(y, 100, -1, false))).toEqual(
      asIds(indexes[1].getNnsByVector(y, 100, -1, false)),
    );
  }
});

describe('one thread: the seed fixes the bytes', () => {
  test('same seed, same bytes (angular and euclidean)', () => {
    expect(savedBytes((i) => i.setSeed(42)).equals(savedBytes((i) => i.setSeed(42)))).toBe(true);
    expect(savedBytes((i) => i.setSeed(7), 'euclidean').equals(savedBytes((i) => i.setSeed(7), 'euclidean'))).toBe(
      true,
    );
  });

  test('different seeds give different trees', () => {
    expect(savedBytes((i) => i.setSeed(42)).equals(savedBytes((i) => i.setSeed(43)))).toBe(false);
  });

  test('no setSeed, setSeed() and setSeed(1234567890987654321n) are all the default seed', () => {
    const none = savedBytes(() => undefined);
    expect(savedBytes((i) => i.setSeed()).equals(none)).toBe(true);
    expect(savedBytes((i) => i.setSeed(1234567890987654321n)).equals(none)).toBe(true);
    expect(savedBytes((i) => i.setSeed(42)).equals(none)).toBe(false);
  });

  test('setSeed() after another seed restores the default', () => {
    const none = savedBytes(() => undefined);
    expect(
      savedBytes((i) => {
        i.setSeed(99);
        i.setSeed();
      }).equals(none),
    ).toBe(true);
  });

  test('0 is a real seed, not the default; a number and the same bigint agree', () => {
    const none = savedBytes(() => undefined);
    const zero = savedBytes((i) => i.setSeed(0));
    expect(zero.equals(none)).toBe(false);
    expect(savedBytes((i) => i.setSeed(0n)).equals(zero)).toBe(true);
    expect(savedBytes((i) => i.setSeed(123456789n)).equals(savedBytes((i) => i.setSeed(123456789)))).toBe(true);
  });

  test('the seed may be set before the items are added (only its value at build time counts)', () => {
    const after = savedBytes((i) => i.setSeed(5));
    const index = new Annoy(f, 'angular');
    index.setSeed(5);
    fill(index).build(10, 1);
    const file = tmp.file('seed-before.ann');
    index.save(file);
    expect(fs.readFileSync(file).equals(after)).toBe(true);
  });

  test('the largest seeds are accepted: 2^53 - 1 and 2^64 - 1 (bigint)', () => {
    const index = fill(new Annoy(f, 'angular'));
    index.setSeed(Number.MAX_SAFE_INTEGER);
    index.setSeed(2n ** 64n - 1n);
    index.build(2, 1);
    expect(index.getNTrees()).toBe(2);
  });

  test('invalid seeds are ANNOY_INVALID_ARGUMENT: negative, fractional, 2^64, unsafe numbers', () => {
    const index = new Annoy(f, 'angular');
    expectAnnoyError(() => index.setSeed(-1), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => index.setSeed(1.5), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => index.setSeed(-1n), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => index.setSeed(2n ** 64n), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => index.setSeed(2 ** 60), 'ANNOY_INVALID_ARGUMENT');
    expectAnnoyError(() => index.setSeed(NaN), 'ANNOY_INVALID_ARGUMENT');
  });
});

test('setSeed on a loaded index is fine (index_test.py test_seed)', () => {
  const index = new Annoy(10, 'angular').load(UPSTREAM_TREE);
  expect(() => index.setSeed(42)).not.toThrow();
  expect(index.getNTrees()).toBe(10);
  index.unload();
});
