// The kernel contract behind two-means reading stored norms (cpp/kernels.h), checked at every
// SIMD level the CPU runs by a small C++ program compiled here with the core's flags: dot_sq is
// bit for bit dot, for <a, b> and for <b, b>.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { simdLevel } from '../../lib';
import { coreCompileFlags, coreSources } from '../helpers/core-sources';

const CPP = path.resolve(__dirname, '../../cpp');
// The kernel units of the core, from CMakeLists.txt's list.
const SOURCES = coreSources().filter((file) => /\/kernels[a-z0-9_]*\.cc$/.test(file));

test('dot_sq equals dot, bit for bit, at every level', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-kernels-'));
  try {
    const binary = path.join(dir, 'kernel_check');
    // The core's own flags, from CMakeLists.txt (floating point depends on them).
    const flags = coreCompileFlags();
    execFileSync('g++', [...flags, '-I', CPP, path.join(__dirname, 'kernel_check.cc'), ...SOURCES, '-o', binary], {
      stdio: 'pipe',
    });
    const out = execFileSync(binary, { encoding: 'utf8' }).trim();
    expect(out).toMatch(/^scalar .*ok \d+$/);
    // Where the addon runs AVX2 or AVX-512, the check must have covered that level too.
    if (simdLevel === 'avx2' || simdLevel === 'avx512') expect(out).toContain(simdLevel);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180000);
