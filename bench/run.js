// Side-by-side benchmark of annoy-napi against the original Annoy 1.17 C++ (compiled here against
// Debian's r-cran-rcppannoy headers), npm `annoy` 4.0, hnswlib-node and usearch; annoy-napi also
// with its neighbour graph (issue #12: lib 'annoy-napi-graph', trees + graph, swept over ef).
//   npm run bench                 quick: Fashion-MNIST, 10 trees, 2,000 queries, 3 runs (~5 min)
//   npm run bench -- --full       + GloVe 6B 100-d, 50 and 100 trees, wider sweeps, 1,000 queries
//                                 (~45 min on 2 cores)
// Options: --out FILE (JSON; default bench/results/<quick|full>.json), --no-report,
//          --only a,b (libraries), --dataset NAME, --peers-from FILE (reuse an earlier run's
//          hnswlib-node and usearch entries; use with --only annoy-napi,annoy-napi-graph,annoy-original,annoy-npm),
//          --reference DIR (published ground truth, and GloVe's query word list for --full;
//          without it the ground truth is computed with annoy-napi's exact search).
// Peers live in bench/package.json: `cd bench && npm install` first. Every step runs in a child
// process so that load time and resident memory are each library's own; figures are medians of
// `runs` repetitions measured in the same run, one library after the other.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { DATASETS, CACHE, referenceDir } = require('./datasets');
const { groundTruth, recall } = require('./ground-truth');
const original = require('./original/build');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const full = flag('full');

const PROFILES = {
  quick: {
    datasets: ['fashion-mnist-784-euclidean'],
    nq: 2000,
    k: 10,
    runs: 3,
    trees: [10],
    buildThreads: [1, 2],
    peerBuildRuns: 1, // npm annoy (single-threaded) and the graph indexes (ours too): one build each
    searchK: [1000, 3000, 8000],
    batchSearchK: 3000,
    cppOwnIndexQueries: false, // the C++ library queries annoy-napi's file only (time)
    ef: [10, 20, 40, 80, 160],
    batchEf: 40,
    hnsw: { M: 16, efConstruction: 40 }, // keeps the quick profile near 5 minutes on 2 cores
    usearchBuildThreads: [2],
    graph: { trees: 10, degree: 32, ef: [10, 20, 40, 80, 120, 200, 400] },
  },
  full: {
    datasets: ['fashion-mnist-784-euclidean', 'glove6b-100-angular'],
    nq: 1000,
    k: 10,
    runs: 3,
    trees: [10, 50, 100],
    buildThreads: [1, 2],
    peerBuildRuns: 1, // the graph indexes (ours too) take minutes each on one thread
    cppOwnIndexQueries: true,
    // Past these the recall is ~1.0 (Fashion: 20,000 candidates are a third of the set).
    searchK: {
      'fashion-mnist-784-euclidean': [1000, 3000, 8000, 20000],
      'glove6b-100-angular': [1000, 3000, 10000, 30000],
    },
    batchSearchK: 10000,
    // One grid for every graph index (hnswlib-node, usearch, ours), fine where recall crosses
    // 0.95 and 0.99, so that no library's summary row is decided by a coarser grid.
    ef: [10, 20, 30, 40, 60, 80, 100, 120, 160, 200, 400, 800],
    batchEf: 80,
    hnsw: { M: 16, efConstruction: 200 },
    usearchBuildThreads: [1, 2],
    graph: { trees: 10, degree: 32, ef: [10, 20, 30, 40, 60, 80, 100, 120, 160, 200, 400, 800] },
  },
};
const P = PROFILES[full ? 'full' : 'quick'];
if (opt('dataset')) P.datasets = [opt('dataset')];
// Overrides, for smoke tests: --queries N, --runs N, --trees a,b
if (opt('queries')) P.nq = Number(opt('queries'));
if (opt('runs')) P.runs = P.peerBuildRuns = Number(opt('runs'));
if (opt('trees')) P.trees = opt('trees').split(',').map(Number);
const only = opt('only') ? opt('only').split(',') : null;
const use = (lib) => !only || only.includes(lib);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

function child(cmd, args) {
  const out = execFileSync(cmd, args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  return JSON.parse(out.trim().split('\n').pop());
}
const node = (cfg) => child(process.execPath, ['--expose-gc', path.join(__dirname, 'runner.js'), JSON.stringify(cfg)]);

function cpuModel() {
  const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/);
  return m ? m[1] : os.cpus()[0].model;
}
function version(pkg) {
  try {
    return require(path.join(__dirname, 'node_modules', pkg, 'package.json')).version;
  } catch {
    return null;
  }
}

// annoy-napi + graph: trees and graph timed apart, each run's sum the total (medians of each).
function graphTimes(res) {
  const total_s = res.build_s.map((s, i) => s + res.graph_s[i]);
  return { graph_s_median: median(res.graph_s), total_s, total_s_median: median(total_s) };
}

function main() {
  const t0 = Date.now();
  const cpp = original.build();
  const { simdLevel } = require('..');
  const result = {
    profile: full ? 'full' : 'quick',
    command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`,
    date: new Date().toISOString(),
    machine: {
      cpu: cpuModel(),
      cores: os.cpus().length,
      memory_gib: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      arch: os.arch(),
    },
    node: process.version,
    versions: {
      'annoy-napi': require('../package.json').version,
      simd: simdLevel,
      'annoy-original': `Annoy 1.17 headers from ${cpp.deb}`,
      compiler: cpp.compiler,
      cpp_command: cpp.command,
      'annoy-npm': version('annoy'),
      'hnswlib-node': version('hnswlib-node'),
      usearch: version('usearch'),
    },
    settings: P,
    datasets: [],
  };
  for (const name of P.datasets) {
    const set = DATASETS[name]();
    const gt = groundTruth(set, P.nq, referenceDir());
    log(
      `${name}: ${set.base.rows} x ${set.dim} ${set.metric}; ground truth ${path.relative(process.cwd(), gt.source)}`,
    );
    const dir = path.join(CACHE, 'indexes', name);
    fs.mkdirSync(dir, { recursive: true });
    const files = {
      base: path.join(CACHE, name, 'base.f32'),
      queries: path.join(CACHE, name, 'queries.f32'),
    };
    const common = { dataset: name, nq: P.nq, k: P.k, runs: P.runs };
    const ds = { name, rows: set.base.rows, dim: set.dim, metric: set.metric, nq: P.nq, builds: [], queries: [] };
    const withRecall = (res) => {
      for (const s of res.sweep) {
        s.recall = recall(set, gt, s.ids, P.k);
        delete s.ids;
        s.qps_median = median(s.qps);
      }
      for (const b of res.batch) b.qps_median = median(b.qps);
      return res;
    };
    const addBuild = (lib, trees, threads, runs, res, file) => {
      ds.builds.push({
        lib,
        trees,
        threads,
        runs,
        build_s_median: median(res.build_s),
        add_s_median: median(res.add_s),
        ...res,
        ...(res.graph_s && graphTimes(res)),
        file: path.basename(file),
      });
      const graphPart = res.graph_s
        ? ` + graph ${median(res.graph_s).toFixed(2)} s (${res.graph.degree} per item)`
        : '';
      log(
        `  build ${lib} trees=${trees} threads=${threads}: ${median(res.build_s).toFixed(2)} s${graphPart}, ${(res.size_bytes / 2 ** 20).toFixed(0)} MiB`,
      );
    };
    const addQuery = (lib, index, label, res) => {
      ds.queries.push({ lib, index: path.basename(index), label, ...withRecall(res) });
      log(
        `  query ${lib} on ${path.basename(index)}: ` +
          res.sweep.map((s) => `${s.param}:${s.recall.toFixed(3)}@${s.qps_median.toFixed(0)}`).join(' '),
      );
    };

    for (const trees of P.trees) {
      const ours = path.join(dir, `annoy-napi.t${trees}.ann`);
      const orig = path.join(dir, `annoy-original.t${trees}.ann`);
      for (const threads of P.buildThreads) {
        if (use('annoy-napi'))
          addBuild(
            'annoy-napi',
            trees,
            threads,
            P.runs,
            node({ ...common, lib: 'annoy-napi', mode: 'build', trees, threads, out: ours }),
            ours,
          );
        if (use('annoy-original')) {
          addBuild(
            'annoy-original',
            trees,
            threads,
            P.runs,
            child(cpp.binary, [
              'build',
              '--metric',
              set.metric,
              '--dim',
              String(set.dim),
              '--base',
              files.base,
              '--trees',
              String(trees),
              '--threads',
              String(threads),
              '--runs',
              String(P.runs),
              '--out',
              orig,
            ]),
            orig,
          );
        }
      }
      const npmFile = path.join(dir, `annoy-npm.t${trees}.ann`);
      if (use('annoy-npm'))
        addBuild(
          'annoy-npm',
          trees,
          1,
          P.peerBuildRuns,
          node({ ...common, runs: P.peerBuildRuns, lib: 'annoy-npm', mode: 'build', trees, threads: 1, out: npmFile }),
          npmFile,
        );

      const sweep = Array.isArray(P.searchK) ? P.searchK : P.searchK[name];
      const batch = { param: P.batchSearchK, threads: [1, 2] };
      const cppQuery = (index) => {
        const r = child(cpp.binary, [
          'query',
          '--metric',
          set.metric,
          '--dim',
          String(set.dim),
          '--index',
          index,
          '--queries',
          files.queries,
          '--nq',
          String(P.nq),
          '--k',
          String(P.k),
          '--search-k',
          sweep.join(','),
          '--runs',
          String(P.runs),
          '--batch-search-k',
          String(batch.param),
          '--batch-threads',
          batch.threads.join(','),
        ]);
        r.sweep = r.sweep.map((s) => ({ param: s.search_k, qps: s.qps, ids: s.ids }));
        r.batch = r.batch.map((b) => ({ threads: b.threads, param: b.search_k, qps: b.qps }));
        return r;
      };
      // Same trees count, each library's own index; then both Annoy implementations on ONE file.
      if (use('annoy-napi'))
        addQuery(
          'annoy-napi',
          ours,
          'own index',
          node({ ...common, lib: 'annoy-napi', mode: 'query', index: ours, sweep, batch }),
        );
      if (use('annoy-original') && P.cppOwnIndexQueries) addQuery('annoy-original', orig, 'own index', cppQuery(orig));
      if (use('annoy-original') && use('annoy-napi'))
        addQuery('annoy-original', ours, "annoy-napi's file", cppQuery(ours));
      if (use('annoy-npm'))
        addQuery(
          'annoy-npm',
          npmFile,
          'own index',
          node({ ...common, lib: 'annoy-npm', mode: 'query', index: npmFile, sweep }),
        );
    }
    // annoy-napi's trees + its neighbour graph (issue #12): built once with 1 and once with 2
    // threads, like the other graph indexes (the last build's file and sidecar stay), then queried
    // re-loaded from both over the ef sweep.
    const graphFile = path.join(dir, `annoy-napi-graph.t${P.graph.trees}.ann`);
    if (use('annoy-napi-graph')) {
      const trees = P.graph.trees;
      const graphStep = (cfg) => node({ ...common, lib: 'annoy-napi-graph', params: P.graph, ...cfg });
      for (const threads of P.buildThreads)
        addBuild(
          'annoy-napi-graph',
          trees,
          threads,
          P.peerBuildRuns,
          graphStep({ mode: 'build', runs: P.peerBuildRuns, trees, threads, out: graphFile }),
          graphFile,
        );
      addQuery(
        'annoy-napi-graph',
        graphFile,
        'own index',
        graphStep({ mode: 'query', index: graphFile, sweep: P.graph.ef, batch: { param: P.batchEf, threads: [1, 2] } }),
      );
    }
    // Graph indexes: one build each (hnswlib-node adds one point at a time on one thread).
    const hnswFile = path.join(dir, 'hnswlib.bin');
    if (use('hnswlib-node')) {
      addBuild(
        'hnswlib-node',
        null,
        1,
        P.peerBuildRuns,
        node({
          ...common,
          runs: P.peerBuildRuns,
          lib: 'hnswlib-node',
          mode: 'build',
          threads: 1,
          params: P.hnsw,
          out: hnswFile,
        }),
        hnswFile,
      );
      addQuery(
        'hnswlib-node',
        hnswFile,
        'own index',
        node({ ...common, lib: 'hnswlib-node', mode: 'query', index: hnswFile, sweep: P.ef, params: P.hnsw }),
      );
    }
    const usearchFile = path.join(dir, 'usearch.bin');
    if (use('usearch')) {
      for (const threads of P.usearchBuildThreads) {
        addBuild(
          'usearch',
          null,
          threads,
          P.peerBuildRuns,
          node({
            ...common,
            runs: P.peerBuildRuns,
            lib: 'usearch',
            mode: 'build',
            threads,
            params: P.hnsw,
            out: usearchFile,
          }),
          usearchFile,
        );
      }
      addQuery(
        'usearch',
        usearchFile,
        'own index',
        node({
          ...common,
          lib: 'usearch',
          mode: 'query',
          index: usearchFile,
          sweep: P.ef,
          params: P.hnsw,
          batch: { param: P.batchEf, threads: [1, 2] },
        }),
      );
    }
    result.datasets.push(ds);
  }
  // --peers-from FILE: the graph indexes' entries of an earlier run (same profile and machine)
  // instead of building them again, which takes most of the full profile's time. The report
  // names the run they come from.
  const peersFrom = opt('peers-from');
  if (peersFrom) {
    const earlier = JSON.parse(fs.readFileSync(peersFrom, 'utf8'));
    const graphs = ['hnswlib-node', 'usearch'];
    for (const ds of result.datasets) {
      const old = earlier.datasets.find((d) => d.name === ds.name);
      if (!old) continue;
      ds.builds.push(...old.builds.filter((b) => graphs.includes(b.lib)));
      ds.queries.push(...old.queries.filter((q) => graphs.includes(q.lib)));
    }
    result.peers_from = { date: earlier.date, command: earlier.command, libraries: graphs };
  }
  result.elapsed_s = (Date.now() - t0) / 1000;
  const out = opt('out', path.join(__dirname, 'results', `${result.profile}.json`));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
  log(`wrote ${path.relative(process.cwd(), out)} after ${result.elapsed_s.toFixed(0)} s`);
  if (!flag('no-report')) require('./report').main(out);
}

main();
