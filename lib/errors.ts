/**
 * Every failure thrown by annoy-napi is an AnnoyError with a stable `code`.
 * The codes are part of the public API: match on `code`, never on the message text.
 */
export const ErrorCodes = {
  /** An argument has the wrong type or a value outside its documented range. */
  INVALID_ARGUMENT: 'ANNOY_INVALID_ARGUMENT',
  /** A vector's length differs from the index dimension `f`. */
  DIMENSION_MISMATCH: 'ANNOY_DIMENSION_MISMATCH',
  /** A vector with no components (also the `f = 0` inference case). */
  EMPTY_VECTOR: 'ANNOY_EMPTY_VECTOR',
  /** A vector component is NaN or infinite. */
  NON_FINITE: 'ANNOY_NON_FINITE',
  /** An item id that is negative, not an integer, or beyond Annoy's int32 id space. */
  INVALID_ID: 'ANNOY_INVALID_ID',
  /** An item id whose `id + 1` slots cannot be allocated on this machine. */
  ID_TOO_LARGE: 'ANNOY_ID_TOO_LARGE',
  /** An item id that is not in the index (>= n_items, or a hole that was never added). */
  ID_OUT_OF_RANGE: 'ANNOY_ID_OUT_OF_RANGE',
  /** A metric name that is not one of the five metrics or their aliases. */
  UNKNOWN_METRIC: 'ANNOY_UNKNOWN_METRIC',
  /** Serialized bytes of another metric given to `deserialize`. */
  METRIC_MISMATCH: 'ANNOY_METRIC_MISMATCH',
  /** `f = 0` and no vector has fixed the dimension yet. */
  DIMENSION_UNKNOWN: 'ANNOY_DIMENSION_UNKNOWN',
  /** The operation needs a built index (queries, save). */
  NOT_BUILT: 'ANNOY_NOT_BUILT',
  /** The operation needs an index that is not built (add_item, build, on_disk_build). */
  ALREADY_BUILT: 'ANNOY_ALREADY_BUILT',
  /** The index is a loaded, read-only file (add_item, build, unbuild after load or save). */
  READ_ONLY: 'ANNOY_READ_ONLY',
  /** The operating system refused a file operation; `errno` and `path` are set. */
  IO: 'ANNOY_IO',
  /** A file that cannot be an index of this metric and dimension (empty, wrong size). */
  INVALID_FILE: 'ANNOY_INVALID_FILE',
  /** The index is not in a state that allows the operation (e.g. disk pickling with no file). */
  INVALID_STATE: 'ANNOY_INVALID_STATE',
  /** The file a disk-mode state refers to has changed since the state was taken. */
  FILE_CHANGED: 'ANNOY_FILE_CHANGED',
  /** Index contents that are inconsistent (bad node ids, counts, checksum, foreign bytes). */
  CORRUPT: 'ANNOY_CORRUPT',
  /** Memory could not be reserved. */
  OUT_OF_MEMORY: 'ANNOY_OUT_OF_MEMORY',
  /** Asynchronous work stopped by its AbortSignal. */
  ABORTED: 'ANNOY_ABORTED',
  /** The index is busy with asynchronous work that conflicts with the call; await it first. */
  BUSY: 'ANNOY_BUSY',
  /** A bug in annoy-napi: please report it. */
  INTERNAL: 'ANNOY_INTERNAL',
} as const;

export type AnnoyErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class AnnoyError extends Error {
  readonly code: AnnoyErrorCode;
  /** The OS error number, for `ANNOY_IO`. */
  readonly errno?: number;
  /** The file the failing operation was about, when there is one. */
  readonly path?: string;

  /** `cause`: what a user's getter or Proxy trap threw, when that is why the argument is bad. */
  constructor(code: AnnoyErrorCode, message: string, details: { errno?: number; path?: string; cause?: unknown } = {}) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined);
    this.name = 'AnnoyError';
    this.code = code;
    if (details.errno !== undefined) this.errno = details.errno;
    if (details.path !== undefined) this.path = details.path;
  }
}
