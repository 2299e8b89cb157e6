// Bad vectors: every error path asserts the code AND that the index is unchanged and still works.
import { Annoy, ErrorCodes } from '../../lib';
import { asIds, expectCode, snapshot } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

const METRICS = ['angular', 'euclidean', 'manhattan', 'dot', 'hamming'];

/** An unbuilt index with 3 items of dimension 3. */
function unbuilt(metric = 'euclidean', f = 3): Annoy {
  const index = make(f, metric);
  makeVectors(3, 3, 1).forEach((v, i) =>
    index.addItem(
      i,
      v.map((x) => (metric === 'hamming' ? (x > 0 ? 1 : 0) : x)),
    ),
  );
  return index;
}

function builtIndex(metric = 'euclidean'): Annoy {
  return unbuilt(metric).build(3);
}

/** Runs `bad` expecting `code`, then checks the state is unchanged and the index still works. */
function expectRejected(index: Annoy, bad: () => unknown, code: string | string[]): void {
  const before = snapshot(index);
  expectCode(bad, code);
  expect(snapshot(index)).toEqual(before);
  if (index.info().built) {
    expect(asIds(index.getNnsByVector([1, 0, 1], 3, -1, false)).length).toBeGreaterThan(0);
  } else {
    const n = index.getNItems();
    index.addItem(n, [0.5, 1, 1]);
    expect(index.getNItems()).toBe(n + 1);
    index.build(2);
    const ids = asIds(index.getNnsByItem(n, 1, -1, false));
    expect(ids.length).toBe(1);
    expect(ids[0]).toBeLessThanOrEqual(n);
  }
}

/** addItem(3, vec) on an unbuilt index of each metric: rejected with `code` (see expectRejected). */
function expectAddRejected(metrics: readonly string[], vec: unknown, code: string): void {
  for (const metric of metrics) {
    const index = unbuilt(metric);
    expectRejected(index, () => index.addItem(3, vec as never), code);
  }
}

/** `vec` as the first vector of an f = 0 index of `metric`: `code`, and f and the count stay 0. */
function expectFirstRejected(metric: string, vec: unknown, code: string): void {
  const index = make(0, metric);
  expectCode(() => index.addItem(0, vec as never), code);
  expect(index.f).toBe(0);
  expect(index.getNItems()).toBe(0);
}

const WRONG_LENGTH: Array<[string, unknown]> = [
  ['2 components', [1, 2]],
  ['4 components', [1, 2, 3, 4]],
  ['1000 components', new Array(1000).fill(1)],
  ['Float32Array of 2', new Float32Array([1, 2])],
  ['Float32Array of 4', new Float32Array([1, 2, 3, 4])],
];

const NON_FINITE: Array<[string, unknown]> = [
  ['NaN', [1, NaN, 3]],
  ['Infinity', [Infinity, 2, 3]],
  ['-Infinity', [1, 2, -Infinity]],
  ['Float32Array with NaN', new Float32Array([1, 2, NaN])],
  ['Float32Array with Infinity', new Float32Array([Infinity, 2, 3])],
];

const NOT_A_VECTOR: Array<[string, unknown]> = [
  ['a string', 'abc'],
  ['a number', 5],
  ['null', null],
  ['undefined', undefined],
  ['an object', { a: 1 }],
  ['a boolean', true],
  ['strings inside', [1, 'a', 3]],
  ['numeric strings', ['1', '2', '3']],
  ['null inside', [1, null, 3]],
  ['undefined inside', [1, undefined, 3]],
  ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['nested arrays', [[1], [2], [3]]],
  ['a bigint inside', [1, BigInt(2), 3]],
  ['an object inside', [1, {}, 3]],
];

describe('Annoy#addItem() with a bad vector', () => {
  describe('wrong length -> ANNOY_DIMENSION_MISMATCH', () => {
    it.each(WRONG_LENGTH)('fixed f = 3, %s', (_name, vec) => {
      expectAddRejected(METRICS, vec, ErrorCodes.DIMENSION_MISMATCH);
    });

    it.each(WRONG_LENGTH)('inferred f (first vector had 3), %s', (_name, vec) => {
      const index = make(0, 'euclidean');
      index.addItem(0, [1, 2, 3]);
      expectRejected(index, () => index.addItem(1, vec as never), ErrorCodes.DIMENSION_MISMATCH);
      expect(index.f).toBe(3);
    });

    it('overwriting an existing id with a wrong-length vector keeps the old vector', () => {
      const index = unbuilt('angular');
      const old = index.getItemVector(1);
      expectRejected(index, () => index.addItem(1, [1, 2]), ErrorCodes.DIMENSION_MISMATCH);
      expect(index.getItemVector(1)).toEqual(old);
    });
  });

  describe('empty vector -> ANNOY_EMPTY_VECTOR', () => {
    it.each([
      ['[]', []],
      ['Float32Array(0)', new Float32Array(0)],
    ] as Array<[string, unknown]>)('f = 0: %s, and f stays 0', (_name, vec) => {
      for (const metric of METRICS) {
        const index = make(0, metric);
        const before = snapshot(index);
        expectCode(() => index.addItem(0, vec as never), ErrorCodes.EMPTY_VECTOR);
        expect(snapshot(index)).toEqual(before);
        expect(index.f).toBe(0);
        expect(index.getNItems()).toBe(0);
        index.addItem(0, [1, 0, 1, 1]);
        expect(index.f).toBe(4);
      }
    });

    it.each([
      ['[]', []],
      ['Float32Array(0)', new Float32Array(0)],
    ] as Array<[string, unknown]>)('fixed f = 3: %s', (_name, vec) => {
      expectAddRejected(['euclidean'], vec, ErrorCodes.EMPTY_VECTOR);
    });
  });

  describe('NaN / Infinity component -> ANNOY_NON_FINITE', () => {
    it.each(NON_FINITE)('%s', (_name, vec) => {
      expectAddRejected(METRICS, vec, ErrorCodes.NON_FINITE);
    });

    it.each(NON_FINITE)('as the first vector of an f = 0 index (%s): f stays 0', (_name, vec) => {
      expectFirstRejected('angular', vec, ErrorCodes.NON_FINITE);
    });

    it('a finite double that overflows float32 (1e39) is rejected too', () => {
      const index = unbuilt('euclidean');
      expectRejected(index, () => index.addItem(3, [1e39, 0, 0]), ErrorCodes.NON_FINITE);
    });

    it('overwriting an existing id with NaN keeps the old vector', () => {
      const index = unbuilt('euclidean');
      const old = index.getItemVector(2);
      expectRejected(index, () => index.addItem(2, [NaN, 0, 0]), ErrorCodes.NON_FINITE);
      expect(index.getItemVector(2)).toEqual(old);
    });
  });

  describe('not a vector -> ANNOY_INVALID_ARGUMENT', () => {
    it.each(NOT_A_VECTOR)('%s', (_name, vec) => {
      expectAddRejected(['euclidean'], vec, ErrorCodes.INVALID_ARGUMENT);
    });

    it.each(NOT_A_VECTOR)('%s, as the first vector of an f = 0 index', (_name, vec) => {
      expectFirstRejected('euclidean', vec, ErrorCodes.INVALID_ARGUMENT);
    });

    it('a missing vector argument', () => {
      const index = unbuilt('euclidean');
      expectRejected(index, () => index.addItem(3, undefined as never), ErrorCodes.INVALID_ARGUMENT);
    });
  });
});

describe('Annoy#getNnsByVector() with a bad vector', () => {
  it.each(WRONG_LENGTH)('%s -> ANNOY_DIMENSION_MISMATCH', (_name, vec) => {
    for (const metric of METRICS) {
      const index = builtIndex(metric);
      expectRejected(index, () => index.getNnsByVector(vec as never, 3), ErrorCodes.DIMENSION_MISMATCH);
    }
  });

  it.each([
    ['[]', []],
    ['Float32Array(0)', new Float32Array(0)],
  ] as Array<[string, unknown]>)('%s -> ANNOY_EMPTY_VECTOR', (_name, vec) => {
    const index = builtIndex('angular');
    expectRejected(index, () => index.getNnsByVector(vec as never, 3), ErrorCodes.EMPTY_VECTOR);
  });

  it.each(NON_FINITE)('%s -> ANNOY_NON_FINITE', (_name, vec) => {
    for (const metric of METRICS) {
      const index = builtIndex(metric);
      expectRejected(index, () => index.getNnsByVector(vec as never, 3), ErrorCodes.NON_FINITE);
    }
  });

  it.each(NOT_A_VECTOR)('%s -> ANNOY_INVALID_ARGUMENT', (_name, vec) => {
    const index = builtIndex('euclidean');
    expectRejected(index, () => index.getNnsByVector(vec as never, 3), ErrorCodes.INVALID_ARGUMENT);
  });

  it('include_distances = false does not skip the checks', () => {
    const index = builtIndex('euclidean');
    expectRejected(index, () => index.getNnsByVector([1, 2] as never, 3, -1, false), ErrorCodes.DIMENSION_MISMATCH);
    expectRejected(index, () => index.getNnsByVector([NaN, 2, 3], 3, -1, false), ErrorCodes.NON_FINITE);
  });
});
