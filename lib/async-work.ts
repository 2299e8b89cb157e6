// What asynchronous calls share: a native rejection made on another stack gets the caller's,
// and a buildAsync's progress reports, abort signal and cancellation at process exit.
import { AnnoyError, ErrorCodes } from './errors';
import { NativeIndex } from './native';
import { describeThrown } from './describe';

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

export function abortedError(): AnnoyError {
  return new AnnoyError(
    ErrorCodes.ABORTED,
    'buildAsync: aborted by its AbortSignal; the index is as it was before the call',
  );
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
 * Starts a native buildAsync with its progress reports and abort signal wired up; settle() must
 * be called once the work has settled. The native side makes the last report itself while the
 * index is still busy (so that the callback cannot unload or change it, issue #10 W2); reports
 * arriving after that are stale and dropped.
 */
export function startBuild(
  native: NativeIndex,
  trees: number,
  jobs: number,
  onProgress: ((progress: BuildProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): { work: Promise<void>; settle(): void } {
  let reported = 0;
  let settled = false;
  const report = (treesBuilt: number) => {
    if (onProgress === undefined || settled || treesBuilt <= reported) return;
    reported = treesBuilt;
    try {
      onProgress({ treesBuilt, nTrees: trees === -1 ? null : trees });
    } catch (err) {
      process.emitWarning(`annoy-napi: onProgress threw: ${describeThrown(err)}`, 'AnnoyProgressWarning');
    }
  };
  const work = native.buildAsync(trees, jobs, onProgress ? report : undefined);
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
