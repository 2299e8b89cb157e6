// A larger index (snapshot of about 20 MiB): the byte payload is still one standard stream of the
// named format, round trips are exact, and damage far into the payload is caught.
import { Annoy, ErrorCodes } from '../../lib';
import { expectCode } from '../helpers/tmp';
import {
  COMPRESS_MODES,
  configure,
  decompress,
  dumps,
  flipBit,
  fromState,
  loads,
  PickleState,
  toState,
} from '../helpers/persistence';

const N = 20000;
const F = 256;

function largeIndex(): Annoy {
  // an inline LCG: global lookups (Math.*) are slow inside jest's sandbox
  const data = new Float32Array(N * F);
  const imul = Math.imul;
  let x = 12345;
  for (let j = 0; j < data.length; j++) {
    x = (imul(x, 1664525) + 1013904223) >>> 0;
    data[j] = x / 4294967296 - 0.5;
  }
  const index = new Annoy(F, 'euclidean');
  for (let i = 0; i < N; i++) index.addItem(i, data.subarray(i * F, (i + 1) * F));
  return index.build(2, 1);
}

function fingerprint(index: Annoy): unknown {
  const q = index.getItemVector(N - 1).map((v) => v * 0.5);
  return [
    index.getNItems(),
    index.getNTrees(),
    index.getNnsByItem(0, 10),
    index.getNnsByItem(N - 1, 10),
    index.getNnsByVector(q, 10),
    index.getItemVector(N - 2),
  ];
}

describe('a ~20 MiB index', () => {
  let index: Annoy;
  let expected: unknown;
  const states = new Map<string, PickleState>();

  beforeAll(() => {
    index = largeIndex();
    expected = fingerprint(index);
    for (const cm of COMPRESS_MODES) states.set(String(cm), toState(configure(index, { compressMode: cm })));
  });

  it('its uncompressed snapshot is larger than 16 MiB', () => {
    expect(states.get('null')!.bytes!.length).toBeGreaterThan(16 * 1024 * 1024);
  });

  it.each(COMPRESS_MODES.map((cm) => [String(cm)]))(
    'compressMode %s: fromState answers exactly as the original',
    (cm) => {
      expect(fingerprint(fromState(states.get(cm)!))).toEqual(expected);
    },
  );

  it.each(['zlib', 'gzip', 'brotli'] as const)(
    '%s: state.bytes is one standard stream that decompresses to all rawSize bytes',
    (cm) => {
      const state = states.get(cm)!;
      const raw = decompress(cm, state.bytes!);
      expect({ decompressed: raw.length, rawSize: state.rawSize }).toEqual({
        decompressed: states.get('null')!.bytes!.length,
        rawSize: states.get('null')!.bytes!.length,
      });
    },
  );

  it.each(COMPRESS_MODES.map((cm) => [String(cm)]))(
    'compressMode %s: damage near the end of the payload -> ANNOY_CORRUPT',
    (cm) => {
      const state = states.get(cm)!;
      const bytes = state.bytes!;
      expectCode(
        () => fromState({ ...state, bytes: flipBit(bytes, Math.floor(bytes.length * 0.9), 2) }),
        ErrorCodes.CORRUPT,
      );
      expectCode(() => fromState({ ...state, bytes: bytes.subarray(0, bytes.length - 10) }), ErrorCodes.CORRUPT);
    },
  );

  it('dumps() / loads() with gzip', () => {
    configure(index, { compressMode: 'gzip' });
    expect(fingerprint(loads(dumps(index)))).toEqual(expected);
  });
});
