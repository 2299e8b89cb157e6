#!/usr/bin/env node
// Prints jest's JSON results as the one line CI reads: "N passed, N failed".
// A suite that failed to run (for example a crash in a worker) counts as a failure.
'use strict';
const fs = require('fs');

const file = process.argv[2];
let results;
try {
  results = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (err) {
  console.log('0 passed, 1 failed');
  console.error(`no jest results in ${file}: ${err.message}`);
  process.exit(1);
}
const passed = results.numPassedTests;
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 || !results.success ? 1 : 0);
