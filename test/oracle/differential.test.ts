// Differential test against the original Annoy 1.17: its annoylib.h, taken from Debian's
// r-cran-rcppannoy package at test time (apt-get download; or ANNOY_ORACLE_INCLUDE pointing at a
// folder holding annoylib.h and kissrandom.h), is compiled into test/oracle/oracle.cc.
//
// - With the scalar kernels, our files are byte-identical to the original's for the float
//   metrics at every dimension, with holes, for several seeds.
// - Files cross over both ways: the original answers the same queries on our files as we do,
//   and we answer the same as it does on its files (hamming included, whose split nodes hold
//   uninitialised bytes in the original and so are compared by answers).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { Annoy } from '../../lib';
import { compileOracle } from '../helpers/oracle';
import { mulberry32 as random } from '../helpers/random';

interface Case {
  metric: string;
  f: number;
  seed: number;
  trees: number;
  ids: Int32Array;
  items: Float32Array;
  queries: Float32Array;
}

function makeCase(metric: string, f: number, seed: number, holes: boolean): Case {
  const rng = random(seed * 7919 + f);
  const n = 300;
  const ids = new Int32Array(n).map((_, i) => (holes ? 3 * i + 1 : i));
  const value = () => (metric === 'hamming' ? (rng() < 0.5 ? 1 : 0) : rng() * 2 - 1);
  const items = new Float32Array(n * f).map(value);
  const queries = new Float32Array(10 * f).map(value);
  return { metric, f, seed, trees: 1 + (seed % 7), ids, items, queries };
}

function writeInputs(dir: string, c: Case): { items: string; ids: string; queries: string } {
  const files = {
    items: path.join(dir, 'items.f32'),
    ids: path.join(dir, 'ids.i32'),
    queries: path.join(dir, 'queries.f32'),
  };
  fs.writeFileSync(files.items, Buffer.from(c.items.buffer));
  fs.writeFileSync(files.ids, Buffer.from(c.ids.buffer));
  fs.writeFileSync(files.queries, Buffer.from(c.queries.buffer));
  return files;
}

/** The build arguments of the oracle and of build-scalar.js: METRIC F SEED N_TREES ITEMS IDS OUT. */
function buildArgs(c: Case, inputs: { items: string; ids: string }, out: string): string[] {
  return [c.metric, String(c.f), String(c.seed), String(c.trees), inputs.items, inputs.ids, out];
}

type Answer = Array<[number, number]>;

function oracleQuery(oracle: string, c: Case, file: string, queries: string, searchK: number): Answer[] {
  const out = execFileSync(oracle, ['query', c.metric, String(c.f), file, queries, '10', String(searchK)], {
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((line) => (line === '' ? [] : line.split(' ').map((pair) => pair.split(':').map(Number) as [number, number])));
}

function ourQuery(c: Case, file: string, searchK: number): Answer[] {
  const index = new Annoy(c.f, c.metric).load(file);
  const answers: Answer[] = [];
  for (let q = 0; q < c.queries.length / c.f; q++) {
    const [ids, distances] = index.getNnsByVector(c.queries.subarray(q * c.f, (q + 1) * c.f), 10, searchK);
    answers.push(ids.map((id, i) => [id, distances[i]]));
  }
  index.unload();
  return answers;
}

// The same answer up to ties: distances agree position by position within 1e-5, an id found by
// both has the same distance in both, and ids found by one side only tie with the last result.
function expectSameAnswers(actual: Answer[], expected: Answer[]): void {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a));
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, q) => {
    const want = expected[q];
    expect(row.length).toBe(want.length);
    row.forEach(([, d], i) => expect(close(d, want[i][1])).toBe(true));
    const wanted = new Map(want);
    const last = want.length > 0 ? want[want.length - 1][1] : 0;
    for (const [id, d] of row) {
      if (wanted.has(id)) expect(close(d, wanted.get(id) as number)).toBe(true);
      else expect(close(d, last)).toBe(true);
    }
  });
}

describe('differential test against the original Annoy 1.17 (annoylib.h)', () => {
  let oracle: string;
  let dir: string;

  beforeAll(() => {
    oracle = compileOracle();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-diff-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const floatCases: Array<[string, number, number, boolean]> = [];
  for (const metric of ['angular', 'euclidean', 'manhattan', 'dot']) {
    for (const [f, seed, holes] of [
      [3, 1, false],
      [12, 2, true],
      [40, 3, false],
      [100, 4, true],
    ] as const) {
      floatCases.push([metric, f, seed, holes]);
    }
  }

  test.each(floatCases)(
    '%s f=%i seed=%i holes=%s: byte-identical file with scalar kernels',
    (metric, f, seed, holes) => {
      const c = makeCase(metric, f, seed, holes);
      const inputs = writeInputs(dir, c);
      const theirs = path.join(dir, 'theirs.ann');
      const ours = path.join(dir, 'ours.ann');
      execFileSync(oracle, ['build', ...buildArgs(c, inputs, theirs)]);
      const child = spawnSync(
        process.execPath,
        [path.join(__dirname, 'build-scalar.js'), ...buildArgs(c, inputs, ours)],
        { env: { ...process.env, ANNOY_NAPI_SIMD: 'scalar' }, encoding: 'utf8' },
      );
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      expect(fs.readFileSync(ours).equals(fs.readFileSync(theirs))).toBe(true);
    },
  );

  const crossCases: Array<[string, number]> = [
    ['angular', 24],
    ['euclidean', 9],
    ['manhattan', 33],
    ['dot', 16],
    ['hamming', 5],
    ['hamming', 70],
    ['hamming', 130],
  ];

  test.each(crossCases)('%s f=%i: files cross over both ways with the same answers', (metric, f) => {
    const c = makeCase(metric, f, 11, metric === 'hamming');
    const inputs = writeInputs(dir, c);
    const theirs = path.join(dir, 'theirs.ann');
    execFileSync(oracle, ['build', ...buildArgs(c, inputs, theirs)]);

    const ours = path.join(dir, 'ours.ann');
    const index = new Annoy(f, metric);
    c.ids.forEach((id, k) => index.addItem(id, c.items.subarray(k * f, (k + 1) * f)));
    index.setSeed(c.seed);
    index.build(c.trees, 2).save(ours);

    for (const searchK of [-1, 50, 5000]) {
      expectSameAnswers(ourQuery(c, theirs, searchK), oracleQuery(oracle, c, theirs, inputs.queries, searchK));
      expectSameAnswers(ourQuery(c, ours, searchK), oracleQuery(oracle, c, ours, inputs.queries, searchK));
    }
  });
});
