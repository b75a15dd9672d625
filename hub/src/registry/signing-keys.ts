import { base64UrlDecode, keyIdOf, OutpostError } from '@outpost/shared';

/** The hub's current Ed25519 signing key. */
export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  /** Raw 32-byte public key, base64url: what apps put in `trustedKeys`. */
  publicKey: string;
}

export interface SigningKeys {
  current(): Promise<SigningKey>;
}

/** Build a SigningKey from a private JWK (as stored in a file on Node or a secret on Workers). */
export async function signingKeyFromJwk(jwk: JsonWebKey): Promise<SigningKey> {
  if (!jwk.x || !jwk.d) throw new Error('signing key JWK needs its private (d) and public (x) parts');
  const privateKey = await crypto.subtle.importKey('jwk', portableJwk(jwk), 'Ed25519', false, ['sign']);
  return { keyId: await keyIdOf(base64UrlDecode(jwk.x)), privateKey, publicKey: jwk.x };
}

/**
 * Only the key material. Runtimes disagree on `alg` for Ed25519 (Node 20 writes "Ed25519",
 * workerd wants "EdDSA" or none), so a key made on one imports on the other only without it.
 */
function portableJwk(jwk: JsonWebKey): JsonWebKey {
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d };
}

export async function generateSigningJwk(): Promise<JsonWebKey> {
  const pair = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  return portableJwk((await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey);
}

/** Keys fixed at construction (a secret on Workers, a file on Node). Rotation comes with the registry issue. */
export function staticSigningKeys(jwk: JsonWebKey): SigningKeys {
  let key: Promise<SigningKey> | undefined;
  return { current: () => (key ??= signingKeyFromJwk(jwk)) };
}

/** Keys from a secret holding the private JWK (Workers: `wrangler secret put OUTPOST_SIGNING_KEY`). */
export function secretSigningKeys(secret: string | undefined): SigningKeys {
  if (!secret) {
    return {
      current: () =>
        Promise.reject(new OutpostError('NOT_IMPLEMENTED', 'no signing key: set the OUTPOST_SIGNING_KEY secret (see docs/workers.md)')),
    };
  }
  return staticSigningKeys(JSON.parse(secret) as JsonWebKey);
}
