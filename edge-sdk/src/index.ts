/**
 * The Outpost edge SDK: verified on-device models with durable inference logging.
 * @example
 * import { createOutpost } from '@outpost/edge-sdk';
 * const outpost = createOutpost({ hubUrl, projectKey, model: 'penguins', trustedKeys: [HUB_KEY] });
 * const { label } = await outpost.predict({ island: 'Biscoe', bill_length_mm: 39.1 });
 */
export { createOutpost, type OutpostClient, type Prediction, type ClassPrediction, type ValuePrediction, type ReadyInfo, type OutpostStats } from './client.ts';
export type { OutpostOptions } from './options.ts';
export { createOnnxRuntime, type OnnxRuntimeOptions } from './runtime/onnx.ts';
export type { Runtime, ModelSession } from './runtime/types.ts';
export type { LogBuffer } from './log-buffer/types.ts';
export type { Clock } from './clock.ts';
export type { FetchLike } from './http.ts';
export { nextRetryDelay, parseRetryAfter, DEFAULT_BACKOFF, type BackoffPolicy } from './sync/backoff.ts';
export { OutpostError, isOutpostError, type ErrorCode, type TrustedKey, type RawRecord } from '@outpost/shared';
