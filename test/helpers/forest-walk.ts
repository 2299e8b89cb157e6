// Reads the trees of an Annoy file directly (docs/format.md "Annoy files"), to check a build's
// structure rather than only its answers.
import { MetricName, nodeSize } from './fixtures';

const CHILDREN_OFFSET: Record<MetricName, number> = { angular: 4, euclidean: 8, manhattan: 8, dot: 4, hamming: 4 };

/**
 * The item ids under each of the last `nTrees` nodes (the root copies) of a file, in leaf
 * order, with repeats kept: a sound tree lists every added item exactly once.
 */
export function itemsPerTree(file: Buffer, metric: MetricName, f: number, nItems: number, nTrees: number): number[][] {
  const size = nodeSize(metric, f);
  const offset = CHILDREN_OFFSET[metric];
  const capacity = (size - offset) / 4;
  const nNodes = file.length / size;
  const nd = (id: number) => file.readInt32LE(id * size);
  const child = (id: number, c: number) => file.readInt32LE(id * size + offset + 4 * c);
  const trees: number[][] = [];
  for (let root = nNodes - nTrees; root < nNodes; root++) {
    const items: number[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      if (id < nItems) {
        items.push(id);
      } else if (nd(id) <= capacity) {
        for (let c = 0; c < nd(id); c++) items.push(child(id, c));
      } else {
        stack.push(child(id, 1), child(id, 0));
      }
      if (items.length > 10 * nItems + 10) throw new Error('the tree lists more items than exist: a cycle?');
    }
    trees.push(items);
  }
  return trees;
}
