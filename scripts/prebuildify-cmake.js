#!/usr/bin/env node
// prebuildify calls "node-gyp rebuild --target=V --devdir=D --arch=A --release" and then takes
// the first *.node in build/Release. prebuildify has no cmake-js backend (its issue #49), and
// cmake-js reads --target differently (a CMake target, not a Node version), so this shim, given
// to prebuildify as --node-gyp, turns that call into "cmake-js rebuild --arch A [--debug]".
// --target and --devdir are dropped: the addon is N-API (NAPI_VERSION in CMakeLists.txt), so the
// build does not depend on the Node version, and cmake-js takes the headers from node-api-headers.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
if (args[0] !== 'rebuild') {
  console.error(`prebuildify-cmake: expected "rebuild ...", got "${args.join(' ')}"`);
  process.exit(2);
}

const cmakeArgs = ['rebuild'];
for (const arg of args.slice(1)) {
  const [key, value] = arg.split('=', 2);
  if (key === '--arch') cmakeArgs.push('--arch', value);
  else if (key === '--debug') cmakeArgs.push('--debug');
  else if (key === '--release' || key === '--target' || key === '--devdir') continue;
  else {
    // Anything else (electron runtime, dist-url) means a build this shim does not know how to do.
    console.error(`prebuildify-cmake: unsupported argument ${arg}`);
    process.exit(2);
  }
}

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
console.error(`prebuildify-cmake: cmake-js ${cmakeArgs.join(' ')}`);
const result = spawnSync(process.execPath, [cmakeJs, ...cmakeArgs], { stdio: 'inherit' });
if (result.error) {
  console.error(`prebuildify-cmake: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);

// prebuildify strips the binary in place and moves it to prebuilds/. Keep an unstripped copy
// with its symbols for scripts/check-baseline.js, which needs function names.
const release = path.join(process.cwd(), 'build', cmakeArgs.includes('--debug') ? 'Debug' : 'Release');
const built = fs.readdirSync(release).filter((f) => f.endsWith('.node'));
const keep = path.join(process.cwd(), 'build', 'unstripped');
fs.mkdirSync(keep, { recursive: true });
for (const f of built) fs.copyFileSync(path.join(release, f), path.join(keep, f));
