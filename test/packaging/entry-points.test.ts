// The package's entry points (package.json "exports"): CommonJS dist/index.js and the ESM
// wrapper dist/index.mjs that scripts/build-esm.js generates. Run in child processes, since
// jest's module system cannot import .mjs files. Needs `npm run build:ts` (npm test's pretest).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from '../helpers/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

function node(args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('package.json exports', () => {
  it('points at files that exist', () => {
    const targets = [
      pkg.exports['.'].import.types,
      pkg.exports['.'].import.default,
      pkg.exports['.'].require.types,
      pkg.exports['.'].require.default,
      pkg.main,
      pkg.types,
    ];
    for (const t of targets) expect(fs.existsSync(path.join(REPO_ROOT, t))).toBe(true);
  });

  it('import and require give the same names and the same objects', () => {
    const cjs = node(['-e', "console.log(Object.keys(require('./dist/index.js')).sort().join(','))"]);
    const esm = node([
      '--input-type=module',
      '-e',
      "import * as m from './dist/index.mjs'; import { createRequire } from 'module';" +
        "const r = createRequire(import.meta.url)('./dist/index.js');" +
        "if (m.Annoy !== r.Annoy || m.default !== r) throw new Error('two copies');" +
        "console.log(Object.keys(m).filter((k) => k !== 'default').sort().join(','))",
    ]);
    expect(esm).toBe(cjs);
    expect(cjs.split(',')).toEqual(expect.arrayContaining(['Annoy', 'AnnoyIndex', 'AnnoyError', 'simdLevel']));
  });

  it('ships what the issue lists and no tests or benchmarks', () => {
    expect(pkg.files).toEqual(
      expect.arrayContaining(['dist', 'prebuilds', 'binding', 'cpp', 'CMakeLists.txt', 'README.md', 'LICENSE']),
    );
    expect(pkg.files.some((f: string) => /^(test|bench)/.test(f))).toBe(false);
    expect(pkg.scripts.install).toBe('node-gyp-build-test || cmake-js compile');
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['cmake-js', 'node-addon-api', 'node-gyp-build']),
    );
    expect(pkg.engines.node).toBeDefined();
    expect(fs.existsSync(path.join(REPO_ROOT, 'LICENSE'))).toBe(true);
  });
});
