// save() is atomic: it writes a temporary file beside the target and renames it over, so
// (a) an index that has the old file mapped keeps answering from it, and
// (b) a process killed with SIGKILL in the middle of a save leaves either the old or the new file,
//     never a partial one.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Annoy } from '../../lib';
import { describeChild, runChild, tmpDir, tmpPath } from '../helpers/tmp';
import { Rng } from '../helpers/random';
import { DIST, nodeSize } from '../helpers/persistence';

// ---------------------------------------------------------------------------------------------
// (a) readers of the old file. Run in a child: if save() rewrote the file in place, reading the
// shrunk mapping would end in SIGBUS, which must not take the jest worker down.

const READER_CHILD = `
const { Annoy } = lib;
const F = 12;
function make(n, seed, scale) {
  let s = seed >>> 0;
  const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5; };
  const index = new Annoy(F, 'euclidean');
  for (let i = 0; i < n; i++) index.addItem(i, Array.from({ length: F }, () => rnd() * scale));
  return index.build(5, 1);
}
function answers(index) {
  const out = [index.getNItems(), index.getNTrees()];
  for (let i = 0; i < Math.min(40, index.getNItems()); i += 7) out.push(index.getNnsByItem(i, 10), index.getItemVector(i));
  out.push(index.getNnsByVector(Array.from({ length: F }, (_, k) => k / F - 0.5), 15));
  return out;
}
for (const c of input.cases) {
  const target = c.target;
  const writerA = make(input.nOld, 1, 1).save(target);
  const sizeOld = fs.statSync(target).size;
  const reader = new Annoy(F, 'euclidean').load(target);
  const before = answers(reader);
  emit({ label: c.label, step: 'loaded', sizeOld });
  const writerB = make(c.nNew, c.newSeed, c.newScale);
  const expectedNew = answers(writerB);
  writerB.save(target);
  emit({ label: c.label, step: 'saved', sizeNew: fs.statSync(target).size });
  // touch every page the reader and the old writer use
  emit({
    label: c.label,
    step: 'checked',
    readerSame: JSON.stringify(answers(reader)) === JSON.stringify(before),
    writerASame: JSON.stringify(answers(writerA)) === JSON.stringify(before),
    freshIsNew: JSON.stringify(answers(new Annoy(F, 'euclidean').load(target))) === JSON.stringify(expectedNew),
    files: fs.readdirSync(require('path').dirname(target)).sort(),
  });
}
`;

const READER_CASES = [
  { label: 'a larger index', nNew: 300, newSeed: 2, newScale: 1 },
  { label: 'an index of the same size and different data', nNew: 200, newSeed: 1, newScale: 2 },
  { label: 'a smaller index', nNew: 60, newSeed: 3, newScale: 1 },
];

describe('(a) saving over a file that another index has loaded', () => {
  // one child runs the cases in order; its messages survive a crash in a later case
  let res: ReturnType<typeof runChild>;
  beforeAll(() => {
    const cases = READER_CASES.map((c, k) => {
      const dir = path.join(tmpDir(), `reader-${k}`);
      fs.mkdirSync(dir);
      return { ...c, target: path.join(dir, 'index.ann') };
    });
    res = runChild(READER_CHILD, { nOld: 200, cases }, 30000);
  });

  it.each(READER_CASES.map((c) => [c.label, c]))(
    '%s: the old reader keeps answering from the old file, a new load sees the new one',
    (label, c) => {
      const of = (step: string) => res.messages.find((m) => m.label === label && m.step === step);
      const checked = of('checked');
      if (!checked) throw new Error(`the reader did not survive the save: ${describeChild(res)}`);
      if (c.nNew === 200)
        expect(of('saved').sizeNew).toBe(of('loaded').sizeOld); // really the same size
      else expect(of('saved').sizeNew === of('loaded').sizeOld).toBe(false);
      expect(checked).toEqual({
        label,
        step: 'checked',
        readerSame: true,
        writerASame: true,
        freshIsNew: true,
        files: ['index.ann'],
      });
    },
  );
});

// ---------------------------------------------------------------------------------------------
// (b) SIGKILL in the middle of save().

const CHILD_SCRIPT = path.join(__dirname, 'save-loop-child.js');
const MAKE_BIG_SCRIPT = path.join(__dirname, 'make-big-index.js');
const F = 64;
const BIG_N = 300_000;
const SMALL_N = 100;
const ROUNDS = 5;

function fingerprint(index: Annoy): unknown {
  const q = Array.from({ length: F }, (_, k) => Math.sin(k));
  return [
    index.getNItems(),
    index.getNTrees(),
    index.getNnsByItem(0, 10),
    index.getNnsByVector(q, 10),
    index.getItemVector(SMALL_N - 1),
  ];
}

interface Round {
  round: number;
  delayMs: number;
  lastLine: string;
  size: number;
  which: 'old' | 'new' | 'partial';
  loadError: string | null;
}

/** Resolves once the child has exited and its stdout/stderr are drained ('close'). */
function waitForClose(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('close', () => resolve()));
}

describe('(b) SIGKILL during save()', () => {
  let snapshotFile: string;
  let smallFile: string;
  let bigSize: number;
  let smallSize: number;
  let bigPrint: unknown;
  let smallPrint: unknown;
  let parentSaveMs: number;

  beforeAll(() => {
    if (!fs.existsSync(path.join(DIST, 'index.js'))) throw new Error('dist/ is missing: run `npm run build:ts` first');
    snapshotFile = tmpPath('big.snapshot');
    const bigFile = tmpPath('big.ann');
    const made = spawnSync(
      process.execPath,
      [MAKE_BIG_SCRIPT, snapshotFile, bigFile, String(BIG_N), String(F), '2026'],
      {
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    if (made.status !== 0) throw new Error(`make-big-index.js failed (${made.status}, ${made.signal}): ${made.stderr}`);
    parentSaveMs = (JSON.parse(made.stdout.trim()) as { saveMs: number }).saveMs;
    bigSize = fs.statSync(bigFile).size;
    const big = new Annoy(F, 'euclidean').load(bigFile);
    expect(big.getNItems()).toBe(BIG_N);
    bigPrint = fingerprint(big);
    big.unload();
    fs.unlinkSync(bigFile);

    const small = new Annoy(F, 'euclidean');
    const rng = new Rng(78);
    for (let i = 0; i < SMALL_N; i++) small.addItem(i, rng.vector(F));
    small.build(3, 1);
    smallFile = tmpPath('small.ann');
    small.save(smallFile);
    smallSize = fs.statSync(smallFile).size;
    smallPrint = fingerprint(small);
  });

  it(`TARGET is always the old or the new complete file (${ROUNDS} kills at random moments)`, async () => {
    const node = nodeSize('euclidean', F);
    expect(bigSize % node).toBe(0);
    expect(smallSize % node).toBe(0);
    const rng = new Rng(4242);
    const rounds: Round[] = [];
    const saveTimes: number[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(tmpDir(), `kill-round-${round}`);
      fs.mkdirSync(dir);
      const target = path.join(dir, 'index.ann');
      fs.copyFileSync(smallFile, target);

      const child = spawn(process.execPath, [CHILD_SCRIPT, snapshotFile, target, String(F), 'euclidean'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));

      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child not ready after 30 s; stderr: ${stderr}`)), 30000);
        const check = () => {
          if (stdout.includes('ready\n')) {
            clearTimeout(timer);
            child.stdout!.off('data', check);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`child exited (${code}, ${signal}) before it was ready; stderr: ${stderr}`));
        });
        check();
      });
      child.removeAllListeners('exit');

      // somewhere in the first few saves (the first one, to a fresh name, is the fastest)
      const delayMs = Math.round(rng.next() * Math.max(1000, 3 * parentSaveMs));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const alive = child.exitCode === null && child.signalCode === null;
      const closed = waitForClose(child);
      child.kill('SIGKILL');
      await closed;
      if (!alive) throw new Error(`the child died on its own: ${stderr}`);
      expect(child.signalCode).toBe('SIGKILL');

      const lines = stdout.trim().split('\n');
      for (const line of lines) {
        const m = /^saved (\d+) (\d+)$/.exec(line);
        if (m && m[1] !== '0') saveTimes.push(Number(m[2])); // saves over an existing file
      }
      const size = fs.statSync(target).size;
      let loadError: string | null = null;
      let which: Round['which'] = 'partial';
      try {
        const loaded = new Annoy(F, 'euclidean').load(target);
        const print = fingerprint(loaded);
        loaded.unload();
        if (size === smallSize && JSON.stringify(print) === JSON.stringify(smallPrint)) which = 'old';
        else if (size === bigSize && JSON.stringify(print) === JSON.stringify(bigPrint)) which = 'new';
      } catch (e) {
        loadError = `${(e as Error).name}(${(e as { code?: string }).code}): ${(e as Error).message}`;
      }
      rounds.push({ round, delayMs, lastLine: lines[lines.length - 1], size, which, loadError });
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const summary = rounds.map(
      (r) =>
        `round ${r.round}: kill after ${r.delayMs} ms at "${r.lastLine}", size ${r.size} -> ${r.which}${r.loadError ? ` (${r.loadError})` : ''}`,
    );
    // every round left a complete file: the old one or the new one
    expect({ partial: rounds.filter((r) => r.which === 'partial').length, summary }).toEqual({ partial: 0, summary });
    for (const r of rounds) expect(r.size % node).toBe(0);
    // the test means something only if kills landed while a save was running
    const midSave = rounds.filter((r) => r.lastLine.startsWith('saving')).length;
    expect({ midSave: midSave >= 2, summary, saveTimes }).toEqual({ midSave: true, summary, saveTimes });
  });
});
