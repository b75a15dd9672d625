import { z } from 'zod';
import { INGEST_LIMITS, SERVER_PREDICT_LIMITS } from './device-api.ts';

export const RawRecordSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** One on-device prediction, as logged by the SDK and stored by the hub. */
export const InferenceRecordSchema = z.object({
  /** Client-made id, unique per record (the SDK: a random 128-bit prefix per client and a counter): the hub ignores a record whose id it already has. */
  id: z.string().min(8).max(64),
  /** Per-device sequence number, from 1, without gaps unless records were dropped. */
  seq: z.number().int().nonnegative(),
  model: z.string().min(1).max(128),
  modelVersion: z.number().int().positive(),
  /** The execution provider that really ran: 'wasm', 'webgpu', … */
  executionProvider: z.string().min(1).max(32),
  latencyMs: z.number().nonnegative(),
  /** Epoch milliseconds on the device clock. */
  createdAt: z.number().int().nonnegative(),
  input: RawRecordSchema,
  /**
   * A classifier's predicted label and class probabilities, a regressor's value, or the error that
   * stopped the prediction (what rollout guards count as the error rate).
   */
  output: z.union([
    z.object({ label: z.string(), probabilities: z.array(z.number()) }).strict(),
    z.object({ value: z.number() }).strict(),
    z.object({ error: z.string().min(1).max(500) }).strict(),
  ]),
});
export type InferenceRecord = z.infer<typeof InferenceRecordSchema>;

export const IngestBatchSchema = z.object({
  deviceId: z.string().min(8).max(64),
  /** Client-made id of this upload; a retry of the same records sends the same id. */
  batchId: z.string().min(8).max(64).optional(),
  records: z.array(InferenceRecordSchema).min(1).max(INGEST_LIMITS.maxRecordsPerBatch),
});
export type IngestBatch = z.infer<typeof IngestBatchSchema>;

export const IngestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;

/**
 * Predictions the hub makes for a device that cannot run the model (POST …/models/{model}/predict):
 * each record as the SDK would log it, without what the hub fills in (model, version, provider,
 * latency, output). The hub logs each prediction like a device's, once per record id.
 */
export const ServerPredictRequestSchema = z.object({
  deviceId: z.string().min(8).max(64),
  records: z
    .array(z.object({ id: z.string().min(8).max(64), seq: z.number().int().nonnegative(), createdAt: z.number().int().nonnegative(), input: RawRecordSchema }).strict())
    .min(1)
    .max(SERVER_PREDICT_LIMITS.maxRecords),
});
export type ServerPredictRequest = z.infer<typeof ServerPredictRequestSchema>;

export const ServerPredictResultSchema = z.object({
  model: z.string(),
  modelVersion: z.number().int().positive(),
  /** One per record, in order: the record's id and the model's output, as an inference record's. */
  predictions: z.array(z.object({ id: z.string(), output: z.union([InferenceRecordSchema.shape.output.options[0], InferenceRecordSchema.shape.output.options[1]]) })),
});
export type ServerPredictResult = z.infer<typeof ServerPredictResultSchema>;
