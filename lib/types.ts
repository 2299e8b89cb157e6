import type { GraphInfo } from './graph';
import type { BuildProgress } from './async-work';

export type MetricName = 'angular' | 'euclidean' | 'manhattan' | 'dot' | 'hamming';

/** A vector: a Float32Array is used in place; plain arrays and other typed arrays are converted. */
export type Vector = ArrayLike<number>;

/** Receives verbose messages: level 1 = info, 2 = debug. */
export type Logger = (level: number, message: string) => void;

/** What `info()` returns: the seed's keys, plus the index state. */
export interface AnnoyInfo {
  dimension: number;
  metric: MetricName;
  n_items: number;
  n_trees: number;
  memory_usage_byte: number;
  memory_usage_mib: number;
  on_disk_path: string | null;
  seed: bigint;
  built: boolean;
  loaded: boolean;
  on_disk_build: boolean;
  /** The neighbour graph (docs/graph.md), or null without one. */
  graph: GraphInfo | null;
}

export interface LoadOptions {
  /** Read the mapped pages in now rather than on first use (default: the `prefault` property). */
  prefault?: boolean;
  /**
   * Copy the file into memory instead of mapping it: later changes to the file cannot reach the
   * index. A mapped file that another process truncates ends this process with SIGBUS on the next
   * read of a lost page; use this for files that cannot be trusted to stay put.
   */
  copy?: boolean;
}

export interface BuildAsyncOptions {
  nJobs?: number;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
}
