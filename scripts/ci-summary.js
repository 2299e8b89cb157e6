#!/usr/bin/env node
// The one line CI reads, "N passed, N failed[, N skipped]", summed over every test run of
// .ci/run: jest JSON result files (*.json: numPassedTests; numFailedTests plus suites that failed
// to run) and check logs (*.tap: one "ok - ", "not ok - " or "skip - " line per check).
// A missing or unreadable file counts as one failure. Exits 1 on any failure or no test at all.
//   node scripts/ci-summary.js FILE...
'use strict';
const fs = require('fs');

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`ci-summary: no results in ${file}: ${err.message}`);
    failed += 1;
    continue;
  }
  if (file.endsWith('.json')) {
    try {
      const r = JSON.parse(text);
      const bad = r.numFailedTests + r.numRuntimeErrorTestSuites;
      passed += r.numPassedTests;
      // A run that jest calls unsuccessful with no failed test (e.g. an obsolete snapshot) still fails.
      failed += bad > 0 || r.success ? bad : 1;
    } catch (err) {
      console.error(`ci-summary: unreadable jest results in ${file}: ${err.message}`);
      failed += 1;
    }
  } else {
    for (const line of text.split('\n')) {
      if (line.startsWith('ok - ')) passed += 1;
      else if (line.startsWith('not ok - ')) failed += 1;
      else if (line.startsWith('skip - ')) skipped += 1;
    }
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
