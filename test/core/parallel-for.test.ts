// cpp/parallel_for.h is the loop under the layered build, the graph build and batch queries. An
// allocation failure on one of its threads must become ANNOY_OUT_OF_MEMORY rather than end the
// process (an exception leaving a std::thread calls std::terminate), which no JS-level test can
// provoke on a chosen thread. So a small C++ program, compiled here with the core's flags from
// CMakeLists.txt, throws on the loop's threads and checks what the loop returns.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { coreCompileFlags, coreSources } from '../helpers/core-sources';

const CPP = path.resolve(__dirname, '../../cpp');

test('parallel_for: thrown allocation failures and failed items end the loop with their status, on every thread', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annoy-napi-parallel-for-'));
  try {
    const binary = path.join(dir, 'parallel_for_check');
    // run_on_threads lowers background threads' priority through the platform layer.
    const platform = coreSources().filter((file) => /\/platform_[a-z_]*\.cc$/.test(file));
    execFileSync(
      'g++',
      [
        ...coreCompileFlags(),
        '-pthread',
        '-I',
        CPP,
        path.join(__dirname, 'parallel_for_check.cc'),
        ...platform,
        '-o',
        binary,
      ],
      { stdio: 'pipe' },
    );
    const out = execFileSync(binary, { encoding: 'utf8' }).trim().split('\n');
    expect(out.filter((line) => !line.startsWith('pass '))).toEqual(['ok']);
    expect(out.length).toBe(14);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180000);
