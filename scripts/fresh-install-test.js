#!/usr/bin/env node
// Fresh-install test (issue #5): what a user gets from `npm install annoy-napi` with npm's
// default settings, in which a dependency's install script does not run unless approved.
//
//   node scripts/fresh-install-test.js [--tarball FILE] [--no-source-build] [--keep]
//
// 1. `npm pack` (or the given tarball); list its files and size; check what it must and must not
//    hold.
// 2. In an empty temporary project, `npm install ./annoy-napi-X.tgz` with compilers replaced on
//    PATH by stubs that log and fail, and no npm_config_* inherited from a calling npm.
// 3. `require` and `import` both load the prebuilt binary, build a small index and answer;
//    the TypeScript types resolve for both; no compiler ran; build/ was never made.
// 4. On a platform with no prebuilt binary the error names the machine and lists the fixes.
// 5. The fix it lists first (approve the install script, npm rebuild) compiles the addon from the
//    tarball's sources (skipped with --no-source-build).
// Prints one "ok - ..." / "not ok - ..." line per check; exits 1 if any failed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PKG = require(path.join(ROOT, 'package.json'));
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const TUPLE = `${process.platform}-${process.arch}`;

let passed = 0;
let failed = 0;
function check(name, fn) {
  const started = Date.now();
  try {
    const note = fn();
    passed += 1;
    console.log(`ok - ${name}${note ? ` (${note})` : ''} [${((Date.now() - started) / 1000).toFixed(1)} s]`);
    return true;
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}`);
    console.log(String(err && err.stack ? err.stack : err).replace(/^/gm, '    # '));
    return false;
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// Run a command; throw with its output unless it exits 0 (or `allowFail`).
function run(cmd, argv, { cwd, env, allowFail = false, timeout = 600000 } = {}) {
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (!allowFail && (r.error || r.status !== 0)) {
    throw new Error(`${cmd} ${argv.join(' ')} exited ${r.error ? r.error.message : r.status}\n${out}`);
  }
  return { status: r.status, stdout: r.stdout || '', stderr: r.stderr || '', out };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-fresh-'));
const app = path.join(work, 'app');
const trap = path.join(work, 'compiler-trap');
const trapLog = path.join(work, 'compiler-calls.log');
fs.mkdirSync(app);
fs.mkdirSync(trap);

// npm's defaults: nothing inherited from an `npm run` that called us (npm_config_* would carry
// its settings, such as an allow-scripts list, into the child npm).
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
// Compilers and build tools replaced by stubs that record the call and fail.
const TOOLS = ['cmake', 'make', 'ninja', 'cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'ld'];
for (const tool of TOOLS) {
  const stub = path.join(trap, tool);
  fs.writeFileSync(stub, `#!/bin/sh\necho "${tool} $*" >> '${trapLog}'\nexit 1\n`);
  fs.chmodSync(stub, 0o755);
}
const trappedEnv = { ...cleanEnv, PATH: `${trap}${path.delimiter}${cleanEnv.PATH}` };

let tarball = opt('--tarball') && path.resolve(opt('--tarball'));
let files = [];

const packed = check('npm pack', () => {
  if (tarball) {
    const list = run('tar', ['-tzf', tarball]).stdout.trim().split('\n');
    files = list.map((p) => ({ path: p.replace(/^package\//, ''), size: 0 }));
    console.log(`    # ${path.basename(tarball)}: ${fs.statSync(tarball).size} bytes, ${files.length} files`);
    return path.basename(tarball);
  }
  const r = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env: cleanEnv });
  const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')))[0];
  tarball = path.join(work, info.filename);
  files = info.files;
  console.log(
    `    # ${info.filename}: ${info.size} bytes packed, ${info.unpackedSize} bytes unpacked, ${info.entryCount} files`,
  );
  for (const f of files) console.log(`    #   ${String(f.size).padStart(8)}  ${f.path}`);
  return `${info.filename}, ${(info.size / 1024).toFixed(1)} kB`;
});

check("tarball holds dist (CJS + ESM + types), this platform's prebuild, sources, README, LICENSE", () => {
  assert(packed, 'no tarball');
  const names = new Set(files.map((f) => f.path));
  const required = [
    'package.json',
    'README.md',
    'LICENSE',
    'CMakeLists.txt',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/index.mjs',
    'dist/index.d.mts',
    'binding/module.cc',
    'cpp/index.cc',
  ];
  const missing = required.filter((f) => !names.has(f));
  assert(missing.length === 0, `missing: ${missing.join(', ')}`);
  const prebuilds = [...names].filter((f) => f.startsWith(`prebuilds/${TUPLE}/`) && f.endsWith('.node'));
  assert(prebuilds.length > 0, `no prebuilds/${TUPLE}/*.node (run npm run prebuildify first)`);
  return prebuilds.join(', ');
});

check('tarball holds no tests, benchmarks, scripts, build output or CI files', () => {
  assert(packed, 'no tarball');
  const forbidden = /^(test|bench|scripts|build|node_modules|docs|coverage|\.ci|\.github)\//;
  const bad = files.map((f) => f.path).filter((f) => forbidden.test(f) || f.endsWith('.tgz'));
  assert(bad.length === 0, `should not ship: ${bad.join(', ')}`);
});

let installLog = '';
const installed = check('npm install ./annoy-napi-X.tgz in an empty project, npm defaults', () => {
  assert(packed, 'no tarball');
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }),
  );
  const allow = run('npm', ['config', 'get', 'allow-scripts'], { cwd: app, env: cleanEnv }).stdout.trim();
  assert(allow === '' || allow === 'undefined', `allow-scripts is configured here: ${allow}`);
  const r = run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env: trappedEnv });
  installLog = r.out;
  return installLog.split('\n').find((l) => /^added /.test(l));
});

check('npm skipped the install script (not approved), so the prebuild must serve', () => {
  assert(installed, 'not installed');
  assert(
    /install-scripts.*annoy-napi/.test(installLog),
    `npm did not report annoy-napi's script as skipped:\n${installLog}`,
  );
});

check('no compiler or build tool ran, no build/ directory', () => {
  assert(installed, 'not installed');
  const calls = fs.existsSync(trapLog) ? fs.readFileSync(trapLog, 'utf8').trim() : '';
  assert(calls === '', `ran: ${calls}`);
  assert(!fs.existsSync(path.join(app, 'node_modules', PKG.name, 'build')), 'node_modules/annoy-napi/build exists');
});

// The same small workload for require and import: an index that answers, and a save/load trip.
const WORKLOAD = `
  const f = 16, n = 200;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const index = new Annoy(f, 'euclidean');
  const vectors = [];
  for (let i = 0; i < n; i++) { const v = Array.from({ length: f }, rand); vectors.push(v); index.addItem(i, v); }
  index.setSeed(42);
  index.build(10, 1);
  for (const i of [0, 17, 199]) {
    const [ids, dist] = index.getNnsByVector(vectors[i], 5);
    if (ids[0] !== i || dist[0] > 1e-6 || ids.length !== 5) throw new Error('wrong answer for ' + i + ': ' + ids + ' ' + dist);
  }
  const file = require('path').join(require('os').tmpdir(), 'annoy-napi-fresh-' + process.pid + '.ann');
  index.save(file);
  const again = new Annoy(f, 'euclidean').load(file);
  const same = JSON.stringify(again.getNnsByItem(17, 5)) === JSON.stringify(index.getNnsByItem(17, 5));
  require('fs').unlinkSync(file);
  if (!same || again.getNItems() !== n) throw new Error('save/load changed the answers');
  const binary = require('node-gyp-build').path(require('path').dirname(require.resolve('${PKG.name}/package.json')));
  console.log(JSON.stringify({ simdLevel, binary, AnnoyError: typeof AnnoyError }));
`;

function loadedFrom(out) {
  const line = out.trim().split('\n').pop();
  return JSON.parse(line);
}

check("require('annoy-napi') builds an index that answers, from the prebuilt binary", () => {
  assert(installed, 'not installed');
  fs.writeFileSync(
    path.join(app, 'use.cjs'),
    `'use strict';\nconst { Annoy, AnnoyError, simdLevel } = require('${PKG.name}');\n${WORKLOAD}`,
  );
  const info = loadedFrom(run(process.execPath, ['use.cjs'], { cwd: app, env: trappedEnv }).stdout);
  assert(info.binary.includes(`${path.sep}prebuilds${path.sep}${TUPLE}${path.sep}`), `loaded ${info.binary}`);
  assert(info.AnnoyError === 'function', 'AnnoyError not exported');
  return `simdLevel ${info.simdLevel}, ${path.relative(app, info.binary)}`;
});

check("import { Annoy } from 'annoy-napi' (ESM, named and default) answers the same way", () => {
  assert(installed, 'not installed');
  const esm =
    `import { createRequire } from 'module';\nimport annoy, { Annoy, AnnoyError, simdLevel } from '${PKG.name}';\n` +
    `const require = createRequire(import.meta.url);\n` +
    `if (annoy.Annoy !== Annoy) throw new Error('default export and named export differ');\n` +
    `if (require('${PKG.name}').Annoy !== Annoy) throw new Error('import and require load two copies');\n${WORKLOAD}`;
  fs.writeFileSync(path.join(app, 'use.mjs'), esm);
  const info = loadedFrom(run(process.execPath, ['use.mjs'], { cwd: app, env: trappedEnv }).stdout);
  assert(info.binary.includes(`${path.sep}prebuilds${path.sep}`), `loaded ${info.binary}`);
  return `simdLevel ${info.simdLevel}`;
});

check('TypeScript resolves the types of both entry points (module node16)', () => {
  assert(installed, 'not installed');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) return 'skipped: typescript not installed in the repository';
  const body = (imp) =>
    `${imp}\nconst index: Annoy = new Annoy(3, 'angular');\nindex.addItem(0, [1, 0, 0]).build(1);\n` +
    `const ids: number[] = index.getNnsByItem(0, 1, -1, false);\nconst e: typeof AnnoyError = AnnoyError;\n` +
    `const level: string = simdLevel;\nexport { ids, e, level };\n`;
  fs.writeFileSync(path.join(app, 'types.mts'), body(`import { Annoy, AnnoyError, simdLevel } from '${PKG.name}';`));
  fs.writeFileSync(path.join(app, 'types.cts'), body(`import { Annoy, AnnoyError, simdLevel } from '${PKG.name}';`));
  run(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
      '--target',
      'es2022',
      '--typeRoots',
      path.join(ROOT, 'node_modules', '@types'),
      '--types',
      'node',
      'types.mts',
      'types.cts',
    ],
    { cwd: app, env: cleanEnv },
  );
});

check('with no binary for the platform, the error names the machine and lists the fixes', () => {
  assert(installed, 'not installed');
  // node-gyp-build takes the arch from npm_config_arch: ask for one no prebuild exists for.
  const r = run(
    process.execPath,
    [
      '-e',
      `try { require('${PKG.name}') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }`,
    ],
    { cwd: app, env: { ...trappedEnv, npm_config_arch: 'riscv64' } },
  );
  const { code, message } = JSON.parse(r.stdout.trim());
  assert(code === 'ANNOY_NO_BINARY', `code ${code}`);
  const want = [
    process.platform,
    process.arch,
    `Node ${process.versions.node}`,
    `N-API ${process.versions.napi}`,
    'arch=riscv64',
    `npm install-scripts approve ${PKG.name}`,
    `npm rebuild ${PKG.name}`,
    'cmake-js compile',
  ];
  if (process.platform === 'linux') want.push('libc');
  const absent = want.filter((w) => !message.includes(w) && !(w === 'libc' && /glibc|musl/.test(message)));
  assert(absent.length === 0, `message lacks ${absent.join(', ')}:\n${message}`);
});

if (args.includes('--no-source-build')) {
  console.log('skip - source fallback (--no-source-build)');
} else {
  check('source fallback: npm install-scripts approve + npm rebuild compiles from the tarball', () => {
    assert(installed, 'not installed');
    const pkgDir = path.join(app, 'node_modules', PKG.name);
    fs.renameSync(path.join(pkgDir, 'prebuilds'), path.join(work, 'prebuilds-hidden'));
    run('npm', ['install-scripts', 'approve', PKG.name], { cwd: app, env: cleanEnv });
    run('npm', ['rebuild', PKG.name], { cwd: app, env: cleanEnv });
    const info = loadedFrom(run(process.execPath, ['use.cjs'], { cwd: app, env: cleanEnv }).stdout);
    assert(info.binary.includes(`${path.sep}build${path.sep}Release${path.sep}`), `loaded ${info.binary}`);
    return `built ${path.relative(app, info.binary)}`;
  });
}

if (args.includes('--keep')) console.log(`    # kept ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
console.log(`fresh-install: ${passed} checks passed, ${failed} checks failed`);
process.exit(failed > 0 ? 1 : 0);
