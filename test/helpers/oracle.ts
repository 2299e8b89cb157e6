// The original Annoy 1.17 as a reference program: its annoylib.h comes from Debian's
// r-cran-rcppannoy package at test time (apt-get download; or ANNOY_ORACLE_INCLUDE pointing at a
// folder holding annoylib.h and kissrandom.h) and is compiled into test/oracle/oracle.cc. It is
// never copied into this repository.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { REPO_ROOT } from './tmp';

const CACHE = path.join(os.tmpdir(), 'annoy-napi-oracle');

export function oracleInclude(): string {
  if (process.env.ANNOY_ORACLE_INCLUDE) return process.env.ANNOY_ORACLE_INCLUDE;
  const include = path.join(CACHE, 'deb/usr/lib/R/site-library/RcppAnnoy/include');
  if (fs.existsSync(path.join(include, 'annoylib.h'))) return include;
  fs.mkdirSync(CACHE, { recursive: true });
  const download = () => execFileSync('apt-get', ['download', 'r-cran-rcppannoy'], { cwd: CACHE, stdio: 'pipe' });
  try {
    download();
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'pipe' });
    download();
  }
  const deb = fs.readdirSync(CACHE).find((f) => f.startsWith('r-cran-rcppannoy') && f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download r-cran-rcppannoy produced no .deb');
  execFileSync('dpkg-deb', ['-x', path.join(CACHE, deb), path.join(CACHE, 'deb')]);
  return include;
}

/** Compiles the oracle with `flags` (default -O2) into `name` in the cache; returns its path. */
export function compileOracle(flags: string[] = ['-O2'], name = 'oracle'): string {
  const binary = path.join(CACHE, name);
  const source = path.join(REPO_ROOT, 'test', 'oracle', 'oracle.cc');
  execFileSync('g++', ['-std=c++14', ...flags, '-I', oracleInclude(), source, '-o', binary], { stdio: 'pipe' });
  return binary;
}
