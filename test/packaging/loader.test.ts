// The loader (lib/load-addon.ts): where it finds the binary, and the error when there is none
// (issue #5: name the platform, arch, libc, Node and N-API versions, and list the fixes).
import * as fs from 'fs';
import * as path from 'path';

import { currentTarget, loadAddon, loadFailureMessage } from '../../lib/load-addon';
import { REPO_ROOT, tmpPath } from '../helpers/tmp';

/** A package root with a package.json and, optionally, prebuilds/<tuple>/<file>. */
function fakeRoot(prebuilds: string[] = []): string {
  const root = tmpPath('pkg');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'annoy-napi', binary: { napi_versions: [8] } }),
  );
  for (const file of prebuilds) {
    fs.mkdirSync(path.dirname(path.join(root, 'prebuilds', file)), { recursive: true });
    fs.writeFileSync(path.join(root, 'prebuilds', file), '');
  }
  return root;
}

describe('loadAddon()', () => {
  it('loads the addon from the package root', () => {
    const addon = loadAddon(REPO_ROOT) as { simdLevel: string; NativeIndex: unknown };
    expect(typeof addon.NativeIndex).toBe('function');
    expect(['avx512', 'avx2', 'neon', 'scalar']).toContain(addon.simdLevel);
  });

  it('throws ANNOY_NO_BINARY with the fixes when the root holds no binary', () => {
    const root = fakeRoot();
    let error: (Error & { code?: string; cause?: unknown }) | undefined;
    try {
      loadAddon(root);
    } catch (e) {
      error = e as Error & { code?: string };
    }
    expect(error?.code).toBe('ANNOY_NO_BINARY');
    expect(error?.message).toContain(`${process.platform}-${process.arch}`);
    expect(error?.message).toContain(`Node ${process.versions.node}`);
    expect(error?.message).toContain('npm rebuild annoy-napi');
    // node-gyp-build's own message is kept as the cause.
    expect(String((error?.cause as Error)?.message)).toContain('No native build was found');
  });
});

describe('loadFailureMessage()', () => {
  const target = { platform: 'linux', arch: 'riscv64', libc: 'musl', node: '22.1.0', napi: '9' };
  const message = loadFailureMessage(
    fakeRoot(['linux-x64/annoy-napi.glibc.node', 'darwin-arm64/annoy-napi.node']),
    new Error('No native build was found for platform=linux arch=riscv64'),
    target,
  );

  it('names platform, arch, libc, Node and N-API versions', () => {
    expect(message).toContain('linux-riscv64 (musl)');
    expect(message).toContain('Node 22.1.0');
    expect(message).toContain('N-API 9');
    expect(message).toContain('needs N-API >= 8');
  });

  it('lists the prebuilt binaries the package has, and the cause', () => {
    expect(message).toContain('darwin-arm64/annoy-napi.node, linux-x64/annoy-napi.glibc.node');
    expect(message).toContain('Cause: No native build was found');
  });

  it('lists the fixes: approve the install script, npm rebuild, build in place', () => {
    expect(message).toContain('npm install-scripts approve annoy-napi && npm rebuild annoy-napi');
    expect(message).toContain('--allow-scripts=annoy-napi');
    expect(message).toContain('npx cmake-js compile');
  });

  it('describes this machine', () => {
    const here = currentTarget();
    expect(here.platform).toBe(process.platform);
    expect(here.napi).toBe(process.versions.napi);
    if (process.platform === 'linux') expect(here.libc).toMatch(/^(glibc \d+\.\d+|musl)/);
  });
});
