// Where a native call's verbose messages go: the core queues them while it works, and they reach
// the index's logger once the call has returned or thrown, on the event loop, so that a logger
// never runs on a native thread nor inside the core.
import { describeThrown } from './describe';
import { withCallerStack } from './async-work';
import type { Logger } from './types';

/** Drains the index's queued messages into its logger. */
export type FlushLogs = () => void;

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

/** A native call whose verbose messages reach the logger afterwards, also when it throws. */
export function logged<T>(flush: FlushLogs, call: () => T): T {
  try {
    return call();
  } finally {
    flush();
  }
}

/** The same for native work on another thread, whose rejection gets the caller's stack. */
export async function loggedAsync<T>(flush: FlushLogs, caller: Error, work: () => Promise<T>): Promise<T> {
  try {
    return await withCallerStack(work(), caller);
  } finally {
    flush();
  }
}

/** A build started by startBuild or startGraphBuild: awaited with the caller's stack, then settled. */
export async function settledBuild(
  flush: FlushLogs,
  caller: Error,
  build: { work: Promise<void>; settle(): void },
): Promise<void> {
  try {
    await loggedAsync(flush, caller, () => build.work);
  } finally {
    build.settle();
  }
}
