// A state is plain data: it survives structuredClone, v8.serialize/deserialize and a
// MessagePort; dumps() / Annoy.loads() carry the same thing as one Buffer.
import * as v8 from 'v8';
import { MessageChannel } from 'worker_threads';
import { Annoy } from '../../lib';
import { tmpPath } from '../helpers/tmp';
import {
  answers,
  buildIndex,
  COMPRESS_MODES,
  CompressMode,
  configure,
  dumps,
  fixture,
  Fixture,
  fromState,
  isBytes,
  loads,
  Metric,
  METRICS,
  PickleState,
  px,
  toState,
} from '../helpers/persistence';

type Mode = 'byte' | 'disk';
const MODES: Mode[] = ['byte', 'disk'];
const FIXTURES = new Map<Metric, Fixture>(METRICS.map((m) => [m, fixture(m, 150)]));

function prepared(metric: Metric, mode: Mode, cm: CompressMode): { index: Annoy; fx: Fixture } {
  const fx = FIXTURES.get(metric)!;
  const index = buildIndex(fx, { trees: 4 });
  if (mode === 'disk') index.save(tmpPath(`${metric}.ann`));
  configure(index, { pickleMode: mode, compressMode: cm, prefault: mode === 'disk' });
  return { index, fx };
}

const MODE_CM: Array<[Mode, string, CompressMode]> = MODES.flatMap((m) =>
  COMPRESS_MODES.map((cm) => [m, String(cm), cm] as [Mode, string, CompressMode]),
);

function expectSameState(copy: PickleState, state: PickleState): void {
  for (const key of ['version', 'f', 'metric', 'seed', 'mode', 'compressMode', 'prefault', 'path', 'rawSize']) {
    expect(copy[key]).toEqual(state[key]);
  }
  if (state.bytes !== undefined) {
    expect(isBytes(copy.bytes)).toBe(true);
    expect(Buffer.from(copy.bytes as Uint8Array).equals(Buffer.from(state.bytes))).toBe(true);
  }
}

describe('structuredClone(state)', () => {
  it.each(MODE_CM)('%s mode, compressMode %s: the clone restores an identical index', (mode, _l, cm) => {
    for (const metric of ['angular', 'hamming'] as Metric[]) {
      const { index, fx } = prepared(metric, mode, cm);
      const state = toState(index);
      const copy = structuredClone(state) as PickleState;
      expectSameState(copy, state);
      const restored = fromState(copy);
      expect(answers(restored, fx)).toEqual(answers(index, fx));
      expect(px(restored).compressMode).toBe(cm);
    }
  });

  it('a clone of a clone still works (bytes arrive as a plain Uint8Array, not a Buffer)', () => {
    const { index, fx } = prepared('euclidean', 'byte', 'zlib');
    const copy = structuredClone(structuredClone(toState(index))) as PickleState;
    expect(isBytes(copy.bytes)).toBe(true);
    expect(answers(fromState(copy), fx)).toEqual(answers(index, fx));
  });
});

describe('v8.deserialize(v8.serialize(state))', () => {
  it.each(MODE_CM)('%s mode, compressMode %s: restores an identical index', (mode, _l, cm) => {
    for (const metric of ['euclidean', 'dot'] as Metric[]) {
      const { index, fx } = prepared(metric, mode, cm);
      const state = toState(index);
      const copy = v8.deserialize(v8.serialize(state)) as PickleState;
      expectSameState(copy, state);
      expect(answers(fromState(copy), fx)).toEqual(answers(index, fx));
    }
  });
});

describe('MessagePort.postMessage(state)', () => {
  it.each(MODE_CM)('%s mode, compressMode %s: the received copy restores an identical index', async (mode, _l, cm) => {
    const { index, fx } = prepared('manhattan', mode, cm);
    const state = toState(index);
    const { port1, port2 } = new MessageChannel();
    try {
      const received = new Promise<PickleState>((resolve) => port2.once('message', resolve));
      port1.postMessage(state);
      const copy = await received;
      expectSameState(copy, state);
      expect(answers(fromState(copy), fx)).toEqual(answers(index, fx));
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('dumps() / Annoy.loads()', () => {
  const CASES: Array<[Mode, string, Metric, CompressMode]> = [];
  for (const mode of MODES)
    for (const cm of COMPRESS_MODES) for (const m of METRICS) CASES.push([mode, String(cm), m, cm]);

  it.each(CASES)(
    '%s mode, compressMode %s, %s: one Buffer that loads into an identical index',
    (mode, _l, metric, cm) => {
      const { index, fx } = prepared(metric, mode, cm);
      const bytes = dumps(index);
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect(bytes.length).toBeGreaterThan(0);
      const restored = loads(bytes);
      expect(restored).not.toBe(index);
      expect(answers(restored, fx)).toEqual(answers(index, fx));
      expect(restored.getNItems()).toBe(index.getNItems());
      expect(restored.getNTrees()).toBe(index.getNTrees());
      expect(px(restored).compressMode).toBe(cm);
      expect(px(restored).pickleMode).toBe(mode);
      expect(restored.prefault).toBe(index.prefault);
      if (mode === 'disk') {
        expect(restored.onDiskPath).toBe(index.onDiskPath);
        expect(restored.info().loaded).toBe(true);
      } else {
        expect(restored.onDiskPath).toBeNull();
      }
    },
  );

  it('loads() takes a plain Uint8Array copy and a Buffer that is a slice of a larger buffer', () => {
    const { index, fx } = prepared('angular', 'byte', 'gzip');
    const bytes = dumps(index);
    expect(answers(loads(new Uint8Array(bytes)), fx)).toEqual(answers(index, fx));
    const big = Buffer.alloc(bytes.length + 100, 0xaa);
    bytes.copy(big, 37);
    expect(answers(loads(big.subarray(37, 37 + bytes.length)), fx)).toEqual(answers(index, fx));
  });

  it('dumps() of an unbuilt index with items loads into an unbuilt index that can be built', () => {
    const fx = FIXTURES.get('euclidean')!;
    const index = buildIndex(fx, { build: false, seed: 5 });
    const restored = loads(dumps(index));
    expect(restored.info().built).toBe(false);
    expect(restored.getNItems()).toBe(fx.items.length);
    expect(restored.getItemVector(3)).toEqual(index.getItemVector(3));
    index.build(3, 1);
    restored.build(3, 1);
    expect(answers(restored, fx)).toEqual(answers(index, fx));
  });

  it('the buffer survives structuredClone and v8 round trips', () => {
    const { index, fx } = prepared('dot', 'byte', 'brotli');
    const bytes = dumps(index);
    const expected = answers(index, fx);
    expect(answers(loads(structuredClone(bytes)), fx)).toEqual(expected);
    expect(answers(loads(v8.deserialize(v8.serialize(bytes))), fx)).toEqual(expected);
  });
});
