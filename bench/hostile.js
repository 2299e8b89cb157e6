#!/usr/bin/env node
// Figures for docs/reliability.md: how fast hostile inputs are refused (medians of --runs).
//   node bench/hostile.js [--runs 5]
// - a 40 GiB sparse file of zeros, load(path, true): refused after the root scan's bound;
// - a 196 KiB forest whose splits share children (6,000 roots on a 57-deep chain): one query
//   with searchK 2^40 ends in ANNOY_CORRUPT (before the bound: 35 s and 3.2 GB, issue #10 H3);
// - build(2^31 - 1): refused up front.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Annoy } = require('..');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-hostile-'));

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeFailure(fn) {
  const times = [];
  let code;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    try {
      fn();
      code = 'returned';
    } catch (e) {
      code = e.code;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { code, medianMs: Number(median(times).toFixed(3)) };
}

// Euclidean f = 4 nodes: count, bias, two children, vector (32 bytes).
function node(count, left, right, vector) {
  const b = Buffer.alloc(32);
  b.writeInt32LE(count, 0);
  b.writeInt32LE(left, 8);
  b.writeInt32LE(right, 12);
  vector.forEach((x, i) => b.writeFloatLE(x, 16 + 4 * i));
  return b;
}

function sharedSubtreeFile(file, roots) {
  const parts = [];
  for (let i = 0; i < 64; i++) parts.push(node(1, 0, 0, [i, i % 7, i % 3, 1]));
  for (let j = 0; j < 57; j++) parts.push(node(63 - j, j < 56 ? 65 + j : 0, j < 56 ? 65 + j : 1, [1, 0, 0, 0]));
  for (let r = 0; r < roots; r++) parts.push(node(64, 64, 64, [0, 1, 0, 0]));
  fs.writeFileSync(file, Buffer.concat(parts));
}

try {
  const zeros = path.join(dir, 'zeros.ann');
  fs.writeFileSync(zeros, '');
  fs.truncateSync(zeros, 40 * 2 ** 30);
  const rss0 = process.memoryUsage().rss;
  const sparse = timeFailure(() => new Annoy(4, 'euclidean').load(zeros, true));
  const rssGrowthMiB = Math.round((process.memoryUsage().rss - rss0) / 2 ** 20);

  const dag = path.join(dir, 'dag.ann');
  sharedSubtreeFile(dag, 6000);
  const index = new Annoy(4, 'euclidean').load(dag);
  const query = timeFailure(() => index.getNnsByVector([1, 2, 3, 4], 10, 2 ** 40));

  const small = new Annoy(4, 'euclidean').addItems([[1, 2, 3, 4]]);
  const build = timeFailure(() => small.build(2 ** 31 - 1, 1));

  console.log(
    JSON.stringify(
      {
        node: process.version,
        cpu: os.cpus()[0].model,
        runs,
        sparse40GiB: { ...sparse, rssGrowthMiB },
        sharedSubtreeQuery: { ...query, fileKiB: Math.round(fs.statSync(dag).size / 1024) },
        buildTooManyTrees: build,
      },
      null,
      2,
    ),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
