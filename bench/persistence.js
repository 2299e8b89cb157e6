// Sizes and speeds of each way to move an index (issue #3's README table), on Fashion-MNIST
// 60,000 x 784 euclidean with 10 trees. Each mode runs in its own child process, so that its
// peak resident memory (maxRSS) is its own.
// Usage: npm run build && node bench/persistence.js [--runs 3]
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-persist-'));
const file = path.join(dir, 'fashion.ann');

function child(code, ...args) {
  return JSON.parse(execFileSync(process.execPath, ['-e', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

const prelude = `
const { Annoy } = require(${JSON.stringify(path.resolve(__dirname, '../dist'))});
const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
`;

// Build once and save: every mode starts from the same mapped file.
child(
  `${prelude}
const { fashionMnist } = require(${JSON.stringify(path.join(__dirname, 'datasets'))});
const set = fashionMnist();
const index = new Annoy(set.dim, 'euclidean');
for (let i = 0; i < set.base.rows; i++) index.addItem(i, set.base.data.subarray(i * set.dim, (i + 1) * set.dim));
index.setSeed(1);
index.build(10, 2).save(process.argv[1]);
console.log(JSON.stringify({ ok: true }));`,
  file,
);
const fileMiB = fs.statSync(file).size / 2 ** 20;

const modes = [
  ['byte', null],
  ['byte', 'zlib'],
  ['byte', 'gzip'],
  ['byte', 'brotli'],
  ['disk', null],
];
const rows = [];
for (const [pickleMode, compressMode] of modes) {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    samples.push(
      child(
        `${prelude}
const index = new Annoy(784, 'euclidean').load(process.argv[1], true);
index.pickleMode = process.argv[2];
index.compressMode = process.argv[3] === 'null' ? null : process.argv[3];
const before = maxRssMiB();
let t0 = process.hrtime.bigint();
const state = index.toState();
const toState = ms(t0);
const peak = maxRssMiB() - before;
const size = state.mode === 'byte' ? state.bytes.length : Buffer.byteLength(state.path);
t0 = process.hrtime.bigint();
const cloned = structuredClone(state);
const clone = ms(t0);
t0 = process.hrtime.bigint();
const restored = Annoy.fromState(cloned);
const fromState = ms(t0);
if (restored.getNItems() !== 60000) throw new Error('bad restore');
console.log(JSON.stringify({ size, toState, clone, fromState, peak }));`,
        file,
        pickleMode,
        String(compressMode),
      ),
    );
  }
  const pick = (k) => median(samples.map((s) => s[k]));
  rows.push({
    pickleMode,
    compressMode,
    size: pick('size'),
    toState: pick('toState'),
    clone: pick('clone'),
    fromState: pick('fromState'),
    peak: pick('peak'),
  });
}

const fmtSize = (b) => (b > 1024 * 1024 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${b} B`);
console.log(
  `Fashion-MNIST 60,000 x 784 euclidean, 10 trees: index file ${fileMiB.toFixed(1)} MiB. ` +
    `${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; median of ${runs} runs (\`node bench/persistence.js\`).\n`,
);
console.log('| mode | state payload | toState() | structuredClone | fromState() | extra peak RSS during toState() |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const name =
    r.pickleMode === 'disk' ? 'disk (path + checksum)' : `byte${r.compressMode ? ` + ${r.compressMode}` : ''}`;
  console.log(
    `| ${name} | ${fmtSize(r.size)} | ${r.toState.toFixed(0)} ms | ${r.clone.toFixed(1)} ms | ${r.fromState.toFixed(0)} ms | ${r.peak.toFixed(0)} MiB |`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
