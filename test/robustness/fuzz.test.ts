// Fuzz: 200 random byte flips / int32 overwrites / truncations / extensions of small saved files,
// each loaded and queried in a child process. Only AnnoyErrors or valid results are acceptable.
import * as fs from 'fs';
import { tmpPath } from '../helpers/tmp';
import { itemsFor, Rng } from '../helpers/random';
import { probe, ProbeCase, ProbeResult } from './probe';
import { nodeSize, savedBytes, withItems } from '../helpers/fixtures';
import type { MetricName } from '../../lib';

const BASES: { metric: MetricName; f: number; n: number; trees: number }[] = [
  { metric: 'euclidean', f: 4, n: 60, trees: 3 },
  { metric: 'angular', f: 3, n: 40, trees: 3 },
  { metric: 'manhattan', f: 5, n: 50, trees: 2 },
  { metric: 'dot', f: 4, n: 50, trees: 2 },
  { metric: 'hamming', f: 64, n: 50, trees: 2 },
];
const N_CASES = 200;

const cases: ProbeCase[] = [];
const descriptions = new Map<string, string>();
let results: Map<string, ProbeResult>;

function mutate(buf: Buffer, s: number, nItems: number, rng: Rng): [Buffer, string] {
  const nNodes = buf.length / s;
  const kind = rng.int(6);
  const b = Buffer.from(buf);
  const interesting = [
    -1,
    0,
    1,
    2,
    nItems - 1,
    nItems,
    nItems + 1,
    nNodes - 1,
    nNodes,
    0x7fffffff,
    -0x80000000,
    0x40000000,
  ];
  switch (kind) {
    case 0: {
      const k = 1 + rng.int(8);
      const at: number[] = [];
      for (let j = 0; j < k; j++) {
        const pos = rng.int(b.length);
        b[pos] = rng.int(256);
        at.push(pos);
      }
      return [b, `${k} random bytes at ${at.join(',')}`];
    }
    case 1: {
      const k = 1 + rng.int(4);
      const at: number[] = [];
      for (let j = 0; j < k; j++) {
        const node = rng.int(nNodes);
        const pos = node * s; // n_descendants
        b.writeInt32LE(interesting[rng.int(interesting.length)], pos);
        at.push(node);
      }
      return [b, `n_descendants of nodes ${at.join(',')} overwritten`];
    }
    case 2: {
      const k = 1 + rng.int(4);
      const at: number[] = [];
      for (let j = 0; j < k; j++) {
        const slot = rng.int(b.length / 4);
        b.writeInt32LE(interesting[rng.int(interesting.length)], slot * 4);
        at.push(slot * 4);
      }
      return [b, `int32 at ${at.join(',')} overwritten`];
    }
    case 3: {
      const keep = rng.int(b.length);
      return [b.subarray(0, keep), `truncated to ${keep} bytes`];
    }
    case 4: {
      const drop = 1 + rng.int(Math.min(5, nNodes - 1));
      return [b.subarray(0, b.length - drop * s), `last ${drop} nodes dropped`];
    }
    default: {
      const extra = Buffer.alloc(s * (1 + rng.int(3)));
      for (let j = 0; j < extra.length; j++) extra[j] = rng.next() < 0.5 ? 0 : rng.int(256);
      return [Buffer.concat([b, extra]), `${extra.length / s} random nodes appended`];
    }
  }
}

beforeAll(() => {
  const rng = new Rng(20240601);
  const bases = BASES.map((base) => {
    const index = withItems(base.metric, itemsFor(base.metric, base.n, base.f, rng, 3)).build(base.trees, 1);
    const buf = savedBytes(index, `fuzz-base-${base.metric}.ann`);
    const query = base.metric === 'hamming' ? rng.bits(base.f) : rng.vector(base.f);
    return { ...base, buf, query };
  });
  for (let k = 0; k < N_CASES; k++) {
    const base = bases[k % bases.length];
    const [bytes, what] = mutate(base.buf, nodeSize(base.metric, base.f), base.n, rng);
    const p = tmpPath(`fuzz-${k}.ann`);
    fs.writeFileSync(p, bytes);
    const name = `fuzz #${k}`;
    descriptions.set(name, `${base.metric} f=${base.f}: ${what}`);
    cases.push({ name, path: p, f: base.f, metric: base.metric, prefault: k % 3 === 0, query: base.query });
  }
  results = probe(cases, { loadCodes: null, queryCodes: null, timeoutMs: 15000 });
}, 120000);

describe('Annoy#load() of fuzzed files', () => {
  it(`${N_CASES} mutated files: only AnnoyErrors or valid results, never a crash or hang`, () => {
    const failures: string[] = [];
    for (const c of cases) {
      const r = results.get(c.name);
      if (!r) failures.push(`${c.name} (${descriptions.get(c.name)}): no result`);
      else if (r.outcome === 'crashed' || r.violations.length > 0) {
        failures.push(`${c.name} (${descriptions.get(c.name)}): ${r.outcome}: ${r.violations.slice(0, 3).join(' | ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the fuzz exercised both outcomes (some files load, some are rejected)', () => {
    const outcomes = Array.from(results.values()).map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'loaded').length).toBeGreaterThan(10);
    expect(outcomes.filter((o) => o.startsWith('load-error:')).length).toBeGreaterThan(10);
  });
});
