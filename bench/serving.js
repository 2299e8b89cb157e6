// Issue #4's figures: event-loop lag during async work, batch throughput on 1 and 2 threads,
// and the binding's per-call overhead. Fashion-MNIST 60,000 x 784 euclidean.
// Usage: npm run build && node bench/serving.js [--runs 3]
'use strict';
const { performance } = require('perf_hooks');
const { Annoy, simdLevel } = require('../dist');
const { fashionMnist } = require('./datasets');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const set = fashionMnist();
const f = set.dim;

// The largest gap between the ticks of a 1 ms interval while `work` runs, minus the 1 ms.
async function maxLag(work) {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  await work();
  clearInterval(timer);
  return worst;
}

// querySync(rows, 10, { threads }) on `target`, in queries per second: the median of `runs` runs.
function batchQps(target, rows, threads) {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    target.querySync(rows, 10, { threads });
    samples.push(rows.length / target.f / ((performance.now() - t0) / 1000));
  }
  return median(samples);
}

function filled() {
  const index = new Annoy(f, 'euclidean');
  index.addItems(set.base.data);
  return index;
}

(async () => {
  const lines = [];
  const say = (s) => {
    lines.push(s);
    console.log(s);
  };
  say(`Fashion-MNIST 60,000 x 784 euclidean; simd ${simdLevel}; Node ${process.version}; median of ${runs} runs`);
  const idle = [];
  for (let r = 0; r < runs; r++) idle.push(await maxLag(() => new Promise((resolve) => setTimeout(resolve, 1000))));
  say(
    `event-loop lag of an idle 1 ms interval over 1 s (this machine's noise floor): max ${median(idle).toFixed(2)} ms`,
  );

  const buildLag = [];
  let index;
  for (let r = 0; r < runs; r++) {
    index = filled();
    buildLag.push(await maxLag(() => index.buildAsync(10, { nJobs: 2 })));
  }
  say(`event-loop lag during buildAsync(10, { nJobs: 2 }): max ${median(buildLag).toFixed(2)} ms`);

  const queries = set.queries.data; // 10,000 x 784
  const batchLag = [];
  for (let r = 0; r < runs; r++) batchLag.push(await maxLag(() => index.query(queries, 10, { threads: 2 })));
  say(
    `event-loop lag during query(10,000 rows, k = 10, threads: 2): max ${median(batchLag).toFixed(2)} ms (input copied: 31 MB)`,
  );
  const sharedRows = new Float32Array(new SharedArrayBuffer(queries.byteLength));
  sharedRows.set(queries);
  const sharedLag = [];
  for (let r = 0; r < runs; r++) sharedLag.push(await maxLag(() => index.query(sharedRows, 10, { threads: 2 })));
  say(
    `event-loop lag during the same query with rows in a SharedArrayBuffer (read in place): max ${median(sharedLag).toFixed(2)} ms`,
  );

  const qps = {};
  for (const threads of [1, 2]) {
    qps[threads] = batchQps(index, queries, threads);
    say(`batch querySync, 10,000 rows, threads ${threads}: ${qps[threads].toFixed(0)} queries/s`);
  }
  say(
    `batch speed-up, 2 threads over 1: ${(qps[2] / qps[1]).toFixed(2)}x (Fashion-MNIST: each query reads ~2.5 MB of vectors, memory-bound)`,
  );

  // The same on an index that fits in cache (20,000 x 64 angular, 5 MB), where the threads do
  // not share a memory bus bottleneck.
  const cached = new Annoy(64, 'angular');
  cached.addItems(new Float32Array(20000 * 64).map((_, i) => Math.sin(i * 0.7) + Math.cos(i * 1.3)));
  cached.build(10, 2);
  const cachedRows = new Float32Array(20000 * 64).map((_, i) => Math.cos(i * 0.9));
  const cachedQps = {};
  for (const threads of [1, 2]) cachedQps[threads] = batchQps(cached, cachedRows, threads);
  say(
    `batch on a cache-resident index (20,000 x 64 angular): threads 1 ${cachedQps[1].toFixed(0)} q/s, threads 2 ` +
      `${cachedQps[2].toFixed(0)} q/s: ${(cachedQps[2] / cachedQps[1]).toFixed(2)}x`,
  );

  // Per-call overhead: a small index, where the core's own work per query is small; the same
  // rows through querySync (one crossing for all rows) give the core's time per query.
  const small = new Annoy(16, 'angular');
  const smallRows = 2000;
  const data = new Float32Array(smallRows * 16).map((_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
  small.addItems(data).build(10, 1);
  const probe = data.subarray(0, 1000 * 16);
  const single = [],
    batch = [];
  for (let r = 0; r < runs * 3; r++) {
    let t0 = performance.now();
    for (let q = 0; q < 1000; q++) small.getNnsByVector(probe.subarray(q * 16, (q + 1) * 16), 10, -1, false);
    single.push(((performance.now() - t0) * 1000) / 1000);
    t0 = performance.now();
    small.querySync(probe, 10, { threads: 1 });
    batch.push(((performance.now() - t0) * 1000) / 1000);
  }
  say(
    `one small query (2,000 x 16 angular, k = 10): ${median(single).toFixed(2)} us per getNnsByVector call, ` +
      `${median(batch).toFixed(2)} us per row in one querySync: binding overhead ${(median(single) - median(batch)).toFixed(2)} us per call`,
  );
})();
