#!/usr/bin/env node
// A small deterministic workload through the public API, for checks that run the addon
// somewhere unusual (scripts/qemu-baseline.sh runs it under an emulated pre-AVX CPU):
// builds one index per metric (f = 37, so the SIMD kernels and their tails are used; one thread
// and a fixed seed, so the trees depend only on the kernels' arithmetic), queries it, and prints
// one JSON line: { simdLevel, digest, binary }. Equal digests mean equal ids and distances.
//   node scripts/smoke.js [PACKAGE_ROOT]
'use strict';
const crypto = require('crypto');
const path = require('path');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const { Annoy, simdLevel } = require(path.join(root, 'dist'));

let state = 12345;
const rand = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296 - 0.5;
};

const F = 37;
const N = 400;
const hash = crypto.createHash('sha256');
for (const metric of ['angular', 'euclidean', 'manhattan', 'dot', 'hamming']) {
  const index = new Annoy(F, metric);
  const vectors = [];
  for (let i = 0; i < N; i++) {
    const v = Array.from({ length: F }, rand);
    vectors.push(v);
    index.addItem(i, v);
  }
  index.setSeed(20260101);
  index.build(5, 1);
  const answers = [];
  for (let q = 0; q < 20; q++)
    answers.push(
      index.getNnsByVector(
        vectors[(q * 37) % N].map((x) => x + 0.01),
        10,
      ),
    );
  answers.push(index.getNnsByItem(3, 10));
  answers.push(index.getDistance(1, 2));
  hash.update(`${metric}:${JSON.stringify(answers)}\n`);
}
const binary = require('node-gyp-build').path(root);
console.log(
  JSON.stringify({ simdLevel, digest: hash.digest('hex').slice(0, 16), binary: path.relative(root, binary) }),
);
