// Before/after measurements of one code change on this noisy 2-core VM: the best of several
// passes, which a neighbour's burst can only make slower. Run it at two commits (rebuilding the
// addon in between) and compare. Uses the datasets and indexes `npm run bench` caches.
//   node bench/ab.js query --dataset glove6b-100-angular --trees 100 --search-k 1000 [--passes 6] [--queries 1000]
//   node bench/ab.js build --dataset glove6b-100-angular --trees 10 --jobs 2 [--passes 2]
// query reads bench/.cache/indexes/<dataset>/annoy-napi.t<trees>.ann (written by the full profile).
'use strict';
const path = require('path');
const { Annoy } = require('..');
const { DATASETS, CACHE } = require('./datasets');

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const mode = argv[0];
const set = DATASETS[opt('dataset', 'glove6b-100-angular')]();
const f = set.dim;
const trees = Number(opt('trees', 10));
const passes = Number(opt('passes', mode === 'build' ? 2 : 6));
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

if (mode === 'query') {
  const index = new Annoy(f, set.metric).load(path.join(CACHE, 'indexes', set.name, `annoy-napi.t${trees}.ann`));
  const searchK = Number(opt('search-k', 1000));
  const nq = Math.min(Number(opt('queries', 1000)), set.queries.rows);
  let best = 0;
  for (let p = 0; p < passes; p++) {
    const t0 = process.hrtime.bigint();
    for (let q = 0; q < nq; q++)
      index.getNnsByVector(set.queries.data.subarray(q * f, (q + 1) * f), 10, searchK, false);
    best = Math.max(best, nq / seconds(t0));
  }
  console.log(`${set.name} ${trees} trees, search_k ${searchK}: ${best.toFixed(0)} queries/s (best of ${passes})`);
} else if (mode === 'build') {
  const jobs = Number(opt('jobs', 2));
  let best = Infinity;
  for (let p = 0; p < passes; p++) {
    const index = new Annoy(f, set.metric);
    index.addItems(set.base.data);
    const t0 = process.hrtime.bigint();
    index.build(trees, jobs);
    best = Math.min(best, seconds(t0));
  }
  console.log(`${set.name} build(${trees}, ${jobs}): ${best.toFixed(2)} s (best of ${passes})`);
} else {
  console.error('usage: node bench/ab.js query|build --dataset NAME [--trees N] ...');
  process.exit(2);
}
