// Shared test helpers: a per-run temporary directory (removed after the suite), error matching by
// `code` (errors may come from Node's realm, so never `toThrow(Class)`), result-shape checks, and
// a child-process runner for cases that could crash or hang native code.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

let dir: string | null = null;
let counter = 0;

/** The per-run temporary directory (created on first use, under os.tmpdir()). */
export function tmpDir(): string {
  if (dir === null) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-test-'));
  return dir;
}

/** A fresh, not yet existing path inside the per-run directory. */
export function tmpPath(name = 'index.ann'): string {
  counter += 1;
  return path.join(tmpDir(), `${counter}-${name}`);
}

export function removeTmpDir(): void {
  if (dir !== null) {
    fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  }
}

// Registered in the root block of every test file that imports this module.
afterAll(() => {
  removeTmpDir();
});

export interface CodedError extends Error {
  code: string;
  errno?: number;
  path?: string;
}

function describeValue(v: unknown): string {
  try {
    if (typeof v === 'bigint') return `${v}n`;
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}...` : s;
  } catch {
    return String(v);
  }
}

/**
 * Calls `fn` and asserts that it throws an AnnoyError (by `name`) whose `code` is `code` (or one
 * of `code` when an array is given). Returns the error for further checks.
 */
export function expectCode(fn: () => unknown, code: string | readonly string[]): CodedError {
  const codes = typeof code === 'string' ? [code] : code;
  let returned: unknown;
  try {
    returned = fn();
  } catch (e) {
    const err = e as Partial<CodedError> | null;
    const got = `${err?.name}(${err?.code}): ${err?.message}`;
    if (!err || err.name !== 'AnnoyError' || typeof err.code !== 'string' || !codes.includes(err.code)) {
      throw new Error(`expected AnnoyError with code ${codes.join(' or ')}, but got ${got}`, { cause: e });
    }
    expect(typeof err.message).toBe('string');
    expect((err.message as string).length).toBeGreaterThan(0);
    return err as CodedError;
  }
  throw new Error(
    `expected AnnoyError with code ${codes.join(' or ')}, but the call returned ${describeValue(returned)}`,
  );
}

/** Asserts the `[ids, distances]` shape and returns it typed. */
export function asPair(result: unknown): [number[], number[]] {
  expect(Array.isArray(result)).toBe(true);
  const r = result as unknown[];
  expect(r.length).toBe(2);
  expect(Array.isArray(r[0])).toBe(true);
  expect(Array.isArray(r[1])).toBe(true);
  const ids = r[0] as number[];
  const dists = r[1] as number[];
  expect(dists.length).toBe(ids.length);
  for (const id of ids) expect(Number.isInteger(id)).toBe(true);
  for (const d of dists) expect(typeof d).toBe('number');
  return [ids, dists];
}

/** Asserts the plain `ids` shape (a flat array of integers) and returns it typed. */
export function asIds(result: unknown): number[] {
  expect(Array.isArray(result)).toBe(true);
  const ids = result as unknown[];
  for (const id of ids) {
    expect(typeof id).toBe('number');
    expect(Number.isInteger(id)).toBe(true);
  }
  return ids as number[];
}

/** Ascending check with a little float tolerance. */
export function expectSortedAscending(values: number[], tol = 1e-6): void {
  for (let k = 1; k < values.length; k++) {
    if (values[k] < values[k - 1] - tol) {
      throw new Error(`not sorted ascending at ${k}: ${values[k - 1]} then ${values[k]} in ${describeValue(values)}`);
    }
  }
}

export function expectSortedDescending(values: number[], tol = 1e-6): void {
  for (let k = 1; k < values.length; k++) {
    if (values[k] > values[k - 1] + tol) {
      throw new Error(`not sorted descending at ${k}: ${values[k - 1]} then ${values[k]} in ${describeValue(values)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: a crash or hang inside the addon would kill the jest worker; inside a child
// it becomes an exit status we can report.

/**
 * JS preamble for a child script: lets Node require the TypeScript sources of lib/ (transpiled
 * on the fly by the project's own `typescript`), then exposes `lib` and `input`.
 */
function childPreamble(inputPath: string): string {
  return `
'use strict';
const fs = require('fs');
const ts = require(${JSON.stringify(path.join(REPO_ROOT, 'node_modules', 'typescript'))});
require.extensions['.ts'] = function (module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const out = ts.transpileModule(src, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  module._compile(out.outputText, filename);
};
const lib = require(${JSON.stringify(path.join(REPO_ROOT, 'lib'))});
const input = JSON.parse(fs.readFileSync(${JSON.stringify(inputPath)}, 'utf8'));
function emit(obj) { fs.writeSync(1, JSON.stringify(obj) + '\\n'); }
`;
}

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Every stdout line that parsed as JSON. */
  messages: any[];
}

/**
 * Runs `body` (plain JavaScript; `lib`, `input` and `emit(obj)` are in scope) in a fresh Node
 * process. `emit` writes one JSON line to stdout synchronously, so lines written before a crash
 * survive it.
 */
export function runChild(body: string, input: unknown, timeoutMs = 15000): ChildResult {
  const script = tmpPath('child.js');
  const inputPath = tmpPath('child-input.json');
  fs.writeFileSync(inputPath, JSON.stringify(input));
  fs.writeFileSync(script, childPreamble(inputPath) + '\n' + body + '\n');
  const res = spawnSync(process.execPath, [script], {
    cwd: tmpDir(),
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  return childResult(res);
}

/** A finished child as a ChildResult: its JSON stdout lines become `messages`. */
export function childResult(res: SpawnSyncReturns<string>): ChildResult {
  const stdout = res.stdout ?? '';
  const messages: any[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // not one of ours
    }
  }
  const err = res.error as (Error & { code?: string }) | undefined;
  return {
    status: res.status,
    signal: res.signal,
    timedOut: err?.code === 'ETIMEDOUT',
    stdout,
    stderr: res.stderr ?? '',
    messages,
  };
}

/** A one-line description of how a child ended, for failure messages. */
export function describeChild(res: ChildResult): string {
  const how = res.timedOut
    ? 'timed out (hang?)'
    : res.signal
      ? `was killed by ${res.signal} (crash?)`
      : `exited with status ${res.status}`;
  return `child ${how}; stderr: ${res.stderr.slice(-2000)}`;
}

// ---------------------------------------------------------------------------------------------
// State snapshots: "after an error the index keeps the state it had before the call".

function tryCall(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    const err = e as Partial<CodedError>;
    return `threw ${err?.name}:${err?.code}`;
  }
}

/**
 * Everything observable about an index without changing it: f, metric, counts, flags, a few item
 * vectors and (when built) a few query answers.
 */
export function snapshot(index: any): unknown {
  const info = tryCall(() => index.info()) as Record<string, unknown>;
  const nItems = tryCall(() => index.getNItems());
  const f = index.f;
  const out: Record<string, unknown> = {
    f,
    metric: index.metric,
    nItems,
    nTrees: tryCall(() => index.getNTrees()),
    onDiskPath: index.onDiskPath,
    built: info?.built,
    loaded: info?.loaded,
    seed: String(info?.seed),
  };
  const n = typeof nItems === 'number' ? nItems : 0;
  const ids = [0, 1, 2, n - 1].filter((i, k, a) => i >= 0 && i < n && a.indexOf(i) === k);
  out.vectors = ids.map((i) => tryCall(() => index.getItemVector(i)));
  if (info?.built && typeof f === 'number' && f > 0) {
    const q = Array.from({ length: f }, (_, k) => ((k * 7) % 5) / 5);
    out.byVector = tryCall(() => index.getNnsByVector(q, 5));
    out.byItem = ids.map((i) => tryCall(() => index.getNnsByItem(i, 5)));
  }
  return out;
}
