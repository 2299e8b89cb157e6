// Child process for atomic-save.test.ts: restores a large index from a serialize() snapshot
// (argv[2]), then saves it to TARGET (argv[3]) over and over until it is killed. Each save is
// announced before and after on stdout, so the parent knows what the kill interrupted.
'use strict';
const fs = require('fs');
const path = require('path');
const { Annoy } = require(path.resolve(__dirname, '../../dist'));

const [snapshotPath, target, f, metric] = process.argv.slice(2);
const index = new Annoy(Number(f), metric).deserialize(fs.readFileSync(snapshotPath));
fs.writeSync(1, 'ready\n');
for (let k = 0; ; k++) {
  const t0 = Date.now();
  fs.writeSync(1, `saving ${k}\n`);
  index.save(target);
  fs.writeSync(1, `saved ${k} ${Date.now() - t0}\n`);
}
