import { OutpostError, sha256Hex, type Manifest, type SignedManifest, type TrustedKey } from '@outpost/shared';
import { lazyOnce } from '../lazy-once.ts';

/** A model whose signature and bytes both checked out: the only kind the SDK runs or caches. */
export interface VerifiedModel {
  signed: SignedManifest;
  manifest: Manifest;
  bytes: Uint8Array;
}

/** The signature check and the manifest's shape check: a chunk of their own, so the core stays small (`npm run size`). */
const signing = lazyOnce(() => import('@outpost/shared/signing'));

/**
 * Start fetching the signature check and importing the trusted keys (a start from the cache calls
 * it beside its database reads). Never rejects.
 */
export function preloadSignatureCheck(trustedKeys: readonly TrustedKey[]): void {
  signing().then((m) => m.importTrustedKeys(trustedKeys), () => undefined);
}

/** Verify the signature, and that the manifest is for the model we asked for (throws INTEGRITY). */
export async function verifySignedManifest(signed: SignedManifest, trustedKeys: readonly TrustedKey[], model: string): Promise<Manifest> {
  const { verifyManifest } = await signing().catch((e: unknown) => {
    throw new OutpostError('INTEGRITY', `could not load the SDK's signature check: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  const manifest = await verifyManifest(signed, trustedKeys);
  if (manifest.model !== model) {
    throw new OutpostError('INTEGRITY', `manifest is for model "${manifest.model}", not "${model}"`);
  }
  return manifest;
}

/**
 * Check bytes against the size and SHA-256 a verified manifest vouches for (throws INTEGRITY).
 * `hashing`: their SHA-256, when already asked for.
 */
export async function checkArtifact(manifest: Manifest, bytes: Uint8Array, hashing?: Promise<string>): Promise<void> {
  if (bytes.byteLength !== manifest.artifact.size) {
    throw new OutpostError('INTEGRITY', `model v${manifest.version} is ${bytes.byteLength} bytes, manifest says ${manifest.artifact.size}`);
  }
  const digest = await (hashing ?? sha256Hex(bytes));
  if (digest !== manifest.artifact.sha256) {
    throw new OutpostError('INTEGRITY', `model v${manifest.version} has SHA-256 ${digest}, manifest says ${manifest.artifact.sha256}`);
  }
}

/**
 * Verify a signed manifest and the bytes it vouches for, from scratch.
 * @example const { manifest } = await verifyModel({ signed, bytes }, trustedKeys, 'penguins');
 */
export async function verifyModel(
  entry: { signed: SignedManifest; bytes: Uint8Array },
  trustedKeys: readonly TrustedKey[],
  model: string,
): Promise<VerifiedModel> {
  // The digest and the signature at once: each is a trip to WebCrypto's thread.
  const hashing = sha256Hex(entry.bytes);
  hashing.catch(() => undefined); // a signature that fails first leaves it unawaited
  const manifest = await verifySignedManifest(entry.signed, trustedKeys, model);
  await checkArtifact(manifest, entry.bytes, hashing);
  return { signed: entry.signed, manifest, bytes: entry.bytes };
}
