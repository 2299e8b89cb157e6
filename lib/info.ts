// What info() reports and where verbose messages go: plain functions over the native state and
// log, for the Annoy class (lib/annoy.ts).
import { describeThrown } from './describe';
import { describeGraph } from './graph';
import type { NativeState } from './native';
import type { AnnoyInfo, Logger, MetricName } from './types';

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

/** Hands the drained native messages up to `verbosity` to the logger. */
export function deliverLogs(pending: Array<[number, string]>, verbosity: number, logger: Logger): void {
  if (verbosity <= 0) return;
  for (const [level, message] of pending) {
    if (level > verbosity) continue;
    // The operation has already happened; a failing logger must not make it look as if it had
    // not, so its error becomes a process warning.
    try {
      logger(level, message);
    } catch (err) {
      process.emitWarning(`annoy-napi: the logger threw: ${describeThrown(err)}`, 'AnnoyLoggerWarning');
    }
  }
}
