// Compiles bench/original/annoy_bench.cc against the ORIGINAL Annoy 1.17 headers (annoylib.h,
// kissrandom.h) unpacked from Debian's r-cran-rcppannoy package into bench/.cache/rcppannoy.
// The headers are never copied into this repository. Flags as Annoy's own build:
//   g++ -O3 -march=native -DANNOYLIB_MULTITHREADED_BUILD -std=c++14 -pthread
// Usage: node bench/original/build.js  (prints the binary's path); require(): build() -> info.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { CACHE, fetchDebianPackage } = require('../datasets');

const SOURCE = path.join(__dirname, 'annoy_bench.cc');
const FLAGS = ['-O3', '-march=native', '-DANNOYLIB_MULTITHREADED_BUILD', '-std=c++14', '-pthread'];

function build() {
  const dir = path.join(CACHE, 'rcppannoy');
  const unpacked = fetchDebianPackage('r-cran-rcppannoy', dir);
  const include = path.join(unpacked, 'usr/lib/R/site-library/RcppAnnoy/include');
  const deb = fs.readdirSync(dir).find((f) => f.endsWith('.deb'));
  const binary = path.join(dir, 'annoy_bench');
  const cxx = process.env.CXX || 'g++';
  if (!fs.existsSync(binary) || fs.statSync(binary).mtimeMs < fs.statSync(SOURCE).mtimeMs) {
    execFileSync(cxx, [...FLAGS, '-I', include, SOURCE, '-o', binary], { stdio: 'inherit' });
  }
  const compiler = execFileSync(cxx, ['--version']).toString().split('\n')[0];
  return {
    binary,
    deb,
    compiler,
    command: [
      cxx,
      ...FLAGS,
      '-I',
      '<deb>/usr/lib/R/site-library/RcppAnnoy/include',
      'bench/original/annoy_bench.cc',
    ].join(' '),
  };
}

module.exports = { build };

if (require.main === module) console.log(build().binary);
