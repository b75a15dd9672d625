import { z } from 'zod';
import { FeatureSpecSchema } from './features.ts';

export const TensorInfoSchema = z.object({
  name: z.string(),
  /** -1 is a free (batch) dimension. */
  shape: z.array(z.number().int()),
  type: z.literal('float32'),
});

/** What a device needs to fetch, verify and run one model version. Signed by the hub. */
export const ManifestSchema = z.object({
  schema: z.literal(1),
  project: z.string(),
  model: z.string(),
  version: z.number().int().positive(),
  publishedAt: z.string(),
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
