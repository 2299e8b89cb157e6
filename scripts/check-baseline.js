#!/usr/bin/env node
// Proves from the disassembly that the shipped x86-64 binary needs nothing newer than the
// x86-64 baseline (SSE2) outside the SIMD kernels that cpp/kernels.cc dispatches to at run time
// (issue #5, item 6).
//
//   node scripts/check-baseline.js [SHIPPED.node] [UNSTRIPPED.node]
//
// Defaults: prebuilds/linux-x64/*.node (stripped, as shipped) and build/unstripped/*.node (the
// same link before `strip`, kept by scripts/prebuildify-cmake.js, with the function names).
// 1. The two files have byte-identical .text sections, so what is checked is what ships.
// 2. In `objdump -d` of the unstripped file, every instruction that needs more than SSE2 is
//    inside a dispatched kernel: a function named *_avx2 or *_avx512 (cpp/kernels_x86.cc; the
//    helpers hsum256 and tail_mask are allowed too, though GCC inlines them). Needing more than
//    SSE2 means: a ymm/zmm/k register, a VEX/EVEX-encoded instruction (mnemonic v*, which
//    includes FMA), an AVX-512 mask instruction (k*), or a legacy-encoded SSE3, SSSE3, SSE4.1,
//    SSE4.2, POPCNT, LZCNT, BMI1/2 or MOVBE instruction.
// 3. The kernels are there (both AVX2 and AVX-512), so the check is not passing on an empty set.
// Prints "ok - ..." / "not ok - ..." lines; exits 1 on failure.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function firstNode(dir) {
  try {
    const f = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.node') && !n.includes('musl'))
      .sort()[0];
    return f ? path.join(dir, f) : undefined;
  } catch {
    return undefined;
  }
}

const shipped = process.argv[2] || firstNode(path.join(ROOT, 'prebuilds', 'linux-x64'));
const unstripped = process.argv[3] || firstNode(path.join(ROOT, 'build', 'unstripped'));

let failed = 0;
const ok = (msg) => console.log(`ok - ${msg}`);
const notOk = (msg, detail = '') => {
  failed += 1;
  console.log(`not ok - ${msg}`);
  if (detail) console.log(detail.replace(/^/gm, '    # '));
};

if (!shipped || !unstripped) {
  notOk('baseline: binaries to check', `shipped=${shipped} unstripped=${unstripped}: run npm run prebuildify first`);
  process.exit(1);
}

// 1. Same code in both files.
function textSection(file) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-text-')), 'text.bin');
  execFileSync('objcopy', ['-O', 'binary', '--only-section=.text', file, out]);
  const bytes = fs.readFileSync(out);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return bytes;
}
const header = execFileSync('objdump', ['-f', shipped], { encoding: 'utf8' });
if (!/elf64-x86-64/.test(header)) {
  console.log(`skip - baseline check: ${path.relative(ROOT, shipped)} is not an x86-64 ELF file`);
  process.exit(0);
}
const textShipped = textSection(shipped);
const textUnstripped = textSection(unstripped);
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);
if (textShipped.length > 0 && textShipped.equals(textUnstripped)) {
  ok(
    `baseline: .text of ${path.relative(ROOT, shipped)} equals that of ${path.relative(ROOT, unstripped)} (${textShipped.length} bytes, sha256 ${sha(textShipped)})`,
  );
} else {
  notOk(
    'baseline: shipped and unstripped binaries hold the same code',
    `${shipped}: ${textShipped.length} bytes ${sha(textShipped)}\n${unstripped}: ${textUnstripped.length} bytes ${sha(textUnstripped)}`,
  );
}

// 2. Classify every instruction.
const VMX = new Set([
  'verr',
  'verw',
  'vmcall',
  'vmlaunch',
  'vmresume',
  'vmxoff',
  'vmxon',
  'vmread',
  'vmwrite',
  'vmptrld',
  'vmptrst',
  'vmclear',
  'vmfunc',
]);
const LEGACY_POST_SSE2 = new Set([
  // SSE3
  'addsubpd',
  'addsubps',
  'haddpd',
  'haddps',
  'hsubpd',
  'hsubps',
  'lddqu',
  'movddup',
  'movshdup',
  'movsldup',
  'fisttp',
  'fisttps',
  'fisttpl',
  'fisttpll',
  'monitor',
  'mwait',
  // SSSE3
  'pabsb',
  'pabsw',
  'pabsd',
  'palignr',
  'phaddw',
  'phaddd',
  'phaddsw',
  'phsubw',
  'phsubd',
  'phsubsw',
  'pmaddubsw',
  'pmulhrsw',
  'pshufb',
  'psignb',
  'psignw',
  'psignd',
  // SSE4.1
  'blendpd',
  'blendps',
  'blendvpd',
  'blendvps',
  'dppd',
  'dpps',
  'extractps',
  'insertps',
  'movntdqa',
  'mpsadbw',
  'packusdw',
  'pblendvb',
  'pblendw',
  'pcmpeqq',
  'pextrb',
  'pextrd',
  'pextrq',
  'phminposuw',
  'pinsrb',
  'pinsrd',
  'pinsrq',
  'pmaxsb',
  'pmaxsd',
  'pmaxud',
  'pmaxuw',
  'pminsb',
  'pminsd',
  'pminud',
  'pminuw',
  'pmovsxbw',
  'pmovsxbd',
  'pmovsxbq',
  'pmovsxwd',
  'pmovsxwq',
  'pmovsxdq',
  'pmovzxbw',
  'pmovzxbd',
  'pmovzxbq',
  'pmovzxwd',
  'pmovzxwq',
  'pmovzxdq',
  'pmuldq',
  'pmulld',
  'ptest',
  'roundpd',
  'roundps',
  'roundsd',
  'roundss',
  // SSE4.2, POPCNT, LZCNT, MOVBE
  'crc32',
  'crc32b',
  'crc32w',
  'crc32l',
  'crc32q',
  'pcmpestri',
  'pcmpestrm',
  'pcmpistri',
  'pcmpistrm',
  'pcmpgtq',
  'popcnt',
  'lzcnt',
  'movbe',
  // BMI1, BMI2 (tzcnt is not listed: GCC emits "rep bsf", which objdump shows as tzcnt and which
  // runs as bsf on CPUs without BMI1)
  'andn',
  'bextr',
  'blsi',
  'blsmsk',
  'blsr',
  'bzhi',
  'mulx',
  'pdep',
  'pext',
  'rorx',
  'sarx',
  'shlx',
  'shrx',
]);
const MASK_OP = /^k(mov|and|andn|or|xor|xnor|not|shiftl|shiftr|test|ortest|unpck|add)[bwdq]?$/;

function needsMoreThanSse2(mnemonic, operands) {
  if (/%[yz]mm\d+|%k[0-7]\b/.test(operands)) return 'ymm/zmm/k register';
  if (mnemonic.startsWith('v') && !VMX.has(mnemonic)) return 'VEX/EVEX';
  if (MASK_OP.test(mnemonic)) return 'AVX-512 mask op';
  // AT&T size suffixes (popcntl, lzcntq, ...) name the same instructions.
  if (LEGACY_POST_SSE2.has(mnemonic) || LEGACY_POST_SSE2.has(mnemonic.replace(/[bwlq]$/, ''))) return 'post-SSE2';
  return null;
}

// A dispatched kernel: base name (before the parameter list, after the last ::) ends in _avx2 or
// _avx512, or is one of their helpers; GCC clones (".constprop.0", ".isra.0") count as the same.
function isDispatchedKernel(fn) {
  const base = fn
    .replace(/\(anonymous namespace\)/g, 'anonymous')
    .replace(/\s*\[clone .*$/, '')
    .replace(/\(.*$/, '')
    .split('::')
    .pop()
    .replace(/\..*$/, '');
  return /_avx(2|512)$/.test(base) || base === 'hsum256' || base === 'tail_mask';
}

const asm = execFileSync('objdump', ['-d', '-C', '--no-show-raw-insn', unstripped], {
  encoding: 'utf8',
  maxBuffer: 512 << 20,
});
let fn = '?';
let total = 0;
const inKernels = new Map(); // function -> count of post-SSE2 instructions
const outside = [];
for (const line of asm.split('\n')) {
  const label = /^[0-9a-f]+ <(.*)>:$/.exec(line);
  if (label) {
    fn = label[1];
    continue;
  }
  const insn = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
  if (!insn) continue;
  const text = insn[2].trim();
  if (!text || text.startsWith('(bad)')) continue;
  total += 1;
  const parts = text.split(/\s+/);
  // Prefixes (rep, lock, notrack, data16, ...) come before the mnemonic.
  while (
    parts.length > 1 &&
    /^(rep|repz|repe|repnz|repne|lock|notrack|bnd|data16|addr32|cs|ds|ss|es|fs|gs|xacquire|xrelease)$/.test(parts[0])
  )
    parts.shift();
  const mnemonic = parts[0];
  const operands = parts.slice(1).join(' ');
  const why = needsMoreThanSse2(mnemonic, operands);
  if (!why) continue;
  if (isDispatchedKernel(fn)) inKernels.set(fn, (inKernels.get(fn) || 0) + 1);
  else outside.push(`${insn[1]}: ${text}    [${why}] in ${fn}`);
}

if (outside.length === 0) {
  ok(`baseline: no instruction beyond SSE2 outside the dispatched kernels (${total} instructions checked)`);
} else {
  notOk(
    `baseline: ${outside.length} instruction(s) beyond SSE2 outside the dispatched kernels`,
    outside.slice(0, 40).join('\n'),
  );
}

const kernels = [...inKernels.entries()];
const avx2 = kernels.filter(([f]) => /_avx2/.test(f));
const avx512 = kernels.filter(([f]) => /_avx512/.test(f));
if (avx2.length > 0 && avx512.length > 0) {
  ok(
    `baseline: AVX instructions appear only in ${kernels.length} dispatched kernels: ` +
      kernels
        .map(([f, n]) => `${f.replace(/^annoy::\(anonymous namespace\)::/, '').replace(/\(.*$/, '')} (${n} insns)`)
        .join(', '),
  );
} else {
  notOk(
    'baseline: the AVX2 and AVX-512 kernels are in the binary',
    `found: ${kernels.map(([f]) => f).join(', ') || 'none'}`,
  );
}
process.exit(failed > 0 ? 1 : 0);
