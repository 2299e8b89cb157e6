// Exact ground truth and ann-benchmarks recall.
// groundTruth(set, nq, referenceDir) returns the 100 true neighbours of every query: from the
// reference folder (*.gt100.ibin / *.gt100.dist.fbin) when one is given and holds them, else
// computed once with this project's own exact search and cached in
// bench/.cache/<set>/computed.gt100.{ibin,dist.fbin} (same layout).
// The exact search is annoy-napi's filtered query: an allow list holding every id, with
// search_k >= its length, is searched exhaustively (cpp/searcher.h), i.e. a brute-force scan.
'use strict';
const fs = require('fs');
const path = require('path');
const { CACHE } = require('./datasets');

const GT_K = 100;

function readMatrix(file, Type) {
  const buf = fs.readFileSync(file);
  const n = buf.readUInt32LE(0),
    k = buf.readUInt32LE(4);
  const copy = new Uint8Array(buf.subarray(8, 8 + n * k * 4)); // aligned copy
  return { n, k, data: new Type(copy.buffer) };
}

function writeMatrix(file, n, k, arr) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(n, 0);
  head.writeUInt32LE(k, 4);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)]));
}

/** ann-benchmarks' distances, in float64: euclidean = L2, angular = 1 - cosine. */
function distanceFn(set) {
  const { dim, base, queries } = set;
  const B = base.data,
    Q = queries.data;
  if (set.metric === 'euclidean') {
    return (q, id) => {
      let s = 0;
      for (let j = 0, a = q * dim, b = id * dim; j < dim; j++) {
        const d = Q[a + j] - B[b + j];
        s += d * d;
      }
      return Math.sqrt(s);
    };
  }
  return (q, id) => {
    let dot = 0,
      nq = 0,
      nb = 0;
    for (let j = 0, a = q * dim, b = id * dim; j < dim; j++) {
      const x = Q[a + j],
        y = B[b + j];
      dot += x * y;
      nq += x * x;
      nb += y * y;
    }
    return 1 - dot / Math.sqrt(nq * nb);
  };
}

/** The published ground truth in referenceDir, or null when there is none. */
function referenceGroundTruth(set, referenceDir) {
  if (!referenceDir) return null;
  const ids = path.join(referenceDir, `${set.name}.gt100.ibin`);
  const dist = path.join(referenceDir, `${set.name}.gt100.dist.fbin`);
  if (!fs.existsSync(ids) || !fs.existsSync(dist)) return null;
  const I = readMatrix(ids, Int32Array),
    D = readMatrix(dist, Float32Array);
  return { n: I.n, k: I.k, ids: I.data, dist: D.data, source: ids };
}

/** Brute force with annoy-napi over the first nq queries (all of them by default). */
function computeGroundTruth(set, nq = set.queries.rows, { threads = -1 } = {}) {
  const { Annoy } = require('..');
  const dir = path.join(CACHE, set.name);
  const idsFile = path.join(dir, 'computed.gt100.ibin');
  const distFile = path.join(dir, 'computed.gt100.dist.fbin');
  if (fs.existsSync(idsFile) && fs.existsSync(distFile)) {
    const I = readMatrix(idsFile, Int32Array),
      D = readMatrix(distFile, Float32Array);
    if (I.n >= nq) return { n: I.n, k: I.k, ids: I.data, dist: D.data, source: idsFile };
  }
  const n = set.base.rows,
    f = set.dim;
  const index = new Annoy(f, set.metric);
  index.addItems(set.base.data, { startId: 0 });
  index.build(1, 1); // one tree: the allow list below makes the search exhaustive anyway
  const all = new Int32Array(n).map((_, i) => i);
  const ids = new Int32Array(nq * GT_K);
  const chunk = 500;
  for (let q0 = 0; q0 < nq; q0 += chunk) {
    const rows = Math.min(chunk, nq - q0);
    const res = index.querySync(set.queries.data.subarray(q0 * f, (q0 + rows) * f), GT_K, {
      searchK: n,
      allow: all,
      threads,
      includeDistances: false,
    });
    ids.set(res.ids, q0 * GT_K);
  }
  index.unload();
  const distance = distanceFn(set);
  const dist = new Float32Array(nq * GT_K);
  for (let q = 0; q < nq; q++) {
    for (let j = 0; j < GT_K; j++) dist[q * GT_K + j] = distance(q, ids[q * GT_K + j]);
    // order by the float64 distance (the exact search ranked by float32 distances)
    const order = [...Array(GT_K).keys()].sort((a, b) => dist[q * GT_K + a] - dist[q * GT_K + b]);
    const i2 = order.map((j) => ids[q * GT_K + j]),
      d2 = order.map((j) => dist[q * GT_K + j]);
    ids.set(i2, q * GT_K);
    dist.set(d2, q * GT_K);
  }
  fs.mkdirSync(dir, { recursive: true });
  writeMatrix(idsFile, nq, GT_K, ids);
  writeMatrix(distFile, nq, GT_K, dist);
  return { n: nq, k: GT_K, ids, dist, source: idsFile };
}

/** The reference folder's ground truth when given and present, else computed (cached). */
function groundTruth(set, nq, referenceDir = null) {
  return referenceGroundTruth(set, referenceDir) || computeGroundTruth(set, nq);
}

/**
 * Recall@k as ann-benchmarks counts it: a returned id counts when its true distance is within the
 * k-th true distance + 1e-3. `ids` holds k ids per query (-1 = no result), queries 0..nq-1.
 */
function recall(set, gt, ids, k = 10, epsilon = 1e-3) {
  const distance = distanceFn(set);
  const nq = ids.length / k;
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    // The k-th true distance, recomputed in the same float64 arithmetic as the returned ids'
    // (the published float32 value can differ by more than epsilon on large L2 distances).
    const threshold = distance(q, gt.ids[q * gt.k + k - 1]) + epsilon;
    for (let j = 0; j < k; j++) {
      const id = ids[q * k + j];
      if (id >= 0 && distance(q, id) <= threshold) hits++;
    }
  }
  return hits / (nq * k);
}

module.exports = { groundTruth, referenceGroundTruth, computeGroundTruth, recall, distanceFn, readMatrix, GT_K };
