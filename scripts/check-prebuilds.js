#!/usr/bin/env node
// Checks prebuilds/ before packing (issue #5): every expected binary is there, is a binary for
// its platform and CPU (read from the file header), and on Linux is stripped, links the right
// libc and, with --max-glibc, needs no newer glibc than that.
//
//   node scripts/check-prebuilds.js [--only TUPLE]... [--allow-missing TUPLE]... [--max-glibc 2.28]
//
// The release workflow's final job runs it on all the downloaded prebuilds; .ci/run runs it
// with --only linux-x64 on the one built here. Prints "ok - ..." / "not ok - ..." lines.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const NAME = require(path.join(ROOT, 'package.json')).name;

// What the release ships: prebuilds/<tuple>/<file>, the CPU the file header must name, the libc.
const EXPECTED = [
  { tuple: 'linux-x64', file: `${NAME}.glibc.node`, format: 'elf', machine: 'x86-64', libc: 'glibc' },
  { tuple: 'linux-x64', file: `${NAME}.musl.node`, format: 'elf', machine: 'x86-64', libc: 'musl' },
  { tuple: 'linux-arm64', file: `${NAME}.glibc.node`, format: 'elf', machine: 'aarch64', libc: 'glibc' },
  { tuple: 'darwin-arm64', file: `${NAME}.node`, format: 'mach-o', machine: 'arm64' },
  { tuple: 'darwin-x64', file: `${NAME}.node`, format: 'mach-o', machine: 'x86-64' },
  { tuple: 'win32-x64', file: `${NAME}.node`, format: 'pe', machine: 'x86-64' },
];

const args = process.argv.slice(2);
const many = (flag) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
const only = many('--only');
const allowMissing = new Set(many('--allow-missing'));
const maxGlibc = many('--max-glibc')[0];
const HOST_LIBC = fs.existsSync('/etc/alpine-release') ? 'musl' : 'glibc';

let failed = 0;
const ok = (msg) => console.log(`ok - ${msg}`);
const notOk = (msg, detail) => {
  failed += 1;
  console.log(`not ok - ${msg}`);
  if (detail) console.log(String(detail).replace(/^/gm, '    # '));
};

/** Format and CPU from the first bytes of the file. */
function identify(bytes) {
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine =
      { 62: 'x86-64', 183: 'aarch64', 40: 'arm', 3: 'x86' }[bytes.readUInt16LE(18)] || `elf-${bytes.readUInt16LE(18)}`;
    return { format: 'elf', machine };
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const machine = { 0x01000007: 'x86-64', 0x0100000c: 'arm64' }[bytes.readUInt32LE(4)] || 'mach-o-?';
    return { format: 'mach-o', machine };
  }
  if (bytes.readUInt32BE(0) === 0xcafebabe) return { format: 'mach-o', machine: 'universal' };
  if (bytes.readUInt16LE(0) === 0x5a4d) {
    const pe = bytes.readUInt32LE(0x3c);
    const machine = { 0x8664: 'x86-64', 0xaa64: 'arm64', 0x14c: 'x86' }[bytes.readUInt16LE(pe + 4)] || 'pe-?';
    return { format: 'pe', machine };
  }
  return { format: 'unknown', machine: 'unknown' };
}

function objdump(flag, file) {
  try {
    return execFileSync('objdump', [flag, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

const versionKey = (v) =>
  v
    .split('.')
    .map((n) => n.padStart(4, '0'))
    .join('.');

// With --only, this machine checks what it built: the other libc's flavour of its platform is
// made (and checked) by another CI job, so it is not expected here at all.
const expected = EXPECTED.filter(
  (e) => only.length === 0 || (only.includes(e.tuple) && !(e.libc && e.libc !== HOST_LIBC)),
);
for (const e of expected) {
  const rel = path.join('prebuilds', e.tuple, e.file);
  const file = path.join(ROOT, rel);
  if (!fs.existsSync(file)) {
    if (allowMissing.has(e.tuple)) console.log(`skip - ${rel} missing (allowed: --allow-missing ${e.tuple})`);
    else notOk(`${rel} is present`);
    continue;
  }
  const bytes = fs.readFileSync(file);
  const id = identify(bytes);
  const notes = [`${(bytes.length / 1024).toFixed(0)} kB`, `${id.format} ${id.machine}`];
  const problems = [];
  if (id.format !== e.format || id.machine !== e.machine) problems.push(`want ${e.format} ${e.machine}`);
  if (e.format === 'elf') {
    const headers = objdump('-h', file);
    const dynamic = objdump('-p', file);
    const symbols = objdump('-T', file);
    if (headers === null || dynamic === null || symbols === null) {
      notes.push('objdump unavailable or does not read this file: libc not checked');
    } else {
      if (/\s\.symtab\s/.test(headers)) problems.push('not stripped (.symtab present)');
      const libc = /NEEDED\s+libc\.musl-|NEEDED\s+libc\.so$/m.test(dynamic)
        ? 'musl'
        : /NEEDED\s+libc\.so\.6/.test(dynamic)
          ? 'glibc'
          : 'none';
      if (e.libc && libc !== e.libc) problems.push(`links ${libc}, want ${e.libc}`);
      const glibc = [...symbols.matchAll(/\(?GLIBC_(\d+\.\d+(?:\.\d+)?)\)?/g)]
        .map((m) => m[1])
        .sort((a, b) => versionKey(a).localeCompare(versionKey(b)))
        .pop();
      const glibcxx = [...symbols.matchAll(/GLIBCXX_(\d+\.\d+(?:\.\d+)?)/g)]
        .map((m) => m[1])
        .sort((a, b) => versionKey(a).localeCompare(versionKey(b)))
        .pop();
      if (glibc) notes.push(`needs glibc >= ${glibc}${glibcxx ? `, libstdc++ GLIBCXX_${glibcxx}` : ''}`);
      if (maxGlibc && glibc && versionKey(glibc) > versionKey(maxGlibc))
        problems.push(`needs glibc ${glibc} > --max-glibc ${maxGlibc}`);
    }
  }
  if (problems.length > 0) notOk(`${rel} (${notes.join(', ')})`, problems.join('\n'));
  else ok(`${rel} (${notes.join(', ')})`);
}

// Anything in prebuilds/ that node-gyp-build could pick but nobody expects.
const known = new Set(EXPECTED.map((e) => path.join(e.tuple, e.file)));
const dir = path.join(ROOT, 'prebuilds');
const present = fs.existsSync(dir)
  ? fs.readdirSync(dir).flatMap((t) => fs.readdirSync(path.join(dir, t)).map((f) => path.join(t, f)))
  : [];
const unexpected = present.filter((f) => !known.has(f));
if (unexpected.length > 0) notOk('prebuilds/ holds only expected files', unexpected.join('\n'));
else ok(`prebuilds/ holds only expected files (${present.length})`);
process.exit(failed > 0 ? 1 : 0);
