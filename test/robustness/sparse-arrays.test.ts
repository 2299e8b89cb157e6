// Issue #10, W1 and H5: holes in arrays (`[v, , w]`, `new Array(n)`, a length set past the end)
// are refused with ANNOY_INVALID_ARGUMENT naming the hole, instead of being read as zero vectors
// or skipped; huge lengths are refused before anything of that size is allocated or iterated.
/* eslint-disable no-sparse-arrays */
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, snapshot } from '../helpers/tmp';
import { builtIndex, expectRejectCode } from '../helpers/serving';

const F = 3;
const HUGE = 2 ** 32 - 1;

function built(): Annoy {
  return builtIndex('euclidean', 30, F, { trees: 3 }).index;
}

/** `first` followed by holes up to length `length` (the array V8 makes for `a.length = n`). */
function holeyAfter<T>(first: T[], length: number): T[] {
  const a = first.slice();
  a.length = length;
  return a;
}

/**
 * An array-like Proxy claiming `length` elements, all present; counts how often an element is
 * read, so that a test can tell a size check from a scan.
 */
function endlessRows(length: number, row: unknown): { value: any[]; reads: () => number } {
  let reads = 0;
  const value = new Proxy([] as never[], {
    get: (target, key) => {
      if (key === 'length') return length;
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        reads++;
        return row;
      }
      return Reflect.get(target, key);
    },
    has: (target, key) =>
      typeof key === 'string' && /^\d+$/.test(key) ? Number(key) < length : Reflect.has(target, key),
  });
  return { value, reads: () => reads };
}

function expectHoleAt(err: { message: string }, name: string, i: number): void {
  expect(err.message).toContain(`${name}[${i}]`);
  expect(err.message).toContain('hole');
}

describe('W1: a hole in an array of vectors', () => {
  it('addItems refuses it, names its index, and adds nothing', () => {
    const index = new Annoy(F, 'euclidean');
    index.addItem(0, [1, 1, 1]);
    const before = snapshot(index);
    const err = expectCode(() => index.addItems([[1, 2, 3], , [4, 5, 6]] as number[][]), ErrorCodes.INVALID_ARGUMENT);
    expectHoleAt(err, 'vectors', 1);
    expect(snapshot(index)).toEqual(before);
    index.addItems([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(index.getNItems()).toBe(3);
  });

  it('addItems with f = 0 refuses a hole as the first row', () => {
    const index = new Annoy(0, 'euclidean');
    expectHoleAt(
      expectCode(() => index.addItems([, [1, 2, 3]] as number[][]), ErrorCodes.INVALID_ARGUMENT),
      'vectors',
      0,
    );
    expect(index.getNItems()).toBe(0);
  });

  it('query and querySync refuse it instead of answering a zero vector', async () => {
    const index = built();
    const rows = [[1, 0, 0], , [0, 1, 0]] as number[][];
    expectHoleAt(await expectRejectCode(index.query(rows, 3), ErrorCodes.INVALID_ARGUMENT), 'vectors', 1);
    expectHoleAt(
      expectCode(() => index.querySync(rows, 3), ErrorCodes.INVALID_ARGUMENT),
      'vectors',
      1,
    );
    expect(index.querySync([[1, 0, 0]], 3).counts[0]).toBe(3);
  });

  it('a hole inside one plain-array vector', async () => {
    const index = built();
    expectHoleAt(
      expectCode(() => index.getNnsByVector([1, , 3] as number[], 3), ErrorCodes.INVALID_ARGUMENT),
      'vector',
      1,
    );
    expectHoleAt(
      expectCode(
        () =>
          index.querySync(
            [
              [1, 2, 3],
              [1, , 3],
            ] as number[][],
            3,
          ),
        ErrorCodes.INVALID_ARGUMENT,
      ),
      'vectors[1]',
      1,
    );
    expectHoleAt(
      await expectRejectCode(index.query([[1, , 3]] as number[][], 3), ErrorCodes.INVALID_ARGUMENT),
      'vectors[0]',
      1,
    );
    const unbuilt = new Annoy(F, 'euclidean');
    expectHoleAt(
      expectCode(() => unbuilt.addItem(0, [, 2, 3] as number[]), ErrorCodes.INVALID_ARGUMENT),
      'vector',
      0,
    );
    expect(unbuilt.getNItems()).toBe(0);
  });

  it('a hole in the ids of queryByItems / queryByItemsSync', async () => {
    const index = built();
    expectHoleAt(
      await expectRejectCode(index.queryByItems([0, , 2] as number[], 3), ErrorCodes.INVALID_ARGUMENT),
      'ids',
      1,
    );
    expectHoleAt(
      expectCode(() => index.queryByItemsSync([0, , 2] as number[], 3), ErrorCodes.INVALID_ARGUMENT),
      'ids',
      1,
    );
    expect(index.queryByItemsSync([0, 2], 3).counts[1]).toBe(3);
  });

  it.each(['allow', 'deny'])('a hole in the %s list', async (name) => {
    const index = built();
    const list = [0, , 2] as number[];
    expectHoleAt(
      expectCode(() => index.getNnsByVector([1, 0, 0], 3, { [name]: list }), ErrorCodes.INVALID_ARGUMENT),
      name,
      1,
    );
    expectHoleAt(
      expectCode(() => index.getNnsByItem(0, 3, { [name]: list }), ErrorCodes.INVALID_ARGUMENT),
      name,
      1,
    );
    expectHoleAt(
      expectCode(() => index.querySync([[1, 0, 0]], 3, { [name]: list }), ErrorCodes.INVALID_ARGUMENT),
      name,
      1,
    );
    expectHoleAt(
      await expectRejectCode(index.queryByItems([0], 3, { [name]: list }), ErrorCodes.INVALID_ARGUMENT),
      name,
      1,
    );
  });
});

describe('H5: huge sparse arrays are refused without iterating their length', () => {
  it('query(new Array(1e7)) rejects at the first hole instead of running 10 million queries', async () => {
    const index = built();
    expectHoleAt(await expectRejectCode(index.query(new Array(1e7), 3), ErrorCodes.INVALID_ARGUMENT), 'vectors', 0);
    expectHoleAt(
      expectCode(() => index.querySync(new Array(1e7), 3), ErrorCodes.INVALID_ARGUMENT),
      'vectors',
      0,
    );
  });

  it('real elements, then holes up to a length within the limits: refused at the first hole', async () => {
    const index = built();
    const long = 2 ** 28;
    const rows = holeyAfter(
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      long,
    );
    expectHoleAt(await expectRejectCode(index.query(rows, 3), ErrorCodes.INVALID_ARGUMENT), 'vectors', 2);
    expectHoleAt(
      expectCode(() => new Annoy(F, 'euclidean').addItems(rows), ErrorCodes.INVALID_ARGUMENT),
      'vectors',
      2,
    );
    expectHoleAt(
      expectCode(() => index.getNnsByVector(holeyAfter([1, 0, 0], 2 ** 25), 3), ErrorCodes.INVALID_ARGUMENT),
      'vector',
      3,
    );
    const ids = holeyAfter([0, 1], long);
    expectHoleAt(await expectRejectCode(index.queryByItems(ids, 3), ErrorCodes.INVALID_ARGUMENT), 'ids', 2);
    expectHoleAt(
      expectCode(() => index.getNnsByItem(0, 3, { allow: ids }), ErrorCodes.INVALID_ARGUMENT),
      'allow',
      2,
    );
  });

  it('length 2^32 - 1: an AnnoyError naming the length, not a RangeError after seconds', async () => {
    const index = built();
    const expectTooLong = (err: { message: string }) => expect(err.message).toContain(String(HUGE));
    expectTooLong(await expectRejectCode(index.query(holeyAfter([[1, 0, 0]], HUGE), 3), ErrorCodes.INVALID_ARGUMENT));
    expectTooLong(expectCode(() => index.addItems(holeyAfter([[1, 0, 0]], HUGE)), ErrorCodes.INVALID_ARGUMENT));
    expectTooLong(expectCode(() => index.getNnsByVector(holeyAfter([1, 0, 0], HUGE), 3), ErrorCodes.INVALID_ARGUMENT));
    expectTooLong(await expectRejectCode(index.queryByItems(holeyAfter([0], HUGE), 3), ErrorCodes.INVALID_ARGUMENT));
    expectTooLong(
      expectCode(() => index.querySync([[1, 0, 0]], 3, { deny: holeyAfter([0], HUGE) }), ErrorCodes.INVALID_ARGUMENT),
    );
    expect(index.getNnsByItem(0, 3, -1, false)).toHaveLength(3);
  });

  it('rows x f beyond one typed array: refused before a single row is read', async () => {
    const index = built();
    const rows = endlessRows(HUGE, [1, 0, 0]);
    await expectRejectCode(index.query(rows.value, 3), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.querySync(rows.value, 3), ErrorCodes.INVALID_ARGUMENT);
    expect(rows.reads()).toBe(0);
    // f = 0: the first row fixes the dimension, and the count is refused right after it
    const fresh = new Annoy(0, 'euclidean');
    const more = endlessRows(2 ** 30, [1, 0, 0]);
    expectCode(() => fresh.addItems(more.value), ErrorCodes.INVALID_ARGUMENT);
    expect(more.reads()).toBe(1);
    expect(fresh.getNItems()).toBe(0);
  });

  it('id lists and vectors longer than any call accepts: refused before an element is read', async () => {
    const index = built();
    const ids = endlessRows(HUGE, 0);
    await expectRejectCode(index.queryByItems(ids.value as number[], 3), ErrorCodes.INVALID_ARGUMENT);
    expectCode(() => index.getNnsByVector([1, 0, 0], 3, { deny: ids.value as number[] }), ErrorCodes.INVALID_ARGUMENT);
    const components = endlessRows(HUGE, 0.5);
    expectCode(() => index.getNnsByVector(components.value as number[], 3), ErrorCodes.INVALID_ARGUMENT);
    expect(ids.reads() + components.reads()).toBe(0);
  });
});
