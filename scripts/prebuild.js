#!/usr/bin/env node
// `npm run prebuildify`: builds this platform's prebuilt binary into
// prebuilds/<platform>-<arch>/annoy-napi[.glibc|.musl].node with prebuildify, using
// scripts/prebuildify-cmake.js in place of node-gyp (prebuildify has no cmake-js backend).
// N-API, so one binary serves every Node version >= engines.node; stripped; portable (the
// compile flags in CMakeLists.txt carry no -march, the SIMD kernels are chosen at run time).
// Linux names carry the libc (glibc or musl, node-gyp-build picks the matching one).
// PREBUILD_ARCH=x64 on an arm64 Mac cross-compiles (cmake-js sets CMAKE_OSX_ARCHITECTURES).
'use strict';
const fs = require('fs');
const path = require('path');
const prebuildify = require('prebuildify');

const root = path.resolve(__dirname, '..');
const shim = path.join(__dirname, 'prebuildify-cmake.js');

prebuildify(
  {
    cwd: root,
    napi: true,
    strip: true,
    tagLibc: process.platform === 'linux',
    // One command string run by the shell (sh or cmd.exe), so that node runs the shim on
    // Windows too, where a bare .js path would not execute.
    shell: true,
    nodeGyp: `"${process.execPath}" "${shim}"`,
    targets: [],
  },
  (err) => {
    if (err) {
      console.error(`prebuild: ${err.message || err}`);
      process.exit(1);
    }
    // prebuildify moved the binary out of build/Release; put the (unstripped, same code) copy
    // back, so that a plain `require` in the repository keeps loading build/Release.
    const kept = path.join(root, 'build', 'unstripped');
    for (const f of fs.existsSync(kept) ? fs.readdirSync(kept) : []) {
      fs.copyFileSync(path.join(kept, f), path.join(root, 'build', 'Release', f));
    }
    console.log(
      `prebuild: wrote ${path.join('prebuilds', `${process.platform}-${process.env.PREBUILD_ARCH || process.arch}`)}`,
    );
  },
);
