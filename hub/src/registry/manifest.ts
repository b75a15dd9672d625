import { devicePaths, signManifest, type Manifest, type SignedManifest } from '@outpost/shared';
import type { SigningKeys } from './signing-keys.ts';
import type { ModelVersion } from './store.ts';

/** The manifest devices get for one model version, signed with the hub's current key. */
export async function buildSignedManifest(
  keys: SigningKeys,
  at: { project: string; model: string; publishedAt: number },
  v: ModelVersion,
): Promise<SignedManifest> {
  const manifest: Manifest = {
    schema: 1,
    project: at.project,
    model: at.model,
    version: v.version,
    publishedAt: new Date(at.publishedAt).toISOString(),
    artifact: { format: 'onnx', sha256: v.artifactSha256, size: v.artifactSize, path: devicePaths.artifact(v.artifactSha256) },
    input: v.signature.input,
    output: v.signature.output,
    features: v.signature.features,
  };
  const key = await keys.current();
  return signManifest(manifest, key.privateKey, key.keyId);
}
