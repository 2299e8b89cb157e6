// Python's annoy is compiled with -O3 -ffast-math -fno-associative-math -march=native
// (docs/format.md): FMA contraction, reciprocal division and GCC's approximate reciprocal square
// root (RSQRTSS plus a Newton step, for 1/sqrt under -ffast-math) change the low bits of split
// normals, so its files differ in those bits from a plain build such as the golden fixtures'.
// RSQRTSS is approximate, and Intel and AMD processors approximate it differently: a Python
// build's file therefore depends on the CPU it ran on, and so would ours.
//
// What holds on every CPU: our core and the original Annoy, both compiled here with Python's
// flags, build the 8-point fixture into byte-identical files (the same arithmetic, step for
// step). And the SHA-256 values recorded from Python are reproduced exactly when this CPU's
// approximation is the recording one's (the original reproduces them), and missed by the
// original as well when it is not.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { coreSources } from '../helpers/core-sources';
import { compileOracle } from '../helpers/oracle';
import { EIGHT_POINTS as POINTS } from '../helpers/fixtures';

const CPP = path.resolve(__dirname, '../../cpp');
const PYTHON_FLAGS = ['-O3', '-ffast-math', '-fno-associative-math', '-march=native'];
const DEFAULT_SEED = '1234567890987654321';

// Recorded from Python annoy 1.17.3 (build(2, n_jobs=1), default seed).
const RECORDED: Record<string, { bytes: number; sha256: string }> = {
  euclidean: { bytes: 456, sha256: '64efa7dc448b554a757a615d38319b07359364490cb30626d3f094a89116e026' },
  angular: { bytes: 380, sha256: 'ee906294f4c9453477ec7cda985aa90e78ac94a00e42e37977cb2194ab3c5e98' },
  manhattan: { bytes: 480, sha256: '0055fe962c551c9147a21d2e276d1a27a1acfef0c2ff7189df7a716d2da9c26c' },
  dot: { bytes: 384, sha256: 'b430af142050f8ec50eddf18294083a79ad42945938c30425ab5f06032c8270f' },
};
// Debian's RcppAnnoy predates Annoy 1.17.3's dot layout, so dot has no oracle here.
const WITH_ORACLE = ['euclidean', 'angular', 'manhattan'];

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe("the 8-point fixture built with Python annoy's compiler flags", () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-pyflags-'));
    const ours = path.join(dir, 'eight_point');
    execFileSync(
      'g++',
      [
        '-std=c++17',
        ...PYTHON_FLAGS,
        '-pthread',
        '-I',
        CPP,
        path.join(__dirname, 'eight_point.cc'),
        ...coreSources(),
        '-o',
        ours,
      ],
      {
        stdio: 'pipe',
      },
    );
    fs.mkdirSync(path.join(dir, 'ours'));
    execFileSync(ours, [path.join(dir, 'ours')]);
    const oracle = compileOracle(PYTHON_FLAGS, 'oracle-python-flags');
    fs.writeFileSync(path.join(dir, 'items.f32'), Buffer.from(new Float32Array(POINTS.flat()).buffer));
    fs.writeFileSync(path.join(dir, 'ids.i32'), Buffer.from(new Int32Array(POINTS.map((_, i) => i)).buffer));
    for (const metric of WITH_ORACLE) {
      execFileSync(oracle, [
        'build',
        metric,
        '2',
        DEFAULT_SEED,
        '2',
        path.join(dir, 'items.f32'),
        path.join(dir, 'ids.i32'),
        path.join(dir, `oracle-${metric}.ann`),
      ]);
    }
  }, 180000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(WITH_ORACLE)('%s: byte-identical to the original Annoy compiled with the same flags', (metric) => {
    const ours = fs.readFileSync(path.join(dir, 'ours', `${metric}.ann`));
    expect(ours.length).toBe(RECORDED[metric].bytes);
    expect(ours.equals(fs.readFileSync(path.join(dir, `oracle-${metric}.ann`)))).toBe(true);
  });

  test("Python's recorded SHA-256 values: all reproduced on a CPU that reproduces them, else missed by the original too", () => {
    const oracleMatches = WITH_ORACLE.map((m) => sha256(path.join(dir, `oracle-${m}.ann`)) === RECORDED[m].sha256);
    const ourMatches = Object.keys(RECORDED).map(
      (m) => sha256(path.join(dir, 'ours', `${m}.ann`)) === RECORDED[m].sha256,
    );
    // Manhattan's splits take no square root, so its file is the same on every CPU.
    expect(oracleMatches[2]).toBe(true);
    expect(ourMatches[2]).toBe(true);
    if (oracleMatches[0]) {
      expect({ oracle: oracleMatches, ours: ourMatches }).toEqual({
        oracle: [true, true, true],
        ours: [true, true, true, true],
      });
    } else {
      expect({ oracle: oracleMatches, ours: ourMatches.slice(0, 3) }).toEqual({
        oracle: [false, false, true],
        ours: [false, false, true],
      });
    }
  });
});
