// The neighbour graph's calls for the Annoy class (docs/graph.md): their options, checked here,
// and the native calls.
import { AnnoyError, ErrorCodes } from './errors';
import { AsyncBuildOptions, asyncBuildOptions, startNativeBuild } from './async-work';
import { NativeGraphState, NativeIndex } from './native';
import * as check from './validate';

/** Graph build settings. */
export interface GraphOptions {
  /** Most neighbours per item after pruning, 1 to 1024; default 32 (4 x degree bytes per item). */
  degree?: number;
  /** Native threads; -1 (default) = all cores. The graph is the same for any count. */
  nJobs?: number;
}

export interface GraphProgress {
  /** Build steps done: the initial lists, each NN-descent round, the pruning. */
  stepsDone: number;
  /** The most steps the build can take (it may finish early, and then reports this). */
  stepsTotal: number;
}

export type GraphBuildAsyncOptions = GraphOptions & AsyncBuildOptions<GraphProgress>;

/** info().graph: null without a graph. */
export interface GraphInfo {
  degree: number;
  /** Directed edges stored. */
  edges: number;
  /** Bytes of the rows, in memory or mapped from the sidecar. */
  memory_usage_byte: number;
}

const MAX_DEGREE = 1024;

function degreeOf(value: unknown): number {
  if (value === undefined) return 0;
  const degree = check.integer(value, 'degree');
  if (degree < 1 || degree > MAX_DEGREE) {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `degree: expected an integer from 1 to ${MAX_DEGREE}, received ${degree}`,
    );
  }
  return degree;
}

export function buildGraph(native: NativeIndex, options: GraphOptions | undefined): void {
  const o = check.options(options);
  const degree = degreeOf(o.degree);
  native.buildGraph(degree, check.integer(o.nJobs ?? -1, 'n_jobs'));
}

export function startGraphBuild(
  native: NativeIndex,
  options: GraphBuildAsyncOptions | undefined,
): { work: Promise<void>; settle(): void } {
  const copy = check.options(options);
  const degree = degreeOf(copy.degree);
  const o = asyncBuildOptions<GraphProgress>(copy, 'buildGraphAsync');
  const progress = o.onProgress;
  return startNativeBuild(
    native,
    (report) => native.buildGraphAsync(degree, o.jobs, report),
    progress && ((stepsDone, stepsTotal) => progress({ stepsDone, stepsTotal })),
    o.signal,
  );
}

export function describeGraph(state: NativeGraphState | null): GraphInfo | null {
  if (state === null) return null;
  return { degree: state.degree, edges: state.edges, memory_usage_byte: state.memoryUsage };
}
