import { devicePaths, signManifest, type Manifest, type SignedManifest } from '@outpost/shared';
import type { SigningKeys } from './signing-keys.ts';
import { HUB_WIDE, type ModelVersion, type RegistryStore } from './store.ts';

/** How long a signed manifest is accepted from the network; the hub re-signs when half of it is left. */
export const MANIFEST_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The manifest devices get for one model version, signed with the hub's current key. */
export async function buildSignedManifest(
  keys: SigningKeys,
  at: { project: string; model: string; issuedAt: number; expiresAt: number; minVersion: number },
  v: ModelVersion,
): Promise<SignedManifest> {
  const manifest: Manifest = {
    schema: 2,
    project: at.project,
    model: at.model,
    version: v.version,
    publishedAt: new Date(v.createdAt).toISOString(),
    issuedAt: new Date(at.issuedAt).toISOString(),
    expiresAt: new Date(at.expiresAt).toISOString(),
    minVersion: at.minVersion,
    artifact: { format: 'onnx', sha256: v.artifactSha256, size: v.artifactSize, path: devicePaths.artifact(v.artifactSha256) },
    input: v.signature.input,
    output: v.signature.output,
    features: v.signature.features,
  };
  const key = await keys.current();
  return signManifest(manifest, key.privateKey, key.keyId);
}

/**
 * Signed manifests as devices get them: one per model version, reused (same bytes, so the same
 * ETag) until half its lifetime is gone, re-signed after any change (`registry.invalidateManifests`).
 * @example const signed = await manifests.signedFor({ project, model, modelId }, version);
 */
export function createManifestSigner(input: { registry: RegistryStore; keys: SigningKeys; clock: () => number; ttlMs?: number }) {
  const { registry, keys, clock } = input;
  const ttl = input.ttlMs ?? MANIFEST_TTL_MS;
  return {
    async signedFor(at: { project: string; model: string; modelId: number }, v: ModelVersion): Promise<SignedManifest> {
      const now = clock();
      const cached = await registry.signedManifest(at.modelId, v.version);
      const keyId = (await keys.current()).keyId;
      if (cached && cached.expiresAt - now > ttl / 2 && cached.signed.keyId === keyId) return cached.signed;
      // A new signing key is a change devices must see as newer than anything the old key signed.
      const newKey = cached !== undefined && cached.signed.keyId !== keyId;
      if (newKey) await auditDeployedKey(registry, cached.signed.keyId, keyId, now);
      const changed = newKey ? undefined : await registry.manifestsChangedAt(at.modelId);
      // Every version signed between two changes carries the change's instant: a device moved
      // between sibling versions (a rule now matches, a rollout split) never takes one for a replay.
      const issuedAt = changed ?? (await registry.invalidateManifests(at.modelId, now));
      const expiresAt = now + ttl;
      const signed = await buildSignedManifest(keys, { ...at, issuedAt, expiresAt, minVersion: await registry.minVersion(at.modelId) }, v);
      await registry.putSignedManifest(at.modelId, v.version, { signed, issuedAt, expiresAt });
      return signed;
    },
  };
}
export type ManifestSigner = ReturnType<typeof createManifestSigner>;

/**
 * A key made active outside the API (on Workers: the OUTPOST_SIGNING_KEY_ID secret and a deploy)
 * goes into the audit log the first time the hub signs with it: `key.deploy`, actor `deploy`. A key
 * activated through the API (`key.activate`) is already there.
 */
async function auditDeployedKey(registry: RegistryStore, from: string, to: string, now: number): Promise<void> {
  if ((await registry.lastActivatedKey()) === to) return;
  await registry.audit({ projectId: HUB_WIDE, actor: 'deploy', action: 'key.deploy', detail: { from, to }, reason: 'the hub signs with a new key set outside the API (OUTPOST_SIGNING_KEY_ID on Workers)' }, now);
}
