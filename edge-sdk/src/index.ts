/**
 * The Outpost edge SDK: verified on-device models with durable inference logging.
 * @example
 * import { createOutpost } from '@outpost/edge-sdk';
 * const outpost = createOutpost({ hubUrl, projectKey, model: 'penguins', trustedKeys: [HUB_KEY] });
 * const { label } = await outpost.predict({ island: 'Biscoe', bill_length_mm: 39.1 });
 */
export { createOutpost, type OutpostClient, type Prediction, type ClassPrediction, type ValuePrediction, type ReadyInfo, type OutpostStats } from './client.ts';
export type { OutpostOptions } from './options.ts';
export type { FeedbackStats } from './feedback/sender.ts';
export type { OutpostEvents, OutpostEventName, Listener } from './events.ts';
export type { AppContext } from './model-cache/device-context.ts';
export type { DownloadState, ManifestCheck } from './model-cache/delivery.ts';
export { checkFreshness, type Freshness, type FreshnessVerdict, type RefusalReason } from './model-cache/freshness.ts';
export type { Assignment } from '@outpost/shared';
export { createOnnxRuntime, type OnnxRuntimeOptions } from './runtime/onnx.ts';
export type { Runtime, ModelSession, ProviderChoice, ProviderMemory, SessionOptions } from './runtime/types.ts';
export { SELF_TEST_TOLERANCE } from './runtime/self-test.ts';
export type { LogBuffer, BufferSize, TrimBounds, TrimResult, QuarantinedRecord } from './log-buffer/types.ts';
export type { LoggingOptions } from './sync/record-policy.ts';
export { LOG_QUEUE_DEFAULTS } from './sync/log-pipeline.ts';
export type { Clock } from './clock.ts';
export type { FetchLike } from './http.ts';
export { OutpostError, isOutpostError, type ErrorCode, type TrustedKey, type RawRecord } from '@outpost/shared';
