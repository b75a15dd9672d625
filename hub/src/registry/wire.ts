import { z } from '@hono/zod-openapi';
import { FeatureSpecSchema, TensorInfoSchema } from '@outpost/shared';
import type { ModelVersion } from './store.ts';

/** A model version as every registry route shows it. */
export const ModelVersionSchema = z
  .object({
    version: z.number().int(),
    createdAt: z.number(),
    runId: z.string().nullable().describe('The training run that made it; null for a model uploaded from elsewhere'),
    datasetVersionId: z
      .number()
      .int()
      .nullable()
      .describe('The dataset version it was trained on, or for an uploaded model the one its reference profile was computed from (`reference`); null for an uploaded model without one'),
    artifact: z.object({ sha256: z.string(), size: z.number().int() }),
    input: TensorInfoSchema,
    output: TensorInfoSchema,
    features: FeatureSpecSchema,
    metrics: z.record(z.string(), z.number()).nullable(),
    referenceSha256: z.string().nullable().describe('Blob of its reference profile (GET …/reference); null for a model uploaded without a `reference`'),
    predictions: z.number().int().describe('Inference records synced from devices for this version'),
  })
  .openapi('ModelVersion');
export type ModelVersionView = z.infer<typeof ModelVersionSchema>;

/**
 * A stored version in its wire shape; `predictions` is its count of synced inference records.
 * @example versionToWire(v, counts.get(v.version) ?? 0)
 */
export function versionToWire(v: ModelVersion, predictions: number): ModelVersionView {
  return {
    version: v.version,
    createdAt: v.createdAt,
    runId: v.runId,
    datasetVersionId: v.datasetVersionId,
    artifact: { sha256: v.artifactSha256, size: v.artifactSize },
    ...v.signature,
    metrics: v.metrics,
    referenceSha256: v.referenceSha256,
    predictions,
  };
}
