// Calls in the wrong state or with out-of-range arguments: the code, then the state unchanged.
import { Annoy, AnnoyError, ErrorCodes } from '../../lib';
import { asIds, asPair, expectCode, snapshot, tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make, withItems } from '../helpers/fixtures';

const F = 4;
const ITEMS = makeVectors(60, F, 77);

const filled = (metric = 'euclidean'): Annoy => withItems(metric, ITEMS);

function expectUnchanged(index: Annoy, bad: () => unknown, code: string | readonly string[]): void {
  const before = snapshot(index);
  expectCode(bad, code);
  expect(snapshot(index)).toEqual(before);
}

function expectQueryable(index: Annoy): void {
  const [ids] = asPair(index.getNnsByItem(7, 3));
  expect(ids[0]).toBe(7);
}

const savedFile = tmpPath('lifecycle.ann');
beforeAll(() => {
  filled().build(3).save(savedFile);
});

describe('Annoy#addItem() in the wrong state', () => {
  it('after build -> ANNOY_ALREADY_BUILT (the trees are not corrupted)', () => {
    const index = filled().build(3);
    expectUnchanged(index, () => index.addItem(60, ITEMS[0]), ErrorCodes.ALREADY_BUILT);
    expectUnchanged(index, () => index.addItem(0, ITEMS[1]), ErrorCodes.ALREADY_BUILT);
    // an id that would land on a tree node slot in Annoy (#537)
    expectUnchanged(index, () => index.addItem(61, ITEMS[1]), ErrorCodes.ALREADY_BUILT);
    expectQueryable(index);
  });

  it('after load -> ANNOY_READ_ONLY', () => {
    const index = make(F, 'euclidean').load(savedFile);
    expectUnchanged(index, () => index.addItem(60, ITEMS[0]), ErrorCodes.READ_ONLY);
    expectQueryable(index);
  });

  it('after save -> ANNOY_READ_ONLY', () => {
    const index = filled().build(3);
    index.save(tmpPath());
    expectUnchanged(index, () => index.addItem(60, ITEMS[0]), ErrorCodes.READ_ONLY);
    expectQueryable(index);
  });

  it('after deserialize of a built snapshot -> ANNOY_ALREADY_BUILT or ANNOY_READ_ONLY', () => {
    const index = make(F, 'euclidean').deserialize(filled().build(3).serialize());
    expectUnchanged(index, () => index.addItem(60, ITEMS[0]), [ErrorCodes.ALREADY_BUILT, ErrorCodes.READ_ONLY]);
    expectQueryable(index);
  });
});

describe('Annoy#build() in the wrong state', () => {
  it('twice -> ANNOY_ALREADY_BUILT, tree count unchanged', () => {
    const index = filled().build(3);
    expectUnchanged(index, () => index.build(5), ErrorCodes.ALREADY_BUILT);
    expect(index.getNTrees()).toBe(3);
    expectQueryable(index);
  });

  it('after load -> ANNOY_READ_ONLY', () => {
    const index = make(F, 'euclidean').load(savedFile);
    expectUnchanged(index, () => index.build(5), ErrorCodes.READ_ONLY);
    expectQueryable(index);
  });

  it('after save -> ANNOY_READ_ONLY', () => {
    const index = filled().build(3);
    index.save(tmpPath());
    expectUnchanged(index, () => index.build(5), ErrorCodes.READ_ONLY);
    expectQueryable(index);
  });
});

describe('Annoy#unbuild() in the wrong state', () => {
  it('after load -> ANNOY_READ_ONLY', () => {
    const index = make(F, 'euclidean').load(savedFile);
    expectUnchanged(index, () => index.unbuild(), ErrorCodes.READ_ONLY);
    expectQueryable(index);
  });

  it('after save -> ANNOY_READ_ONLY', () => {
    const index = filled().build(3);
    index.save(tmpPath());
    expectUnchanged(index, () => index.unbuild(), ErrorCodes.READ_ONLY);
    expectQueryable(index);
  });
});

describe('Annoy#onDiskBuild() in the wrong state', () => {
  it('after build -> ANNOY_ALREADY_BUILT', () => {
    const index = filled().build(3);
    expectUnchanged(index, () => index.onDiskBuild(tmpPath()), ErrorCodes.ALREADY_BUILT);
    expectQueryable(index);
  });

  it('after load -> ANNOY_READ_ONLY or ANNOY_ALREADY_BUILT', () => {
    const index = make(F, 'euclidean').load(savedFile);
    expectUnchanged(index, () => index.onDiskBuild(tmpPath()), [ErrorCodes.READ_ONLY, ErrorCodes.ALREADY_BUILT]);
    expectQueryable(index);
  });

  it('with f = 0: either ANNOY_DIMENSION_UNKNOWN (state unchanged) or deferred until the first vector', () => {
    const index = make(0, 'euclidean');
    const p = tmpPath();
    const before = snapshot(index);
    let threw = false;
    try {
      index.onDiskBuild(p);
    } catch (e) {
      threw = true;
      expect(e).toBeInstanceOf(AnnoyError);
      expect((e as AnnoyError).code).toBe(ErrorCodes.DIMENSION_UNKNOWN);
      expect(snapshot(index)).toEqual(before);
    }
    index.addItem(0, [1, 2]).addItem(1, [2, 3]).build(2);
    expect(index.f).toBe(2);
    expect(asIds(index.getNnsByItem(0, 2, -1, false))).toEqual([0, 1]);
    if (!threw) {
      const loaded = make(2, 'euclidean').load(p);
      expect(asIds(loaded.getNnsByItem(0, 2, -1, false))).toEqual([0, 1]);
    }
  });
});

describe('Annoy#build() with bad arguments -> ANNOY_INVALID_ARGUMENT', () => {
  // Not a positive integer: bad for both counts.
  const BAD_COUNTS: Array<[string, unknown]> = [
    ['0', 0],
    ['-2', -2],
    ['-100', -100],
    ['1.5', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ];
  const BAD_TREES: Array<[string, unknown]> = [...BAD_COUNTS, ['"10"', '10'], ['null', null], ['missing', undefined]];
  const BAD_JOBS: Array<[string, unknown]> = [...BAD_COUNTS, ['"2"', '2']];

  it.each(BAD_TREES)('nTrees = %s', (_name, nTrees) => {
    const index = filled();
    expectUnchanged(index, () => index.build(nTrees as never), ErrorCodes.INVALID_ARGUMENT);
    expect(index.getNTrees()).toBe(0);
    index.build(2);
    expectQueryable(index);
  });

  it.each(BAD_JOBS)('nJobs = %s', (_name, nJobs) => {
    const index = filled();
    expectUnchanged(index, () => index.build(3, nJobs as never), ErrorCodes.INVALID_ARGUMENT);
    expect(index.getNTrees()).toBe(0);
    index.build(2, 1);
    expectQueryable(index);
  });
});

describe('queries before build -> ANNOY_NOT_BUILT', () => {
  it('on a new index with items', () => {
    const index = filled();
    expectUnchanged(index, () => index.getNnsByItem(0, 3), ErrorCodes.NOT_BUILT);
    expectUnchanged(index, () => index.getNnsByItem(0, 3, -1, false), ErrorCodes.NOT_BUILT);
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], 3), ErrorCodes.NOT_BUILT);
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], 3, -1, false), ErrorCodes.NOT_BUILT);
    index.build(2);
    expectQueryable(index);
  });

  it('on an empty index', () => {
    const index = make(F, 'angular');
    expectUnchanged(index, () => index.getNnsByVector([1, 2, 3, 4], 3), ErrorCodes.NOT_BUILT);
  });

  it('after unbuild', () => {
    const index = filled().build(2).unbuild();
    expectUnchanged(index, () => index.getNnsByItem(0, 3), ErrorCodes.NOT_BUILT);
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], 3), ErrorCodes.NOT_BUILT);
  });

  it('after unload', () => {
    const index = make(F, 'euclidean').load(savedFile).unload();
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], 3), ErrorCodes.NOT_BUILT);
  });

  it('getDistance and getItemVector do not need a build', () => {
    const index = filled();
    expect(typeof index.getDistance(0, 1)).toBe('number');
    expect(index.getItemVector(0).length).toBe(F);
  });
});

describe('queries with bad n / searchK -> ANNOY_INVALID_ARGUMENT', () => {
  const index = filled().build(3);
  const BAD_N: Array<[string, unknown]> = [
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['"5"', '5'],
    ['missing', undefined],
  ];
  const BAD_K: Array<[string, unknown]> = [
    ['-2', -2],
    ['-1000', -1000],
    ['1.5', 1.5],
    ['NaN', NaN],
    ['"10"', '10'],
  ];

  it.each(BAD_N)('n = %s', (_name, n) => {
    expectUnchanged(index, () => index.getNnsByItem(0, n as never), ErrorCodes.INVALID_ARGUMENT);
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], n as never), ErrorCodes.INVALID_ARGUMENT);
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], n as never, -1, false), ErrorCodes.INVALID_ARGUMENT);
    expectQueryable(index);
  });

  it.each(BAD_K)('searchK = %s', (_name, k) => {
    expectUnchanged(index, () => index.getNnsByItem(0, 3, k as never), ErrorCodes.INVALID_ARGUMENT);
    expectUnchanged(index, () => index.getNnsByVector(ITEMS[0], 3, k as never), ErrorCodes.INVALID_ARGUMENT);
    expectQueryable(index);
  });

  it('n = 0 on an unbuilt index is an error either way', () => {
    const unbuilt = filled();
    expectCode(() => unbuilt.getNnsByItem(0, 0), [ErrorCodes.INVALID_ARGUMENT, ErrorCodes.NOT_BUILT]);
  });
});

describe('Annoy#setSeed() with bad seeds -> ANNOY_INVALID_ARGUMENT', () => {
  const BAD_SEEDS: Array<[string, unknown]> = [
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['2^53 (not a safe integer)', 2 ** 53],
    ['-1n', -1n],
    ['2n ** 64n', 2n ** 64n],
    ['"42"', '42'],
  ];

  it.each(BAD_SEEDS)('seed = %s, seed unchanged', (_name, seed) => {
    const index = filled();
    index.setSeed(42);
    expectUnchanged(index, () => index.setSeed(seed as never), ErrorCodes.INVALID_ARGUMENT);
    expect(String(index.info().seed)).toBe('42');
  });
});

describe('new Annoy() with bad arguments', () => {
  it('unknown metric -> ANNOY_UNKNOWN_METRIC, listing the five metrics', () => {
    const err = expectCode(() => make(3, 'cosinus'), ErrorCodes.UNKNOWN_METRIC);
    for (const name of ['angular', 'euclidean', 'manhattan', 'dot', 'hamming']) {
      expect(err.message).toContain(name);
    }
  });

  it.each(['', '   ', 'euclidean2', 'l3', 'hamming distance', 'dot product'])(
    'metric %j -> ANNOY_UNKNOWN_METRIC',
    (metric) => {
      expectCode(() => make(3, metric), ErrorCodes.UNKNOWN_METRIC);
    },
  );

  it.each([
    ['a number', 5],
    ['null', null],
    ['an object', {}],
  ] as Array<[string, unknown]>)(
    'metric that is %s -> ANNOY_UNKNOWN_METRIC or ANNOY_INVALID_ARGUMENT',
    (_name, metric) => {
      expectCode(() => new Annoy(3, metric as never), [ErrorCodes.UNKNOWN_METRIC, ErrorCodes.INVALID_ARGUMENT]);
    },
  );

  it.each([
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['"3"', '3'],
  ] as Array<[string, unknown]>)('f = %s -> ANNOY_INVALID_ARGUMENT', (_name, f) => {
    expectCode(() => new Annoy(f as never, 'angular' as never), ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('Annoy#load() with f = 0 -> ANNOY_DIMENSION_UNKNOWN', () => {
  it('the index keeps f = 0 and still works', () => {
    const index = make(0, 'euclidean');
    expectUnchanged(index, () => index.load(savedFile), ErrorCodes.DIMENSION_UNKNOWN);
    expect(index.f).toBe(0);
    index.addItem(0, [1, 2, 3]).addItem(1, [3, 2, 1]).build(2);
    expect(asIds(index.getNnsByItem(0, 2, -1, false))).toEqual([0, 1]);
  });

  it('even when the file is missing', () => {
    const index = make(0, 'euclidean');
    expectCode(() => index.load(tmpPath('missing.ann')), [ErrorCodes.DIMENSION_UNKNOWN, ErrorCodes.IO]);
  });
});

describe('Annoy#logger that throws', () => {
  it('build either succeeds or fails as a whole (never "threw but built")', async () => {
    const index = filled();
    index.logger = () => {
      throw new Error('logger failure');
    };
    index.verbose(1);
    let threw: unknown = null;
    try {
      index.build(2, 1);
    } catch (e) {
      threw = e;
    }
    await new Promise((r) => setTimeout(r, 50));
    const trees = index.getNTrees();
    if (threw === null) {
      expect(trees).toBe(2);
      expectQueryable(index);
    } else {
      // the call reported a failure: the index must still be unbuilt
      expect({ threw: String(threw), nTrees: trees }).toEqual({ threw: String(threw), nTrees: 0 });
    }
  });

  it('does not crash the process and the index stays usable', () => {
    const index = filled();
    index.logger = () => {
      throw new Error('logger failure');
    };
    index.verbose(2);
    try {
      index.build(2, 2);
    } catch {
      // either outcome is examined by the previous test
    }
    index.logger = () => undefined;
    if (index.getNTrees() === 0) index.build(2);
    expectQueryable(index);
  });
});
