// build(nTrees, nJobs) with nJobs other than 1 builds all trees level by level, each from its own
// random stream (cpp/layered_builder.h): the file must not depend on the thread count nor on how
// the trees were grouped, every tree must hold every item once, n_trees = -1 must follow Annoy's
// stopping rule, and the trees must search as well as Annoy's depth-first ones.
import * as fs from 'fs';

import { Annoy } from '../../lib';
import { METRICS, MetricName, Rng, nodeSize, useTempDir } from '../helpers/fixtures';
import { itemsPerTree } from '../helpers/forest-walk';

const tmp = useTempDir('annoy-napi-layered-');

const generated = new Map<string, Float32Array[]>();
function vectors(metric: MetricName, n: number, f: number, seed: number): Float32Array[] {
  const key = `${metric}/${n}/${f}/${seed}`;
  let rows = generated.get(key);
  if (rows === undefined) {
    const rng = new Rng(seed);
    const hamming = metric === 'hamming';
    rows = [];
    for (let i = 0; i < n; i++) {
      const row = new Float32Array(f);
      if (hamming) {
        // 32 bits per draw: hamming rows here are up to 6,400 bits wide.
        for (let z = 0; z < f; z += 32) {
          const word = Math.floor(rng.random() * 2 ** 32);
          for (let b = 0; b < 32 && z + b < f; b++) row[z + b] = (word >>> b) & 1;
        }
      } else {
        for (let z = 0; z < f; z++) row[z] = rng.gauss();
      }
      rows.push(row);
    }
    generated.set(key, rows);
  }
  return rows;
}

// Ids 0..n-1 except every seventh, which stay holes.
function filled(metric: MetricName, n: number, f: number, seed = 5): { index: Annoy; ids: number[] } {
  const index = new Annoy(f, metric);
  index.setSeed(seed);
  const ids: number[] = [];
  vectors(metric, n, f, seed).forEach((v, i) => {
    if (i % 7 === 3) return;
    index.addItem(i, v);
    ids.push(i);
  });
  return { index, ids };
}

function builtFile(metric: MetricName, n: number, f: number, nTrees: number, nJobs: number, name: string): Buffer {
  const { index } = filled(metric, n, f);
  const file = tmp.file(`${name}.ann`);
  index.build(nTrees, nJobs).save(file);
  index.unload();
  return fs.readFileSync(file);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('Annoy#build() with nJobs other than 1 (layered)', () => {
  // Splits of at most 256 KiB of items are built depth first as tasks (kSubtreeBytes): the three
  // shapes below are whole trees as tasks, layered levels then tasks, and layers to the leaves.
  const SHAPES: Array<[string, number, number]> = [
    ['small trees, depth first', 12, 1500],
    ['layers, then depth first', 12, 12000],
    ['layers down to the leaves', 200, 1500],
  ];
  const CASES = METRICS.flatMap((metric) =>
    SHAPES.map(
      ([shape, f, n]) => [metric, shape, metric === 'hamming' ? 32 * f : f, n] as [MetricName, string, number, number],
    ),
  );

  test.each(CASES)(
    '%s, %s: nJobs 2, 3 and -1 write the same file; nJobs 1 writes the depth-first one',
    (metric, _shape, f, n) => {
      const [two, three, all, one] = [2, 3, -1, 1].map((jobs) => builtFile(metric, n, f, 6, jobs, `${metric}-${jobs}`));
      expect(three.equals(two)).toBe(true);
      expect(all.equals(two)).toBe(true);
      expect(one.equals(two)).toBe(false);
      expect(one.length).toBeGreaterThan(0);
    },
  );

  test.each(CASES)('%s, %s: every tree lists every added item exactly once, and no hole', (metric, _shape, f, n) => {
    const { ids } = filled(metric, n, f);
    const trees = itemsPerTree(builtFile(metric, n, f, 6, 2, `walk-${metric}`), metric, f, n, 6);
    expect(trees).toHaveLength(6);
    for (const items of trees) expect(sorted(items)).toEqual(ids);
  });

  test('40 trees, built in several groups, begin with the same bytes as 10 trees built in one', () => {
    const n = 2000;
    const f = 8;
    const size = nodeSize('euclidean', f);
    const ten = builtFile('euclidean', n, f, 10, 2, 'ten');
    const forty = builtFile('euclidean', n, f, 40, 3, 'forty');
    const treesOfTen = ten.subarray(0, ten.length - 10 * size); // without the root copies
    expect(forty.subarray(0, treesOfTen.length).equals(treesOfTen)).toBe(true);
  });

  test("nTrees = -1 stops at Annoy's rule: the first t trees with >= nItems nodes, for any nJobs", () => {
    const n = 3000;
    const f = 8;
    const size = nodeSize('euclidean', f);
    const counted = (jobs: number) => {
      const { index } = filled('euclidean', n, f);
      index.build(-1, jobs);
      return index.getNTrees();
    };
    const t = counted(2);
    expect(counted(3)).toBe(t);
    expect(t).toBeGreaterThan(1);
    const rule = builtFile('euclidean', n, f, -1, 2, 'rule');
    expect(rule.equals(builtFile('euclidean', n, f, t, 2, 'exact'))).toBe(true);
    const treeNodes = (file: Buffer, trees: number) => file.length / size - n - trees;
    expect(treeNodes(rule, t)).toBeGreaterThanOrEqual(n);
    expect(treeNodes(builtFile('euclidean', n, f, t - 1, 2, 'fewer'), t - 1)).toBeLessThan(n);
  });

  test('its trees search as well as depth-first ones (recall@10 on clustered data)', () => {
    const rng = new Rng(11);
    const f = 24;
    const centres = Array.from({ length: 40 }, () => Array.from({ length: f }, () => rng.gauss(0, 4)));
    const data = Array.from({ length: 4000 }, () => centres[rng.int(40)].map((c) => c + rng.gauss()));
    const queries = Array.from({ length: 100 }, () => centres[rng.int(40)].map((c) => c + rng.gauss()));
    const exact = queries.map((q) =>
      data
        .map((v, i) => ({ i, d: v.reduce((s, x, z) => s + (x - q[z]) ** 2, 0) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, 10)
        .map((e) => e.i),
    );
    const recall = (nJobs: number) => {
      const index = new Annoy(f, 'euclidean');
      data.forEach((v, i) => index.addItem(i, v));
      index.setSeed(3);
      index.build(10, nJobs);
      let hits = 0;
      queries.forEach((q, k) => {
        const found = new Set(index.getNnsByVector(q, 10, 400, false) as number[]);
        hits += exact[k].filter((i) => found.has(i)).length;
      });
      return hits / (10 * queries.length);
    };
    const depthFirst = recall(1);
    const layered = recall(2);
    // Random partitions would find ~0.1-0.3 here; the two builders differ only in their draws.
    expect(depthFirst).toBeGreaterThan(0.6);
    expect(layered).toBeGreaterThan(depthFirst - 0.05);
  });

  test('identical items, float: zero margins are settled by coin flips and every tree still holds every item', () => {
    const f = 6;
    const index = new Annoy(f, 'angular');
    for (let i = 0; i < 600; i++) index.addItem(i, [1, 2, 3, 4, 5, 6]);
    index.build(4, 2);
    const file = tmp.file('same-angular.ann');
    index.save(file);
    const trees = itemsPerTree(fs.readFileSync(file), 'angular', f, 600, 4);
    for (const items of trees) expect(sorted(items)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  test('identical items, hamming: no bit separates them, so the splits fall back to coin flips, reported at verbose(1)', async () => {
    const f = 70;
    const index = new Annoy(f, 'hamming');
    const bits = Array.from({ length: f }, (_, b) => (b % 3 === 0 ? 1 : 0));
    for (let i = 0; i < 600; i++) index.addItem(i, bits);
    const messages: string[] = [];
    index.logger = (_level, message) => messages.push(message);
    index.verbose(1).build(4, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(messages.some((m) => m.includes('No hyperplane found'))).toBe(true);
    const file = tmp.file('same-hamming.ann');
    index.save(file);
    const trees = itemsPerTree(fs.readFileSync(file), 'hamming', f, 600, 4);
    for (const items of trees) expect(sorted(items)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });
});
