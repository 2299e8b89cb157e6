// Bad item ids: invalid ids, ids beyond the index, holes, and ids too large to allocate.
import { Annoy, ErrorCodes } from '../../lib';
import { asIds, describeChild, expectCode, runChild, snapshot, tmpPath } from '../helpers/tmp';
import { makeVectors } from '../helpers/random';
import { make } from '../helpers/fixtures';

/** ids 0, 1, 2, 5 (3 and 4 are holes): n_items = 6. */
function withHoles(metric = 'euclidean'): Annoy {
  const index = make(3, metric);
  const vs = makeVectors(4, 3, 9);
  [0, 1, 2, 5].forEach((id, k) => index.addItem(id, vs[k]));
  return index;
}

function expectUnchanged(index: Annoy, bad: () => unknown, code: string | readonly string[]): void {
  const before = snapshot(index);
  expectCode(bad, code);
  expect(snapshot(index)).toEqual(before);
}

const INVALID_IDS: Array<[string, unknown]> = [
  ['-1', -1],
  ['-2^31', -(2 ** 31)],
  ['1.5', 1.5],
  ['-0.5', -0.5],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['the string "1"', '1'],
  ['the string "abc"', 'abc'],
  ['2^31', 2 ** 31],
  ['2^32', 2 ** 32],
  ['2^53', 2 ** 53],
];

const NOT_NUMBERS: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['an object', {}],
  ['an array', [1]],
  ['a boolean', true],
];

describe('Annoy#addItem() with a bad id', () => {
  it.each(INVALID_IDS)('%s -> ANNOY_INVALID_ID, state unchanged, index still works', (_name, id) => {
    const index = withHoles();
    expectUnchanged(index, () => index.addItem(id as never, [1, 2, 3]), ErrorCodes.INVALID_ID);
    index.addItem(6, [1, 1, 1]).build(2);
    expect(asIds(index.getNnsByItem(6, 1, -1, false))).toEqual([6]);
  });

  it.each(NOT_NUMBERS)('%s -> ANNOY_INVALID_ID or ANNOY_INVALID_ARGUMENT', (_name, id) => {
    const index = withHoles();
    expectUnchanged(index, () => index.addItem(id as never, [1, 2, 3]), [
      ErrorCodes.INVALID_ID,
      ErrorCodes.INVALID_ARGUMENT,
    ]);
  });

  it('2^31 - 1 is outside the documented range (n_items would overflow int32)', () => {
    const index = withHoles();
    expectUnchanged(index, () => index.addItem(2 ** 31 - 1, [1, 2, 3]), [
      ErrorCodes.INVALID_ID,
      ErrorCodes.ID_TOO_LARGE,
    ]);
  });

  it('on an f = 0 index a bad id does not fix the dimension', () => {
    const index = make(0, 'angular');
    expectCode(() => index.addItem(-1, [1, 2, 3]), ErrorCodes.INVALID_ID);
    expect(index.f).toBe(0);
    index.addItem(0, [1, 2]);
    expect(index.f).toBe(2);
  });
});

describe('Annoy#addItem() with an id too large to allocate', () => {
  // Runs in a child process: a naive implementation would crash or eat all memory.
  const body = `
const { Annoy } = lib;
const out = {};
function code(fn) { try { fn(); return 'no error'; } catch (e) { return e && e.name === 'AnnoyError' ? e.code : 'non-AnnoyError ' + (e && e.name) + ': ' + (e && e.message); } }
const vec = Array.from({ length: 100 }, (_, k) => (k % 7) - 3);
for (const metric of ['angular', 'euclidean']) {
  const r = {};
  const empty = new Annoy(100, metric);
  const rss0 = process.memoryUsage().rss;
  const t0 = Date.now();
  r.emptyCode = code(() => empty.addItem(2 ** 31 - 2, vec));
  r.ms = Date.now() - t0;
  r.rssGrowthMiB = (process.memoryUsage().rss - rss0) / 1048576;
  r.emptyNItems = empty.getNItems();
  r.emptyF = empty.f;
  empty.addItem(0, vec).addItem(1, vec.map((x) => -x));
  empty.build(2);
  r.emptyQuery = empty.getNnsByItem(0, 2, -1, false);

  const some = new Annoy(100, metric);
  for (let i = 0; i < 10; i++) some.addItem(i, vec.map((x, k) => x + i * (k % 3)));
  r.someCode = code(() => some.addItem(2 ** 31 - 2, vec));
  r.someNItems = some.getNItems();
  r.someVector9 = some.getItemVector(9).slice(0, 3);
  some.build(3);
  r.someQuery = some.getNnsByItem(9, 1, -1, false);

  const inferred = new Annoy(0, metric);
  r.inferredCode = code(() => inferred.addItem(2 ** 31 - 2, vec));
  r.inferredF = inferred.f;
  r.inferredNItems = inferred.getNItems();
  out[metric] = r;
}
emit(out);
`;

  it('id 2^31 - 2 with f = 100 -> ANNOY_ID_TOO_LARGE, quickly, without crashing or eating memory', () => {
    const res = runChild(body, {}, 30000);
    if (res.messages.length !== 1) throw new Error(describeChild(res));
    const out = res.messages[0];
    for (const metric of ['angular', 'euclidean']) {
      const r = out[metric];
      expect({ metric, code: r.emptyCode }).toEqual({ metric, code: 'ANNOY_ID_TOO_LARGE' });
      expect(r.rssGrowthMiB).toBeLessThan(256);
      expect(r.ms).toBeLessThan(5000);
      expect(r.emptyNItems).toBe(0);
      expect(r.emptyF).toBe(100);
      expect(r.emptyQuery[0]).toBe(0);
      expect(r.someCode).toBe('ANNOY_ID_TOO_LARGE');
      expect(r.someNItems).toBe(10);
      expect(r.someVector9.length).toBe(3);
      expect(r.someQuery).toEqual([9]);
      expect(r.inferredCode).toBe('ANNOY_ID_TOO_LARGE');
      expect(r.inferredNItems).toBe(0);
      expect(r.inferredF).toBe(0);
    }
  });
});

type QueryCase = [string, (index: Annoy, id: any) => unknown];
const BY_ID: QueryCase[] = [
  ['getItemVector(id)', (index, id) => index.getItemVector(id)],
  ['getDistance(id, 0)', (index, id) => index.getDistance(id, 0)],
  ['getDistance(0, id)', (index, id) => index.getDistance(0, id)],
  ['getNnsByItem(id, 3)', (index, id) => index.getNnsByItem(id, 3)],
  ['getNnsByItem(id, 3, -1, false)', (index, id) => index.getNnsByItem(id, 3, -1, false)],
];

describe.each(BY_ID)('%s with a bad id', (_name, call) => {
  const states: Array<[string, () => Annoy]> = [
    ['built', () => withHoles().build(3)],
    [
      'loaded',
      () => {
        const p = tmpPath();
        withHoles().build(3).save(p);
        return make(3, 'euclidean').load(p);
      },
    ],
  ];

  describe.each(states)('on a %s index', (_state, create) => {
    const index = create();

    it.each([
      ['n_items (6)', 6],
      ['n_items + 1000', 1006],
      ['2^31 - 2', 2 ** 31 - 2],
      ['a hole (3)', 3],
      ['a hole (4)', 4],
    ])('%s -> ANNOY_ID_OUT_OF_RANGE', (_label, id) => {
      expectUnchanged(index, () => call(index, id), ErrorCodes.ID_OUT_OF_RANGE);
    });

    it.each([
      ['-1', -1],
      ['-1000', -1000],
      ['1.5', 1.5],
      ['NaN', NaN],
      ['"0"', '0'],
    ] as Array<[string, unknown]>)('%s -> ANNOY_INVALID_ID', (_label, id) => {
      expectUnchanged(index, () => call(index, id), ErrorCodes.INVALID_ID);
    });

    it('2^31 -> ANNOY_INVALID_ID or ANNOY_ID_OUT_OF_RANGE', () => {
      expectUnchanged(index, () => call(index, 2 ** 31), [ErrorCodes.INVALID_ID, ErrorCodes.ID_OUT_OF_RANGE]);
    });

    it('valid ids still work afterwards', () => {
      expect(() => call(index, 5)).not.toThrow();
      expect(() => call(index, 0)).not.toThrow();
    });
  });
});

describe('getItemVector / getDistance on an unbuilt index with holes', () => {
  it('a hole -> ANNOY_ID_OUT_OF_RANGE, n_items -> ANNOY_ID_OUT_OF_RANGE', () => {
    const index = withHoles();
    expectUnchanged(index, () => index.getItemVector(3), ErrorCodes.ID_OUT_OF_RANGE);
    expectUnchanged(index, () => index.getItemVector(6), ErrorCodes.ID_OUT_OF_RANGE);
    expectUnchanged(index, () => index.getDistance(0, 4), ErrorCodes.ID_OUT_OF_RANGE);
    expectUnchanged(index, () => index.getDistance(6, 0), ErrorCodes.ID_OUT_OF_RANGE);
    expect(index.getItemVector(5).length).toBe(3);
  });

  it('an empty index has no ids at all', () => {
    const index = make(3, 'angular');
    expectUnchanged(index, () => index.getItemVector(0), ErrorCodes.ID_OUT_OF_RANGE);
    expectUnchanged(index, () => index.getDistance(0, 0), ErrorCodes.ID_OUT_OF_RANGE);
  });

  it('after unload every id is out of range', () => {
    const p = tmpPath();
    withHoles().build(2).save(p);
    const index = make(3, 'euclidean').load(p).unload();
    expectUnchanged(index, () => index.getItemVector(0), ErrorCodes.ID_OUT_OF_RANGE);
  });
});
