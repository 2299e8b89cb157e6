export { Annoy, AnnoyIndex, DEFAULT_SEED } from './annoy';
export type {
  BatchOptions,
  BatchResult,
  BuildAsyncOptions,
  BuildProgress,
  GraphBuildAsyncOptions,
  GraphInfo,
  GraphOptions,
  GraphProgress,
  LoadOptions,
  NnsResult,
  QueryOptions,
} from './annoy';
export type { IdSet } from './batch';
export { AnnoyError, ErrorCodes } from './errors';
export type { AnnoyErrorCode } from './errors';
export type { AnnoyInfo, Logger, MetricName, Vector } from './types';
export type { AnnoyState, CompressMode, PickleMode } from './persistence';
export { DEFAULT_MAX_INFLATED_BYTES, getMaxInflatedBytes, setMaxInflatedBytes } from './inflate';
import { addon } from './native';

/** The SIMD kernels chosen for this CPU: 'avx512', 'avx2', 'neon' or 'scalar'. */
export const simdLevel: string = addon.simdLevel;
