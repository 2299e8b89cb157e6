// One benchmark step for one library, in its own process (so resident memory is its own).
// Usage: node bench/runner.js '<json config>'; prints one JSON object on stdout.
// config: { lib: 'annoy-napi'|'annoy-napi-graph'|'annoy-npm'|'hnswlib-node'|'usearch',
//           mode: 'build'|'query', dataset,
//           build: trees, threads, runs, out, params (graph: { degree })  |  query: index, nq, k, runs, sweep: [...],
//           batch: { param, threads: [1, 2] } }
// Per-query loops time getNnsByVector-style calls one at a time; the libraries that only take
// number[] (npm annoy, hnswlib-node) get their query rows converted to arrays before timing.
'use strict';
const fs = require('fs');
const path = require('path');
const { DATASETS, CACHE } = require('./datasets');

const cfg = JSON.parse(process.argv[2]);
// Only what this step needs is read (a query process holds the queries, not the base vectors).
if (!DATASETS[cfg.dataset]) throw new Error(`unknown dataset ${cfg.dataset}`);
const META = {
  'fashion-mnist-784-euclidean': { dim: 784, metric: 'euclidean' },
  'glove6b-100-angular': { dim: 100, metric: 'angular' },
}[cfg.dataset];
const f = META.dim;
const readRows = (part) => {
  const buf = fs.readFileSync(path.join(CACHE, cfg.dataset, `${part}.f32`));
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  return { data, rows: data.length / f };
};
const set = {
  metric: META.metric,
  get base() {
    return (this._b ||= readRows('base'));
  },
  get queries() {
    return (this._q ||= readRows('queries'));
  },
};
const now = () => Number(process.hrtime.bigint()) / 1e9;
const rss = () => Math.round(process.memoryUsage().rss / 1024);
const row = (m, i) => m.data.subarray(i * f, (i + 1) * f);

const LIBS = {
  'annoy-napi': () => {
    const { Annoy } = require('..');
    return {
      create() {
        return new Annoy(f, set.metric);
      },
      add(ix) {
        ix.addItems(set.base.data, { startId: 0 });
      },
      build(ix, c) {
        ix.build(c.trees, c.threads);
      },
      save(ix, file) {
        ix.save(file);
      },
      load(file) {
        return new Annoy(f, set.metric).load(file);
      },
      prepareQueries: (q) => q,
      variant: (ix) => ix,
      search(ix, q, i, k, p) {
        return ix.getNnsByVector(row(q, i), k, p, false);
      },
      batch(ix, q, k, p, threads) {
        return ix.querySync(q.data, k, { searchK: p, threads, includeDistances: false }).ids;
      },
    };
  },
  // annoy-napi's trees plus its neighbour graph (issue #12): the graph build is timed on its own,
  // the index is saved with its sidecar and queried re-loaded from both, over ef.
  'annoy-napi-graph': () => {
    const trees = LIBS['annoy-napi']();
    return {
      ...trees,
      graph(ix, c) {
        ix.buildGraph({ degree: c.params.degree, nJobs: c.threads });
      },
      graphStats(ix, file) {
        return { graph: ix.info().graph, graph_file_bytes: fs.statSync(`${file}.graph`).size };
      },
      load(file) {
        const ix = trees.load(file);
        if (!ix.info().graph) throw new Error(`${file}: loaded without its graph (${file}.graph)`);
        return ix;
      },
      search(ix, q, i, k, p) {
        return ix.getNnsByVector(row(q, i), k, { ef: p, includeDistances: false });
      },
      batch(ix, q, k, p, threads) {
        return ix.querySync(q.data, k, { ef: p, threads, includeDistances: false }).ids;
      },
    };
  },
  'annoy-npm': () => {
    const Annoy = require('annoy');
    const metric = set.metric === 'euclidean' ? 'Euclidean' : 'Angular';
    return {
      create() {
        return new Annoy(f, metric);
      },
      add(ix) {
        for (let i = 0; i < set.base.rows; i++) ix.addItem(i, Array.from(row(set.base, i)));
      },
      build(ix, c) {
        ix.build(c.trees);
      }, // single-threaded: this binding has no n_jobs
      save(ix, file) {
        ix.save(file);
      },
      load(file) {
        const ix = new Annoy(f, metric);
        if (!ix.load(file)) throw new Error('load failed');
        return ix;
      },
      prepareQueries: (q) => Array.from({ length: q.rows }, (_, i) => Array.from(row(q, i))),
      variant: (ix) => ix,
      search(ix, q, i, k, p) {
        return ix.getNNsByVector(q[i], k, p, false);
      },
    };
  },
  'hnswlib-node': () => {
    const { HierarchicalNSW } = require('hnswlib-node');
    const space = set.metric === 'euclidean' ? 'l2' : 'cosine';
    return {
      create() {
        return new HierarchicalNSW(space, f);
      },
      add(ix, c) {
        ix.initIndex(set.base.rows, c.params.M, c.params.efConstruction, 100);
        this.pending = true;
      },
      // hnswlib builds while adding: addPoint one by one (this binding has no parallel add)
      build(ix) {
        for (let i = 0; i < set.base.rows; i++) ix.addPoint(Array.from(row(set.base, i)), i);
      },
      save(ix, file) {
        ix.writeIndexSync(file);
      },
      load(file) {
        const ix = new HierarchicalNSW(space, f);
        ix.readIndexSync(file);
        return ix;
      },
      prepareQueries: (q) => Array.from({ length: q.rows }, (_, i) => Array.from(row(q, i))),
      variant(ix, ef) {
        ix.setEf(ef);
        return ix;
      },
      search(ix, q, i, k) {
        return ix.searchKnn(q[i], k).neighbors;
      },
    };
  },
  usearch: () => {
    const { Index } = require('usearch');
    const metric = set.metric === 'euclidean' ? 'l2sq' : 'cos';
    const conf = (c, ef) => ({
      dimensions: f,
      metric,
      quantization: 'f32',
      connectivity: c.M,
      expansion_add: c.efConstruction,
      expansion_search: ef || 64,
      multi: false,
    });
    let loadedFrom = null;
    return {
      create(c) {
        return new Index(conf(c.params));
      },
      add() {},
      // usearch builds while adding; add() takes the whole matrix and a thread count
      build(ix, c) {
        const keys = new BigUint64Array(set.base.rows).map((_, i) => BigInt(i));
        ix.add(keys, set.base.data, c.threads);
      },
      save(ix, file) {
        ix.save(file);
      },
      // view() maps the file, as Annoy's load does (load() would read a full copy per ef below)
      prepareQueries: (q) => q,
      // expansion_search is fixed at construction: a fresh Index per ef over the same file
      // (the loaded object already has the first ef, so the first pass runs on it)
      load(file) {
        loadedFrom = file;
        const ix = new Index(conf(cfg.params, cfg.sweep[0]));
        ix.view(file);
        return ix;
      },
      variant(ix, ef) {
        if (ef === cfg.sweep[0]) return ix;
        const v = new Index(conf(cfg.params, ef));
        v.view(loadedFrom);
        return v;
      },
      search(ix, q, i, k) {
        return Array.from(ix.search(row(q, i), k, 1).keys, Number);
      },
      batch(ix, q, k, p, threads) {
        return ix.search(q.data, k, threads).keys;
      },
    };
  },
};

const lib = LIBS[cfg.lib]();
let out;

if (cfg.mode === 'build') {
  const add_s = [],
    build_s = [],
    graph_s = [];
  let ix;
  for (let r = 0; r < cfg.runs; r++) {
    ix = lib.create(cfg);
    const t0 = now();
    lib.add(ix, cfg);
    const t1 = now();
    lib.build(ix, cfg);
    const t2 = now();
    add_s.push(t1 - t0);
    build_s.push(t2 - t1);
    if (lib.graph) {
      lib.graph(ix, cfg);
      graph_s.push(now() - t2);
    }
  }
  const t0 = now();
  lib.save(ix, cfg.out);
  out = { add_s, build_s, save_s: now() - t0, size_bytes: fs.statSync(cfg.out).size, rss_kib: rss() };
  if (lib.graph) Object.assign(out, { graph_s }, lib.graphStats(ix, cfg.out));
} else {
  const queries = { data: set.queries.data.slice(0, cfg.nq * f), rows: cfg.nq };
  delete set._q;
  const q = lib.prepareQueries(queries);
  const k = cfg.k;
  if (global.gc) global.gc();
  const before = rss();
  const t0 = now();
  const base = lib.load(cfg.index);
  const load_s = now() - t0;
  const afterLoad = rss();
  const sweep = [];
  let afterFirstPass = null;
  for (const p of cfg.sweep) {
    const ix = lib.variant(base, p);
    const qps = [];
    const ids = new Int32Array(cfg.nq * k).fill(-1);
    for (let r = 0; r < cfg.runs; r++) {
      const t = now();
      if (r === 0) {
        for (let i = 0; i < cfg.nq; i++) {
          const res = lib.search(ix, q, i, k, p);
          for (let j = 0; j < res.length && j < k; j++) ids[i * k + j] = Number(res[j]);
        }
      } else {
        for (let i = 0; i < cfg.nq; i++) lib.search(ix, q, i, k, p);
      }
      qps.push(cfg.nq / (now() - t));
    }
    sweep.push({ param: p, qps, ids: Array.from(ids) });
    if (afterFirstPass == null) afterFirstPass = rss();
  }
  const afterQueries = rss();
  const batch = [];
  if (cfg.batch && lib.batch) {
    const ix = lib.variant(base, cfg.batch.param);
    for (const threads of cfg.batch.threads) {
      const qps = [];
      for (let r = 0; r < cfg.runs; r++) {
        const t = now();
        lib.batch(ix, queries, k, cfg.batch.param, threads);
        qps.push(cfg.nq / (now() - t));
      }
      batch.push({ threads, param: cfg.batch.param, qps });
    }
  }
  out = {
    load_s,
    rss_kib: {
      before_load: before,
      after_load: afterLoad,
      after_first_pass: afterFirstPass,
      after_queries: afterQueries,
    },
    sweep,
    batch,
  };
}
process.stdout.write(JSON.stringify(out) + '\n');
