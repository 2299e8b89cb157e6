// Compressed payloads that claim or produce absurd sizes must fail fast with ANNOY_CORRUPT,
// without allocating what they claim. The real bombs run in a child process, which measures its
// own peak memory and keeps an out-of-memory crash away from the jest worker.
import * as fs from 'fs';
import { ErrorCodes } from '../../lib';
import { describeChild, expectCode, runChild, tmpPath } from '../helpers/tmp';
import { CHILD_FROM_STATE_OUTCOME, CHILD_SMALL_INDEX } from '../helpers/suite-child';
import {
  brotliBomb,
  buildIndex,
  configure,
  fixture,
  fromState,
  gzipBomb,
  toState,
  withPayload,
  zlibBomb,
} from '../helpers/persistence';

const FX = fixture('euclidean', 200);
const MiB = 1024 * 1024;

describe('an absurd declared rawSize', () => {
  it.each(['zlib', 'gzip', 'brotli'] as const)('%s: ANNOY_CORRUPT in well under a second', (cm) => {
    const state = toState(configure(buildIndex(FX, { trees: 3 }), { compressMode: cm }));
    for (const rawSize of [2 ** 50, 2 ** 53 - 1, 2 ** 53, 1e300, 2 ** 32, 2 ** 31, 2 ** 31 - 1]) {
      const t0 = Date.now();
      expectCode(() => fromState(withPayload(state, state.bytes as Uint8Array, rawSize)), ErrorCodes.CORRUPT);
      expect(Date.now() - t0).toBeLessThan(1000);
    }
    // the untouched state is fine
    expect(fromState(state).getNItems()).toBe(FX.items.length);
  });
});

// Runs in a child: builds a small index, makes a state with `cm`, replaces bytes (and rawSize when
// given), restores it once and reports the error code, the time and the growth of peak RSS.
const CHILD = `
${CHILD_SMALL_INDEX}
${CHILD_FROM_STATE_OUTCOME}
const state = index.toState();
const bytes = input.payload ? fs.readFileSync(input.payload) : state.bytes;
const rawSize = input.rawSize === undefined ? state.rawSize : input.rawSize;
// as a forger would write it: fields outside the contract that describe the old payload's layout
// (integer arrays adding up to its length, e.g. chunk sizes) now describe the new one as one piece
const forged = { ...state, bytes, rawSize };
const contract = new Set(['version', 'f', 'metric', 'seed', 'mode', 'compressMode', 'prefault', 'bytes', 'rawSize', 'path']);
for (const [key, value] of Object.entries(state)) {
  if (contract.has(key) || !Array.isArray(value)) continue;
  if (value.every((x) => Number.isSafeInteger(x)) && value.reduce((a, b) => a + b, 0) === state.bytes.length) forged[key] = [bytes.length];
}
const peakBefore = process.resourceUsage().maxRSS * 1024;
const t0 = process.hrtime.bigint();
const out = fromStateOutcome(forged);
out.ms = Number(process.hrtime.bigint() - t0) / 1e6;
out.peakGrowth = process.resourceUsage().maxRSS * 1024 - peakBefore;
out.declared = state.rawSize;
emit(out);
`;

interface BombResult {
  code: string;
  name?: string;
  message?: string;
  ms: number;
  peakGrowth: number;
  declared: number;
}

function runBomb(input: { cm: string; payload?: string; rawSize?: number }): BombResult {
  const res = runChild(CHILD, input, 60000);
  const out = res.messages[0] as BombResult | undefined;
  if (!out) throw new Error(`no result: ${describeChild(res)}`);
  return out;
}

function expectDefused(out: BombResult): void {
  const summary = `${out.name}(${out.code}) after ${out.ms.toFixed(0)} ms, peak RSS +${(out.peakGrowth / MiB).toFixed(0)} MiB: ${out.message}`;
  expect({ code: out.code, summary }).toEqual({ code: ErrorCodes.CORRUPT, summary });
  expect(out.ms).toBeLessThan(1500);
  expect(out.peakGrowth).toBeLessThan(100 * MiB);
}

describe('zip bombs: a tiny payload that inflates to far more than declared', () => {
  it('zlib: 1 MiB that inflates to 1 GiB', () => {
    const file = tmpPath('bomb.zz');
    fs.writeFileSync(file, zlibBomb(1024 * MiB));
    expect(fs.statSync(file).size).toBeLessThan(2 * MiB);
    expectDefused(runBomb({ cm: 'zlib', payload: file }));
  });

  it('gzip: 0.5 MiB that inflates to 512 MiB', () => {
    const file = tmpPath('bomb.gz');
    fs.writeFileSync(file, gzipBomb(512 * MiB));
    expect(fs.statSync(file).size).toBeLessThan(MiB);
    expectDefused(runBomb({ cm: 'gzip', payload: file }));
  });

  it('brotli: a few hundred bytes that inflate to 256 MiB', () => {
    const file = tmpPath('bomb.br');
    fs.writeFileSync(file, brotliBomb(256 * MiB));
    expect(fs.statSync(file).size).toBeLessThan(64 * 1024);
    expectDefused(runBomb({ cm: 'brotli', payload: file }));
  });

  it('zlib bomb with a declared size of 2^50: still fast and small', () => {
    const file = tmpPath('bomb2.zz');
    fs.writeFileSync(file, zlibBomb(256 * MiB));
    expectDefused(runBomb({ cm: 'zlib', payload: file, rawSize: 2 ** 50 }));
  });

  it('the real payload with a declared size of 2^50 (gzip) in a fresh process', () => {
    expectDefused(runBomb({ cm: 'gzip', rawSize: 2 ** 50 }));
  });
});
