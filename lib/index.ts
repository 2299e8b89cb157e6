export { Annoy, AnnoyIndex, DEFAULT_SEED } from './annoy';
export type { NnsResult } from './annoy';
export { AnnoyError, ErrorCodes } from './errors';
export type { AnnoyErrorCode } from './errors';
export type { AnnoyInfo, Logger, MetricName, Vector } from './types';
export type { AnnoyState, CompressMode, PickleMode } from './persistence';
import { addon } from './native';

/** The SIMD kernels chosen for this CPU: 'avx512', 'avx2', 'neon' or 'scalar'. */
export const simdLevel: string = addon.simdLevel;
