// toState() / Annoy.fromState(): every mode x compressMode x metric gives back an index that
// answers exactly as the original; 'auto' resolves as documented; byte mode also carries an
// unbuilt index.
import * as fs from 'fs';
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode, tmpPath } from '../helpers/tmp';
import {
  answers,
  buildIndex,
  COMPRESS_MODES,
  CompressMode,
  configure,
  expectStateShape,
  fixture,
  Fixture,
  fromState,
  itemsView,
  Metric,
  METRICS,
  PickleMode,
  px,
  toState,
} from '../helpers/persistence';

const FIXTURES = new Map<Metric, Fixture>(METRICS.map((m) => [m, fixture(m)]));

interface Setup {
  label: string;
  pickleMode: PickleMode;
  /** save() the index first, so that a path is known */
  saved: boolean;
  resolved: 'byte' | 'disk';
}

const SETUPS: Setup[] = [
  { label: "'byte' (in memory)", pickleMode: 'byte', saved: false, resolved: 'byte' },
  { label: "'byte' (after save)", pickleMode: 'byte', saved: true, resolved: 'byte' },
  { label: "'disk' (after save)", pickleMode: 'disk', saved: true, resolved: 'disk' },
  { label: "'auto' (in memory -> byte)", pickleMode: 'auto', saved: false, resolved: 'byte' },
  { label: "'auto' (after save -> disk)", pickleMode: 'auto', saved: true, resolved: 'disk' },
];

const CASES: Array<[string, string, string, Setup, CompressMode, Metric]> = [];
for (const setup of SETUPS) {
  for (const cm of COMPRESS_MODES) {
    for (const metric of METRICS) CASES.push([setup.label, String(cm), metric, setup, cm, metric]);
  }
}

describe('toState() -> Annoy.fromState() round trips', () => {
  it.each(CASES)('mode %s, compressMode %s, %s', (_a, _b, _c, setup, cm, metric) => {
    const fx = FIXTURES.get(metric)!;
    const index = buildIndex(fx, { trees: 5 });
    const p = tmpPath(`${metric}.ann`);
    if (setup.saved) index.save(p);
    // prefault alternates across the matrix so both values are carried
    const prefault = (METRICS.indexOf(metric) + COMPRESS_MODES.indexOf(cm)) % 2 === 1;
    configure(index, { pickleMode: setup.pickleMode, compressMode: cm, prefault });
    const expected = answers(index, fx);

    const state = toState(index);
    expectStateShape(state, index, setup.resolved, cm);
    if (setup.resolved === 'disk') expect(state.path).toBe(p);

    const restored = fromState(state);
    expect(restored).not.toBe(index);
    expect(answers(restored, fx)).toEqual(expected);
    expect(restored.getNItems()).toBe(index.getNItems());
    expect(restored.getNTrees()).toBe(index.getNTrees());
    expect(restored.info().seed).toBe(index.info().seed);

    // the restored index keeps the persistence settings of the state
    if (setup.pickleMode === 'auto') expect(['auto', setup.resolved]).toContain(px(restored).pickleMode);
    else expect(px(restored).pickleMode).toBe(setup.pickleMode);
    expect(px(restored).compressMode).toBe(cm);
    expect(restored.prefault).toBe(prefault);

    if (setup.resolved === 'disk') {
      // disk mode maps the file read-only: a loaded index
      expect(restored.onDiskPath).toBe(p);
      expect(restored.info().loaded).toBe(true);
      expectCode(() => restored.addItem(fx.items.length, fx.items[0]), ErrorCodes.READ_ONLY);
    } else {
      expect(restored.onDiskPath).toBeNull();
      expect(restored.info().built).toBe(true);
    }
    // the original is untouched
    expect(answers(index, fx)).toEqual(expected);
  });
});

describe("'auto' resolution", () => {
  const fx = fixture('angular', 120);

  it("in memory -> 'byte'", () => {
    const index = buildIndex(fx);
    expect(toState(index).mode).toBe('byte');
  });

  /** index's state is 'disk' with path p, and restores to an index that answers like `original`, which it returns. */
  function expectDiskState(index: Annoy, p: string, original = index): Annoy {
    const state = toState(index);
    expect(state.mode).toBe('disk');
    expect(state.path).toBe(p);
    const restored = fromState(state);
    expect(answers(restored, fx)).toEqual(answers(original, fx));
    return restored;
  }

  /** fx built on disk at p (4 trees, one thread). */
  function onDiskBuilt(p: string): Annoy {
    const index = new Annoy(fx.f, 'angular').onDiskBuild(p);
    fx.items.forEach((v, i) => index.addItem(i, v));
    return index.build(4, 1);
  }

  it("after save -> 'disk' with the saved path", () => {
    const p = tmpPath();
    expectDiskState(buildIndex(fx).save(p), p);
  });

  it("after load -> 'disk' with the loaded path", () => {
    const p = tmpPath();
    const original = buildIndex(fx).save(p);
    expectDiskState(new Annoy(fx.f, 'angular').load(p), p, original);
  });

  it("after onDiskBuild + build -> 'disk' with the build file", () => {
    const p = tmpPath();
    expect(expectDiskState(onDiskBuilt(p), p).info().loaded).toBe(true);
  });

  it("after onDiskBuild + build, pickleMode 'byte' still copies the whole index", () => {
    const p = tmpPath();
    const index = onDiskBuilt(p);
    index.pickleMode = 'byte';
    const state = toState(index);
    expect(state.mode).toBe('byte');
    fs.unlinkSync(p); // a byte state does not need the file
    const restored = fromState(state);
    expect(answers(restored, fx)).toEqual(answers(index, fx));
    expect(restored.onDiskPath).toBeNull();
  });

  it('a restored disk index pickles again as disk, a restored byte index as byte', () => {
    const p = tmpPath();
    const index = buildIndex(fx).save(p);
    const again = fromState(toState(fromState(toState(index))));
    expect(toState(again).mode).toBe('disk');
    expect(answers(again, fx)).toEqual(answers(index, fx));
    const mem = buildIndex(fx);
    const twice = fromState(toState(fromState(toState(mem))));
    expect(toState(twice).mode).toBe('byte');
    expect(answers(twice, fx)).toEqual(answers(mem, fx));
  });
});

describe('byte mode and the seed', () => {
  it('carries a custom seed (bigint) and restores it', () => {
    const fx = fixture('euclidean', 100);
    const index = buildIndex(fx, { seed: 42 });
    const state = toState(index);
    expect(state.seed).toBe(42n);
    expect(fromState(state).info().seed).toBe(42n);
  });

  it('disk mode carries the seed too', () => {
    const fx = fixture('euclidean', 100);
    const index = buildIndex(fx, { seed: 42 });
    index.save(tmpPath());
    const state = toState(index);
    expect(state.mode).toBe('disk');
    expect(state.seed).toBe(42n);
    expect(fromState(state).info().seed).toBe(42n);
  });

  it('carries the largest seed (2^64 - 1)', () => {
    const fx = fixture('euclidean', 100);
    const index = buildIndex(fx, { build: false });
    index.setSeed(2n ** 64n - 1n);
    index.build(3, 1);
    const state = toState(index);
    expect(state.seed).toBe(2n ** 64n - 1n);
    expect(fromState(state).info().seed).toBe(2n ** 64n - 1n);
  });

  it('the state stays valid after the original index is unloaded or dropped', () => {
    const fx = fixture('dot', 150);
    for (const cm of COMPRESS_MODES) {
      const index = configure(buildIndex(fx), { compressMode: cm });
      const expected = answers(index, fx);
      const state = toState(index);
      index.unload();
      expect(answers(fromState(state), fx)).toEqual(expected);
    }
  });

  it('one state restores any number of independent indexes', () => {
    const fx = fixture('manhattan', 150);
    const index = buildIndex(fx);
    const expected = answers(index, fx);
    const state = toState(index);
    const a = fromState(state);
    const b = fromState(state);
    expect(a).not.toBe(b);
    a.unload();
    expect(answers(b, fx)).toEqual(expected);
    expect(answers(fromState(state), fx)).toEqual(expected);
  });
});

describe('byte mode with an unbuilt index that holds items', () => {
  it.each(METRICS.flatMap((m) => COMPRESS_MODES.map((cm) => [m, String(cm), cm] as const)))(
    '%s, compressMode %s: items come back, not built, and build gives the same forest',
    (metric, _label, cm) => {
      const fx = fixture(metric as Metric, 120);
      const index = buildIndex(fx, { build: false, seed: 7 });
      configure(index, { compressMode: cm });
      const before = itemsView(index, fx);
      expect(before.built).toBe(false);

      const state = toState(index);
      expect(state.mode).toBe('byte');
      expectStateShape(state, index, 'byte', cm);
      const restored = fromState(state);
      expect(itemsView(restored, fx)).toEqual(before);
      expect(restored.info().built).toBe(false);
      expect(restored.info().seed).toBe(7n);
      expectCode(() => restored.getNnsByItem(0, 3), ErrorCodes.NOT_BUILT);

      // it can still take items and be built; the same seed gives the same answers
      restored.addItem(fx.items.length, fx.items[0]);
      index.addItem(fx.items.length, fx.items[0]);
      restored.build(4, 1);
      index.build(4, 1);
      expect(answers(restored, fx)).toEqual(answers(index, fx));
    },
  );

  it("pickleMode 'auto' on an unbuilt in-memory index resolves to 'byte'", () => {
    const fx = fixture('euclidean', 60);
    const index = buildIndex(fx, { build: false });
    expect(toState(index).mode).toBe('byte');
  });
});
