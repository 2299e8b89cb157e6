// Python's annoy is compiled with -O3 -ffast-math -fno-associative-math -march=native
// (annoy-format.md §4.6): FMA contraction and reciprocal division change the low bits of split
// normals, so its files differ in those bits from a plain build such as the golden fixtures'
// (RcppAnnoy). Our core compiled with Python's flags reproduces the SHA-256 values that
// annoy-format.md §1.7 records from Python, which shows the build algorithm is the same
// arithmetic step for step; the shipped addon keeps the portable, plain-arithmetic build.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CPP = path.resolve(__dirname, '../../cpp');
const SOURCES = ['checksum', 'index', 'kernels', 'kernels_neon', 'kernels_x86', 'metric', 'node_store', 'platform_posix', 'snapshot'];

const EXPECTED: Record<string, { bytes: number; sha256: string }> = {
  euclidean: { bytes: 456, sha256: '64efa7dc448b554a757a615d38319b07359364490cb30626d3f094a89116e026' },
  angular: { bytes: 380, sha256: 'ee906294f4c9453477ec7cda985aa90e78ac94a00e42e37977cb2194ab3c5e98' },
  manhattan: { bytes: 480, sha256: '0055fe962c551c9147a21d2e276d1a27a1acfef0c2ff7189df7a716d2da9c26c' },
  dot: { bytes: 384, sha256: 'b430af142050f8ec50eddf18294083a79ad42945938c30425ab5f06032c8270f' },
};

describe("the 8-point fixture built with Python annoy's compiler flags", () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-pyflags-'));
    const binary = path.join(dir, 'eight_point');
    const flags = ['-std=c++17', '-O3', '-ffast-math', '-fno-associative-math', '-march=native', '-pthread'];
    execFileSync('g++', [...flags, '-I', CPP, path.join(__dirname, 'eight_point.cc'), ...SOURCES.map((s) => path.join(CPP, `${s}.cc`)), '-o', binary], {
      stdio: 'pipe',
    });
    execFileSync(binary, [dir]);
  }, 180000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(Object.entries(EXPECTED))('%s: same size and SHA-256 as Python annoy', (metric, { bytes, sha256 }) => {
    const file = fs.readFileSync(path.join(dir, `${metric}.ann`));
    expect(file.length).toBe(bytes);
    expect(createHash('sha256').update(file).digest('hex')).toBe(sha256);
  });
});
