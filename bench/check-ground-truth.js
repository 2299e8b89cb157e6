// Checks the ground truth that bench/ computes with annoy-napi's exact search against the exact
// ground truth published in a reference folder (<name>.gt100.ibin and <name>.gt100.dist.fbin per
// data set), which lives outside the repository and so must be named. Exits 1 on any mismatch, 2
// when the folder is not given or lacks the files. Usage:
//   node bench/check-ground-truth.js --reference DIR
//        [--dataset fashion-mnist-784-euclidean|glove6b-100-angular|all] [--queries N] [--fresh]
// A query passes when, at every rank j < 100, the computed and published distances agree within
// 1e-3 (relative above 1), the published id at rank j is at that distance too, and every computed
// id lies within the published 100th distance + 1e-3 (ann-benchmarks' tie rule, so equal-distance
// neighbours in another order still pass).
'use strict';
const fs = require('fs');
const path = require('path');
const { DATASETS, CACHE, requireReferenceDir } = require('./datasets');
const { referenceGroundTruth, computeGroundTruth, distanceFn, GT_K } = require('./ground-truth');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const reference = requireReferenceDir('check-ground-truth.js');
const which = arg('dataset', 'fashion-mnist-784-euclidean');
const names = which === 'all' ? Object.keys(DATASETS) : [which];
let failed = false;
for (const name of names) {
  if (!DATASETS[name]) {
    console.error(`unknown dataset ${name}`);
    process.exit(2);
  }
  const set = DATASETS[name]();
  const published = referenceGroundTruth(set, reference);
  if (!published) {
    console.error(
      `${name}: no published ground truth in ${reference} (${name}.gt100.ibin and ${name}.gt100.dist.fbin)`,
    );
    process.exit(2);
  }
  const nq = Math.min(Number(arg('queries', published.n)), published.n);
  if (process.argv.includes('--fresh')) {
    for (const f of ['computed.gt100.ibin', 'computed.gt100.dist.fbin'])
      fs.rmSync(path.join(CACHE, name, f), { force: true });
  }
  const t0 = Date.now();
  const mine = computeGroundTruth(set, nq);
  const seconds = (Date.now() - t0) / 1000;
  const distance = distanceFn(set);
  let bad = 0,
    exactIds = 0;
  for (let q = 0; q < nq; q++) {
    let ok = true,
      same = true;
    // the published 100th distance recomputed in the same float64 arithmetic as ours
    const limit = distance(q, published.ids[q * published.k + GT_K - 1]) + 1e-3;
    for (let j = 0; j < GT_K; j++) {
      const a = mine.dist[q * mine.k + j],
        b = published.dist[q * published.k + j];
      if (Math.abs(a - b) > 1e-3 * Math.max(1, Math.abs(b))) ok = false;
      if (distance(q, mine.ids[q * mine.k + j]) > limit) ok = false;
      // the published id at rank j must be as near as our j-th neighbour (equal only up to ties)
      if (Math.abs(distance(q, published.ids[q * published.k + j]) - a) > 1e-3 * Math.max(1, Math.abs(a))) ok = false;
      if (mine.ids[q * mine.k + j] !== published.ids[q * published.k + j]) same = false;
    }
    if (!ok) {
      bad++;
      if (bad <= 5) console.error(`${name}: query ${q} differs from the published ground truth`);
    }
    if (same) exactIds++;
  }
  console.log(
    `${name}: ${nq} queries, computed in ${seconds.toFixed(1)} s (or cached); ${nq - bad} match, ${bad} differ; ` +
      `${exactIds} with identical id order (the rest differ only among equal distances)`,
  );
  if (bad) failed = true;
}
process.exit(failed ? 1 : 0);
