// The core's C++ sources, read from CMakeLists.txt (the one list of them), for tests that compile
// the core themselves with other flags: add_library(annoy_core ...) plus the POSIX platform files
// added by target_sources(annoy_core PRIVATE ...).
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from './tmp';

export function coreSources(): string[] {
  const cmake = fs.readFileSync(path.join(REPO_ROOT, 'CMakeLists.txt'), 'utf8');
  const blocks = [...cmake.matchAll(/(?:add_library\(annoy_core STATIC|target_sources\(annoy_core PRIVATE)([^)]*)\)/g)];
  const files = blocks.flatMap((m) => m[1].split(/\s+/).filter((word) => word.endsWith('.cc')));
  if (files.length === 0) throw new Error('CMakeLists.txt lists no annoy_core sources');
  return files.map((file) => path.join(REPO_ROOT, file));
}
