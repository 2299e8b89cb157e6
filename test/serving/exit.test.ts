// Processes that end while native work is pending (child processes): process.exit(0) with a
// build, queries, a serialization or a save running must end with status 0, no signal and
// nothing on stderr; a script that simply ends with work pending waits for it and exits 0.
import { tmpPath } from '../helpers/tmp';
import { CHILD_HELPERS, expectCleanExit, runNode } from '../helpers/serving';

describe('process exit with work pending', () => {
  it('process.exit(0) right after starting buildAsync on a large index exits cleanly', () => {
    const body = `${CHILD_HELPERS}
const index = filled('angular', 20000, 32, 1);
index.buildAsync(20, { nJobs: 2 });
emit({ started: true });
process.exit(0);
`;
    const res = runNode(body, null);
    expectCleanExit(res);
    expect(res.messages).toEqual([{ started: true }]);
  });

  it('process.exit(0) from onProgress, while build threads are running, exits cleanly', () => {
    const body = `${CHILD_HELPERS}
const index = filled('euclidean', 20000, 32, 2);
index.buildAsync(20, { nJobs: 2, onProgress: (p) => { emit({ treesBuilt: p.treesBuilt }); process.exit(0); } });
`;
    const res = runNode(body, null);
    expectCleanExit(res);
    expect(res.messages.length).toBe(1);
    expect(res.messages[0].treesBuilt).toBeGreaterThanOrEqual(1);
    expect(res.messages[0].treesBuilt).toBeLessThan(20);
  });

  it('process.exit(0) with a batch query, a serializeAsync and a saveAsync pending exits cleanly', () => {
    const body = `${CHILD_HELPERS}
const index = filled('euclidean', 20000, 32, 3).build(5, 1);
index.query(uniform(20000, 32, 4), 10, { threads: 2, searchK: 200 });
index.queryByItems([0, 1, 2, 3], 10);
index.serializeAsync();
const other = filled('euclidean', 20000, 32, 5).build(3, 1);
other.saveAsync(input.file);
emit({ started: true });
setImmediate(() => process.exit(0));
`;
    const res = runNode(body, { file: tmpPath('exit-save.ann') });
    expectCleanExit(res);
    expect(res.messages).toEqual([{ started: true }]);
  });

  it('a script that simply ends with a query pending waits for it and exits 0', () => {
    const body = `${CHILD_HELPERS}
const index = filled('euclidean', 20000, 32, 6).build(5, 1);
const queries = uniform(20000, 32, 7);
const expected = index.querySync(queries.subarray(0, 32), 10);
index.query(queries, 10, { threads: 2 }).then((r) => {
  emit({ done: true, rows: r.counts.length, first: Array.from(r.ids.subarray(0, 10)), expected: Array.from(expected.ids) });
});
emit({ scheduled: true });
`;
    const res = runNode(body, null);
    expectCleanExit(res);
    expect(res.messages[0]).toEqual({ scheduled: true });
    const done = res.messages[1];
    expect(done).toBeDefined();
    expect(done.done).toBe(true);
    expect(done.rows).toBe(20000);
    expect(done.first).toEqual(done.expected);
  });

  it('a script that ends with a buildAsync pending (result unused) finishes the build and exits 0', () => {
    const body = `${CHILD_HELPERS}
const index = filled('angular', 10000, 32, 8);
index.buildAsync(20, { nJobs: 2 }).then(() => emit({ built: index.getNTrees() }));
process.on('exit', (code) => emit({ exit: code }));
`;
    const res = runNode(body, null);
    expectCleanExit(res);
    expect(res.messages).toEqual([{ built: 20 }, { exit: 0 }]);
  });

  // A hang check, not a speed threshold: finishing these 3000 trees would take about a minute
  // on one of this project's 2-core machines (~25 ms per tree per core for 20k x 32); an exit
  // that is not held back by the build ends in well under a second. The child is given 6 s.
  it('process.exit(0) does not wait for a long buildAsync to finish building', () => {
    const body = `${CHILD_HELPERS}
const index = filled('angular', 20000, 32, 9);
index.buildAsync(3000, { nJobs: 2, onProgress: (p) => { if (p.treesBuilt === 1) { emit({ running: true }); process.exit(0); } } });
`;
    const res = runNode(body, null, { timeoutMs: 6000 });
    expect(res.messages[0]).toEqual({ running: true });
    expectCleanExit(res);
  });
});
