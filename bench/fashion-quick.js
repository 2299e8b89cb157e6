// Issue #2's acceptance figure: build a 60,000 x 784 euclidean index (Fashion-MNIST) with
// 2 threads and query it from JavaScript. Prints build time, per-query QPS and recall@10.
// Usage: npm run build && node bench/fashion-quick.js [--trees 10] [--jobs 2] [--queries 1000] [--runs 3]
//        [--reference DIR]   (the folder with the published ground truth; without it recall is NaN)
'use strict';
const fs = require('fs');
const path = require('path');
const { Annoy, simdLevel } = require('../dist');
const { fashionMnist, referenceDir } = require('./datasets');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function groundTruth() {
  const dir = referenceDir();
  if (dir === null) return null;
  const file = path.join(dir, 'fashion-mnist-784-euclidean.gt100.ibin');
  if (!fs.existsSync(file)) return null;
  const buf = fs.readFileSync(file);
  const n = buf.readUInt32LE(0),
    k = buf.readUInt32LE(4);
  return { n, k, ids: new Int32Array(buf.buffer.slice(buf.byteOffset + 8, buf.byteOffset + 8 + n * k * 4)) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const trees = option('trees', 10),
  jobs = option('jobs', 2),
  nQueries = option('queries', 1000),
  runs = option('runs', 3);
const set = fashionMnist();
const gt = groundTruth();
const f = set.dim;

const buildTimes = [];
let index;
for (let r = 0; r < runs; r++) {
  index = new Annoy(f, 'euclidean');
  for (let i = 0; i < set.base.rows; i++) index.addItem(i, set.base.data.subarray(i * f, (i + 1) * f));
  const t0 = process.hrtime.bigint();
  index.build(trees, jobs);
  buildTimes.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
console.log(
  `simd ${simdLevel}; ${set.base.rows} x ${f}, ${trees} trees, ${jobs} jobs: build ${median(buildTimes).toFixed(2)} s (median of ${runs}: ${buildTimes.map((t) => t.toFixed(2)).join(', ')})`,
);

for (const searchK of [-1, 1000, 10000]) {
  const qps = [];
  let hits;
  for (let r = 0; r < runs; r++) {
    hits = 0;
    const t0 = process.hrtime.bigint();
    for (let q = 0; q < nQueries; q++) {
      const ids = index.getNnsByVector(set.queries.data.subarray(q * f, (q + 1) * f), 10, searchK, false);
      if (gt && r === 0) {
        const truth = new Set(gt.ids.subarray(q * gt.k, q * gt.k + 10));
        for (const id of ids) if (truth.has(id)) hits++;
      }
    }
    qps.push(nQueries / (Number(process.hrtime.bigint() - t0) / 1e9));
    if (r === 0) var recall = gt ? hits / (nQueries * 10) : NaN;
  }
  console.log(
    `search_k ${String(searchK).padStart(6)}: ${median(qps).toFixed(0)} queries/s (median of ${runs}), recall@10 ${recall.toFixed(3)}`,
  );
}
