import { z } from 'zod';
import { FeatureSpecSchema } from './feature-schema.ts';

export const TensorInfoSchema = z.object({
  name: z.string(),
  /** -1 is a free (batch) dimension. */
  shape: z.array(z.number().int()),
  type: z.literal('float32'),
});

/**
 * What a device needs to fetch, verify and run one model version. Signed by the hub.
 *
 * Freshness (schema 2): the hub re-signs a model's manifests whenever what devices should run
 * changes (a publish, an alias move, a rollout step, a rollback, a new minimum version) and before
 * they expire. A device refuses a manifest from the network that has expired, that was issued
 * before the newest one it has accepted for the model (a replay), or whose version is below the
 * highest `minVersion` it has seen: a replayed old manifest can never downgrade it. A model already
 * cached keeps running offline whatever its manifest's age.
 */
export const ManifestSchema = z.object({
  schema: z.literal(2),
  project: z.string(),
  model: z.string(),
  version: z.number().int().positive(),
  /** When this version was registered (ISO 8601). */
  publishedAt: z.string(),
  /**
   * The instant of the change (publish, alias move, rollout step, rollback, new minimum version,
   * new signing key) this manifest belongs to (ISO 8601, ms precision). Every version the hub
   * signs until its next change carries the same instant, so a device moved between versions of
   * one rollout never takes one for a replay; a manifest from before a change it has seen is one.
   */
  issuedAt: z.string(),
  /** After this instant (ISO 8601) a device no longer accepts this manifest from the network. */
  expiresAt: z.string(),
  /** The lowest version any device of the project may run for this model. */
  minVersion: z.number().int().positive(),
  artifact: z.object({
    format: z.literal('onnx'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().positive(),
    /** Path on the hub, relative to the hub URL. */
    path: z.string(),
  }),
  input: TensorInfoSchema,
  output: TensorInfoSchema,
  features: FeatureSpecSchema,
});
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * A signed manifest as served: the exact signed bytes travel (base64url), so no JSON
 * canonicalisation is needed to verify (the JWS idea, without the JOSE header).
 */
export const SignedManifestSchema = z.object({
  payload: z.string(),
  signature: z.string(),
  keyId: z.string(),
});
export type SignedManifest = z.infer<typeof SignedManifestSchema>;

/** A public key a device trusts: raw 32-byte Ed25519 key, base64url. */
export const TrustedKeySchema = z.object({ keyId: z.string(), publicKey: z.string() });
export type TrustedKey = z.infer<typeof TrustedKeySchema>;

/**
 * Why the hub chose this version for this device. Not signed: it is for display and debugging
 * (the device trusts only the signed payload).
 */
export const AssignmentSchema = z.object({
  version: z.number().int().positive(),
  /** The device's stable bucket for this model, 0–9999 (hash of install id, model and the rollout's salt). */
  bucket: z.number().int().min(0).max(9999),
  /** pinned: the install id is pinned for QA; rule: a targeting rule matched; rollout: the weighted split by bucket; default: the model's production version. */
  reason: z.enum(['pinned', 'rule', 'rollout', 'default']),
  /** What matched, for people: a rule's name, the stage ("stage 2 of 4: 10 %"), … */
  detail: z.string().optional(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/** What GET …/models/{model}/manifest answers: the signed manifest of the version chosen for this device, and why. */
export const ManifestResponseSchema = SignedManifestSchema.extend({ assignment: AssignmentSchema.optional() });
export type ManifestResponse = z.infer<typeof ManifestResponseSchema>;
