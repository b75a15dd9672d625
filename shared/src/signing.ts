import { base64UrlDecode, base64UrlEncode, sha256Hex } from './encoding.ts';
import { OutpostError } from './errors.ts';
import type { Manifest, SignedManifest, TrustedKey } from './manifest.ts';
import { checkManifest } from './wire-check.ts';

/**
 * A key id is the first 16 hex digits of the SHA-256 of the raw public key.
 * @example const keyId = await keyIdOf(rawPublicKey); // 'f3a9…' (16 hex digits)
 */
export async function keyIdOf(rawPublicKey: Uint8Array): Promise<string> {
  return (await sha256Hex(rawPublicKey)).slice(0, 16);
}

/**
 * Sign a manifest with an Ed25519 private CryptoKey (WebCrypto: Node, workerd, browsers).
 * @example const signed = await signManifest(manifest, privateKey, keyId);
 */
export async function signManifest(manifest: Manifest, privateKey: CryptoKey, keyId: string): Promise<SignedManifest> {
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, bytes));
  return { payload: base64UrlEncode(bytes), signature: base64UrlEncode(sig), keyId };
}

/**
 * Verify a signed manifest against trusted keys and return the manifest it carries.
 * Throws OutpostError('INTEGRITY') when the key is unknown, the signature does not check out or
 * the signed payload is not a manifest (the message names the field).
 * @example const manifest = await verifyManifest(signed, [{ keyId, publicKey }]);
 */
export async function verifyManifest(signed: SignedManifest, trustedKeys: readonly TrustedKey[]): Promise<Manifest> {
  const trusted = trustedKeys.find((k) => k.keyId === signed.keyId);
  if (!trusted) throw new OutpostError('INTEGRITY', `manifest signed by untrusted key ${signed.keyId}`);
  const key = await verifyKey(trusted.publicKey);
  const payload = base64UrlDecode(signed.payload);
  const ok = await crypto.subtle.verify(
    'Ed25519',
    key,
    base64UrlDecode(signed.signature) as Uint8Array<ArrayBuffer>,
    payload as Uint8Array<ArrayBuffer>,
  );
  if (!ok) throw new OutpostError('INTEGRITY', `manifest signature does not match key ${signed.keyId}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch (e) {
    throw new OutpostError('INTEGRITY', 'signed manifest is not JSON', { cause: e });
  }
  // Checked without zod (wire-check.ts), so the edge SDK, which verifies every manifest, does not bundle it.
  const checked = checkManifest(json);
  if (!checked.ok) throw new OutpostError('INTEGRITY', `signed manifest has an unknown shape: ${checked.error}`);
  return checked.value;
}

/** Imported verify keys by their base64url public key: each import is a trip to WebCrypto's thread. */
const importedKeys = new Map<string, Promise<CryptoKey>>();

/** The public key as a CryptoKey, imported once per page (a failed import is tried again next time). */
function verifyKey(publicKey: string): Promise<CryptoKey> {
  let key = importedKeys.get(publicKey);
  if (!key) {
    // Async, so a key that does not decode rejects instead of throwing.
    key = (async () => crypto.subtle.importKey('raw', base64UrlDecode(publicKey) as Uint8Array<ArrayBuffer>, 'Ed25519', false, ['verify']))();
    importedKeys.set(publicKey, key);
    key.catch(() => importedKeys.delete(publicKey));
  }
  return key;
}

/**
 * Import the trusted keys ahead of the first check (the edge SDK does it beside its database reads).
 * Never rejects: a key that does not import fails its check later, with the check's error.
 * @example importTrustedKeys(options.trustedKeys);
 */
export function importTrustedKeys(trustedKeys: readonly TrustedKey[]): void {
  for (const k of trustedKeys) verifyKey(k.publicKey).catch(() => undefined);
}
