// Child process for atomic-save.test.ts: builds the large index (argv: snapshotOut, annOut, n, f,
// seed) in a plain Node process (much faster than inside jest's sandbox), writes its serialize()
// snapshot and its Annoy file, and prints how long the save took as one JSON line.
'use strict';
const fs = require('fs');
const path = require('path');
const { Annoy } = require(path.resolve(__dirname, '../../dist'));

const [snapshotOut, annOut, nArg, fArg, seedArg] = process.argv.slice(2);
const n = Number(nArg);
const f = Number(fArg);
let a = Number(seedArg) >>> 0;
function rnd() {
  // mulberry32
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const index = new Annoy(f, 'euclidean');
const v = new Float32Array(f);
for (let i = 0; i < n; i++) {
  for (let k = 0; k < f; k++) v[k] = rnd() - 0.5;
  index.addItem(i, v);
}
index.build(10, -1);
fs.writeFileSync(snapshotOut, index.serialize());
const t0 = Date.now();
index.save(annOut);
const saveMs = Date.now() - t0;
fs.writeSync(1, JSON.stringify({ saveMs }) + '\n');
