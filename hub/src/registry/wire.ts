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

/** The alias devices run (publishing moves it); it can be moved but never removed. */
export const PRODUCTION = 'production';
/** Alias names: 1–32 lowercase letters, digits or `-`. */
export const ALIAS_PATTERN = /^[a-z0-9-]{1,32}$/;
export const AliasNameSchema = z.string().regex(ALIAS_PATTERN, 'use 1-32 lowercase letters, digits or -');

/** Why a change was made, kept in the audit log. */
export const ReasonSchema = z.string().max(500).optional().describe('Why: kept in the audit log');

export const AliasSchema = z
  .object({ alias: z.string(), version: z.number().int(), updatedAt: z.number(), updatedBy: z.string().describe('Who moved it last') })
  .openapi('ModelAlias');

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    project: z.string().describe('`*` for hub-wide changes (signing keys)'),
    model: z.string().nullable(),
    actor: z.string().describe('`admin-token-<id>`, `console:<name>`, or `system` for automatic rollout steps'),
    action: z.string().describe('e.g. `version.publish`, `alias.set`, `alias.remove`, `model.min-version`, `key.create`, `key.activate`, `rollout.*`'),
    detail: z.record(z.string(), z.unknown()).describe('What changed: before (`from`) and after (`to`)'),
    reason: z.string().nullable(),
    createdAt: z.number(),
  })
  .openapi('AuditEntry');

export const SigningKeySchema = z
  .object({
    keyId: z.string(),
    publicKey: z.string().describe('Raw Ed25519 public key, base64url: with keyId, an entry of the SDK\'s `trustedKeys`'),
    status: z.enum(['active', 'next', 'retired']).describe('active signs manifests; next is published ahead of signing; retired signed before'),
    createdAt: z.number().nullable().describe('null for keys from Workers secrets'),
  })
  .openapi('SigningKey');
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;
export type SigningKeyView = z.infer<typeof SigningKeySchema>;
export type AliasView = z.infer<typeof AliasSchema>;
