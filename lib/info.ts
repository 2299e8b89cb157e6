// What info() reports: a plain function over the native state, for the Annoy class (lib/annoy.ts).
import { describeGraph } from './graph';
import type { NativeState } from './native';
import type { AnnoyInfo, MetricName } from './types';

export function describeIndex(s: NativeState): AnnoyInfo {
  return {
    dimension: s.f,
    metric: s.metric as MetricName,
    n_items: s.nItems,
    n_trees: s.nTrees,
    memory_usage_byte: s.memoryUsage,
    memory_usage_mib: s.memoryUsage / (1024 * 1024),
    on_disk_path: s.path,
    seed: s.seed,
    built: s.built,
    loaded: s.loaded,
    on_disk_build: s.onDisk,
    graph: describeGraph(s.graph),
  };
}
