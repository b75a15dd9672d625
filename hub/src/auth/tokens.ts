import { base64UrlEncode, sha256Hex } from '@outpost/shared';

/** A new secret: a readable prefix (opa_ admin, opk_ project key, ops_ session) and 256 random bits. */
export function generateToken(prefix: 'opa' | 'opk' | 'ops'): string {
  return `${prefix}_${base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** What we store instead of a token. SHA-256 suffices: tokens are random, not passwords. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(token));
}
