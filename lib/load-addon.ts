// Loads the compiled addon with node-gyp-build, which looks in build/Release, build/Debug, then
// prebuilds/<platform>-<arch>/ under the package root (only prebuilds/ when PREBUILDS_ONLY is
// set). When nothing loads, the error says what this machine is and how to get a binary for it:
// npm 11 skips dependencies' install scripts unless approved, so the source fallback in the
// `install` script does not run by itself (issue #5).
import * as fs from 'fs';
import * as path from 'path';

const PACKAGE = 'annoy-napi';

/** What the failure message says about this machine. Exported for the tests. */
export interface LoadTarget {
  platform: string;
  arch: string;
  /** 'glibc 2.36', 'musl', or '' off Linux. */
  libc: string;
  node: string;
  napi: string;
}

export function currentTarget(): LoadTarget {
  return {
    platform: process.platform,
    arch: process.arch,
    libc: process.platform === 'linux' ? linuxLibc() : '',
    node: process.versions.node,
    napi: process.versions.napi ?? 'unknown',
  };
}

function linuxLibc(): string {
  try {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    if (header?.glibcVersionRuntime) return `glibc ${header.glibcVersionRuntime}`;
  } catch {
    // fall through to the file test
  }
  return fs.existsSync('/etc/alpine-release') ? 'musl' : 'musl (no glibc found)';
}

function listPrebuilds(root: string): string[] {
  const dir = path.join(root, 'prebuilds');
  try {
    return fs
      .readdirSync(dir)
      .flatMap((tuple) => fs.readdirSync(path.join(dir, tuple)).map((file) => `${tuple}/${file}`))
      .filter((file) => file.endsWith('.node'))
      .sort();
  } catch {
    return [];
  }
}

function requiredNapi(root: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const versions: number[] = pkg.binary?.napi_versions ?? [];
    return versions.length > 0 ? String(Math.min(...versions)) : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The text of the error thrown when no binary loads. Exported for the tests. */
export function loadFailureMessage(root: string, cause: unknown, target: LoadTarget = currentTarget()): string {
  const prebuilds = listPrebuilds(root);
  const where = `${target.platform}-${target.arch}${target.libc ? ` (${target.libc})` : ''}`;
  const reason = cause instanceof Error ? cause.message.trim() : String(cause);
  const looked = process.env.PREBUILDS_ONLY
    ? `prebuilds/ only (PREBUILDS_ONLY is set)`
    : `build/Release, build/Debug, prebuilds/`;
  return [
    `${PACKAGE}: no native addon loads on ${where}, Node ${target.node}, N-API ${target.napi}` +
      ` (this package needs N-API >= ${requiredNapi(root)}).`,
    `Package root: ${root} (looked in ${looked}).`,
    `Prebuilt binaries in this package: ${prebuilds.length > 0 ? prebuilds.join(', ') : 'none'}.`,
    `Cause: ${reason}`,
    `To build the addon from source on this machine (CMake >= 3.15 and a C++17 compiler needed):`,
    `  - approve the package's install script, then rerun it:`,
    `      npm install-scripts approve ${PACKAGE} && npm rebuild ${PACKAGE}`,
    `  - or, for a global install or npx: npm install -g --allow-scripts=${PACKAGE} ${PACKAGE}`,
    `  - or compile it in place: cd node_modules/${PACKAGE} && npx cmake-js compile`,
    `See "Install and platforms" in the README.`,
  ].join('\n');
}

/** Loads the addon under `root` (the package root, not dist/). */
export function loadAddon(root: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return load(root);
  } catch (cause) {
    const error = new Error(loadFailureMessage(root, cause), { cause });
    (error as Error & { code: string }).code = 'ANNOY_NO_BINARY';
    throw error;
  }
}
