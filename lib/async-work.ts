// What asynchronous calls share: a native rejection made on another stack gets the caller's,
// and a buildAsync's progress reports, abort signal and cancellation at process exit.
import { AnnoyError, ErrorCodes } from './errors';
import { NativeIndex } from './native';
import { describeThrown } from './describe';
import * as check from './validate';

export interface BuildProgress {
  treesBuilt: number;
  /** The trees asked for; null for build(-1), whose count is not known in advance. */
  nTrees: number | null;
}

// Builds in flight. Node waits for native work before a process exits, so on 'exit' they are
// cancelled: process.exit() during buildAsync returns at once instead of after the build.
const buildsInFlight = new Set<NativeIndex>();
let exitHookInstalled = false;

function trackBuild(native: NativeIndex): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pending of buildsInFlight) pending.cancelBuild();
    });
  }
  buildsInFlight.add(native);
}

export function abortedError(op = 'buildAsync'): AnnoyError {
  return new AnnoyError(
    ErrorCodes.ABORTED,
    `${op}: aborted by its AbortSignal; the index is as it was before the call`,
  );
}

/** What every asynchronous build takes besides its size: threads, progress and abort signal. */
export interface AsyncBuildOptions<P> {
  nJobs?: number;
  onProgress?: (progress: P) => void;
  signal?: AbortSignal;
}

/** The options of buildAsync / buildGraphAsync, checked; throws ANNOY_ABORTED for a signal that
 * has already fired. */
export function asyncBuildOptions<P>(options: AsyncBuildOptions<P> | undefined, op: string) {
  const o = check.options(options);
  const jobs = check.integer(o.nJobs ?? -1, 'n_jobs');
  const onProgress = o.onProgress;
  const signal = check.abortSignal(o.signal);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new AnnoyError(
      ErrorCodes.INVALID_ARGUMENT,
      `onProgress: expected a function, received ${check.describe(onProgress)}`,
    );
  }
  if (signal?.aborted) throw abortedError(op);
  return { jobs, onProgress, signal };
}

// Native promises reject with an error made on another stack: give it the caller's.
export async function withCallerStack<T>(work: Promise<T>, caller: Error): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof Error && caller.stack) {
      err.stack = `${err.name}: ${err.message}\n${caller.stack.split('\n').slice(1).join('\n')}`;
    }
    throw err;
  }
}

/**
 * Starts native build work (`launch` gets the native progress callback, or undefined) with its
 * progress reports and abort signal wired up; settle() must be called once the work has settled.
 * The native side makes the last report itself while the index is still busy (so that the
 * callback cannot unload or change it, issue #10 W2); reports that do not advance are stale and
 * dropped.
 */
export function startNativeBuild(
  native: NativeIndex,
  launch: (report: ((done: number, total: number) => void) | undefined) => Promise<void>,
  onProgress: ((done: number, total: number) => void) | undefined,
  signal: AbortSignal | undefined,
): { work: Promise<void>; settle(): void } {
  let reported = 0;
  let settled = false;
  const report = (done: number, total: number) => {
    if (onProgress === undefined || settled || done <= reported) return;
    reported = done;
    try {
      onProgress(done, total);
    } catch (err) {
      process.emitWarning(`annoy-napi: onProgress threw: ${describeThrown(err)}`, 'AnnoyProgressWarning');
    }
  };
  const work = launch(onProgress ? report : undefined);
  trackBuild(native);
  const cancel = () => native.cancelBuild();
  signal?.addEventListener('abort', cancel, { once: true });
  return {
    work,
    settle() {
      settled = true;
      buildsInFlight.delete(native);
      signal?.removeEventListener('abort', cancel);
    },
  };
}

/** buildAsync's work: progress in trees built. */
export function startBuild(
  native: NativeIndex,
  trees: number,
  o: { jobs: number; onProgress?: (progress: BuildProgress) => void; signal?: AbortSignal },
): { work: Promise<void>; settle(): void } {
  const progress = o.onProgress;
  return startNativeBuild(
    native,
    (report) => native.buildAsync(trees, o.jobs, report),
    progress && ((treesBuilt) => progress({ treesBuilt, nTrees: trees === -1 ? null : trees })),
    o.signal,
  );
}
