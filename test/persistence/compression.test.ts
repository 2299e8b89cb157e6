// compressMode: standard streams, reproducible output (gzip without a timestamp), real shrinkage.
import { Annoy } from '../../lib';
import {
  answers,
  buildIndex,
  configure,
  decompress,
  dumps,
  fixture,
  fromState,
  loads,
  toState,
} from '../helpers/persistence';

/** A very compressible index: small-integer components, many repeated vectors and id holes. */
function compressible(): Annoy {
  const index = new Annoy(32, 'euclidean');
  for (let i = 0; i < 3000; i += 2) {
    const v = Array.from({ length: 32 }, (_, k) => ((i >> 4) + k) % 3);
    index.addItem(i, v);
  }
  return index.build(4, 1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gzip output is reproducible', () => {
  it('the same index gives the same bytes twice, also across a change of the wall-clock second', async () => {
    const fx = fixture('angular', 300);
    const index = configure(buildIndex(fx), { compressMode: 'gzip' });
    const first = Buffer.from(toState(index).bytes as Uint8Array);
    const firstDump = dumps(index);
    expect(Buffer.from(toState(index).bytes as Uint8Array).equals(first)).toBe(true);
    await sleep(1100); // gzip's MTIME field has one-second resolution
    expect(Buffer.from(toState(index).bytes as Uint8Array).equals(first)).toBe(true);
    expect(dumps(index).equals(firstDump)).toBe(true);
  });

  it('two separately built, identical indexes give the same gzip bytes', () => {
    const fx = fixture('euclidean', 300);
    const a = configure(buildIndex(fx, { seed: 3 }), { compressMode: 'gzip' });
    const b = configure(buildIndex(fx, { seed: 3 }), { compressMode: 'gzip' });
    expect(Buffer.from(toState(a).bytes as Uint8Array).equals(Buffer.from(toState(b).bytes as Uint8Array))).toBe(true);
    expect(dumps(a).equals(dumps(b))).toBe(true);
  });

  it('the gzip header carries no timestamp (MTIME = 0)', () => {
    const index = configure(buildIndex(fixture('dot', 100)), { compressMode: 'gzip' });
    const bytes = toState(index).bytes as Uint8Array;
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 0, 0]);
  });

  it.each(['zlib', 'brotli'] as const)('%s output is reproducible too', (cm) => {
    const index = configure(buildIndex(fixture('manhattan', 200)), { compressMode: cm });
    const a = Buffer.from(toState(index).bytes as Uint8Array);
    const b = Buffer.from(toState(index).bytes as Uint8Array);
    expect(a.equals(b)).toBe(true);
    expect(dumps(index).equals(dumps(index))).toBe(true);
  });
});

describe('compression shrinks a compressible index', () => {
  let index: Annoy;
  let rawLength = 0;
  beforeAll(() => {
    index = compressible();
    rawLength = (toState(index).bytes as Uint8Array).length;
  });

  it.each(['zlib', 'gzip', 'brotli'] as const)(
    '%s: bytes < 25%% of the uncompressed state, rawSize = uncompressed size',
    (cm) => {
      configure(index, { compressMode: cm });
      const state = toState(index);
      const length = (state.bytes as Uint8Array).length;
      expect(length).toBeLessThan(rawLength / 4);
      expect(state.rawSize).toBe(decompress(cm, state.bytes as Uint8Array).length);
      expect(state.rawSize).toBeGreaterThanOrEqual(rawLength * 0.9);
      expect(dumps(index).length).toBeLessThan(dumps(configure(compressible(), { compressMode: null })).length / 4);
      const restored = fromState(state);
      expect(restored.getNnsByItem(10, 20)).toEqual(index.getNnsByItem(10, 20));
      expect(loads(dumps(index)).getNnsByItem(10, 20)).toEqual(index.getNnsByItem(10, 20));
    },
  );

  it('an uncompressed byte state is about the size of the index (no hidden compression)', () => {
    configure(index, { compressMode: null });
    const state = toState(index);
    expect(state.compressMode).toBeNull();
    expect((state.bytes as Uint8Array).length).toBeGreaterThanOrEqual(index.serialize().length);
  });
});

describe('every compressor restores the same answers as no compression', () => {
  it.each(['zlib', 'gzip', 'brotli'] as const)('%s', (cm) => {
    const fx = fixture('hamming', 250);
    const index = buildIndex(fx);
    const plain = fromState(toState(index));
    configure(index, { compressMode: cm });
    expect(answers(fromState(toState(index)), fx)).toEqual(answers(plain, fx));
  });
});
