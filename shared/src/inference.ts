import { z } from 'zod';
import { HEALTH_LIMITS, INGEST_LIMITS, SERVER_OWNED_FIELDS, SERVER_PREDICT_LIMITS } from './device-api.ts';

export const RawRecordSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const serverOwned = new Set<string>(SERVER_OWNED_FIELDS);

/**
 * The message for fields a strict object does not know: server-owned ones are named as such, so a
 * client that copies a stored record back learns why it is refused.
 * @example unknownFieldsMessage(['foo']) // 'unknown field: foo'
 */
export function unknownFieldsMessage(keys: readonly string[]): string {
  const owned = keys.filter((k) => serverOwned.has(k));
  return owned.length > 0 ? `server-owned field, set by the hub: ${owned.join(', ')}` : `unknown field: ${keys.join(', ')}`;
}

// Strict objects: a field the hub does not know is refused, never silently dropped.
const strictError = { error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? unknownFieldsMessage(issue.keys ?? []) : undefined) };

/** One on-device prediction, as logged by the SDK and stored by the hub (the hub adds SERVER_OWNED_FIELDS). */
export const InferenceRecordSchema = z.strictObject({
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
}, strictError);
export type InferenceRecord = z.infer<typeof InferenceRecordSchema>;

/** What a device says of its own log queue: records it dropped so far, by reason (cumulative counters, as the SDK's stats()). */
export const DeviceHealthReportSchema = z.strictObject(
  {
    model: z.string().min(1).max(128),
    dropped: z
      .record(z.string().regex(HEALTH_LIMITS.reasonPattern, 'expected letters, digits, _ . : - (at most 64)'), z.number().int().nonnegative())
      .refine((d) => Object.keys(d).length <= HEALTH_LIMITS.maxReasons, `at most ${HEALTH_LIMITS.maxReasons} reasons`),
  },
  strictError,
);
export type DeviceHealthReport = z.infer<typeof DeviceHealthReportSchema>;

export const IngestBatchSchema = z.strictObject({
  deviceId: z.string().min(8).max(64),
  /** Client-made id of this upload; a retry of the same records sends the same id. */
  batchId: z.string().min(8).max(64).optional(),
  /**
   * The device clock (epoch ms) when this upload was sent, fresh on every try: the hub takes the
   * difference to its own receive time as the device's clock skew and moves `createdAt` by it.
   */
  sentAt: z.number().int().nonnegative().optional(),
  /** The device's health report, sent along with its records. */
  health: DeviceHealthReportSchema.optional(),
  records: z.array(InferenceRecordSchema).min(1).max(INGEST_LIMITS.maxRecordsPerBatch),
}, strictError);
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
