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

/** The core's own compile options on gcc/clang (CMake's target_compile_options for annoy_core,
 * outside the MSVC branch), with the C++ standard CMake sets: what the compiled checks build with. */
export function coreCompileFlags(): string[] {
  const cmake = fs.readFileSync(path.join(REPO_ROOT, 'CMakeLists.txt'), 'utf8');
  const block = cmake.match(/target_compile_options\(annoy_core PRIVATE (-O[^)]*)\)/);
  if (block === null) throw new Error('CMakeLists.txt gives annoy_core no gcc/clang compile options');
  const standard = cmake.match(/CMAKE_CXX_STANDARD (\d+)/);
  return [`-std=c++${standard ? standard[1] : '17'}`, ...block[1].split(/\s+/).filter((flag) => flag.length > 0)];
}
