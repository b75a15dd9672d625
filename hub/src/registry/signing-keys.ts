import { base64UrlDecode, keyIdOf, OutpostError } from '@outpost/shared';

/** The hub's current Ed25519 signing key. */
export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  /** Raw 32-byte public key, base64url: what apps put in `trustedKeys`. */
  publicKey: string;
}

/**
 * active: signs every manifest now (exactly one). next: published so apps can ship it before it
 * signs. retired: signed before; apps may drop it once their devices have fresh manifests.
 */
export type SigningKeyStatus = 'active' | 'next' | 'retired';

/** A key as the hub lists it (never its private part). */
export interface SigningKeyInfo {
  keyId: string;
  publicKey: string;
  status: SigningKeyStatus;
  /** When the hub made it; null for keys that come from outside (Workers secrets). */
  createdAt: number | null;
}

/**
 * The hub's keyring. Where keys come from outside the hub (Workers secrets), `create` and
 * `activate` reject with NOT_IMPLEMENTED, saying how to rotate there.
 */
export interface SigningKeys {
  current(): Promise<SigningKey>;
  /** Active first, then next, then retired (newest first within each). */
  list(): Promise<SigningKeyInfo[]>;
  /** A new key in status `next`. */
  create(): Promise<SigningKeyInfo>;
  /** Make a next (or retired) key the active one; the active one becomes retired. */
  activate(keyId: string): Promise<{ active: SigningKeyInfo; retired: SigningKeyInfo }>;
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
export function portableJwk(jwk: JsonWebKey): JsonWebKey {
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d };
}

export async function generateSigningJwk(): Promise<JsonWebKey> {
  const pair = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  return portableJwk((await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey);
}

/** One key of a keyring as stored: its private JWK, status and creation time. */
export interface KeyringEntry {
  jwk: JsonWebKey;
  status: SigningKeyStatus;
  createdAt: number | null;
}

const ORDER: Record<SigningKeyStatus, number> = { active: 0, next: 1, retired: 2 };

/**
 * The status changes of a keyring, pure: who is active, what `create` and `activate` do. `save`
 * persists the entries after each change (a file on Node); without it, changes are refused with
 * `readOnly`'s message (Workers: keys are secrets).
 * @example const keys = createKeyring(entries, { clock: Date.now, save: (e) => writeKeyring(path, e) });
 */
export function createKeyring(
  initial: KeyringEntry[],
  options: { clock: () => number; save?: (entries: KeyringEntry[]) => Promise<void>; readOnly?: string },
): SigningKeys {
  let entries = initial.map((e) => ({ ...e, jwk: portableJwk(e.jwk) }));
  const imported = new Map<string, Promise<SigningKey>>();
  const keyOf = (jwk: JsonWebKey) => {
    const x = jwk.x ?? '';
    let key = imported.get(x);
    if (!key) imported.set(x, (key = signingKeyFromJwk(jwk)));
    return key;
  };
  const info = async (e: KeyringEntry): Promise<SigningKeyInfo> => {
    const key = await keyOf(e.jwk);
    return { keyId: key.keyId, publicKey: key.publicKey, status: e.status, createdAt: e.createdAt };
  };
  // One change at a time: a create racing an activate must not lose either.
  let queue: Promise<unknown> = Promise.resolve();
  const change = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const writable = () => {
    if (!options.save) throw new OutpostError('NOT_IMPLEMENTED', options.readOnly ?? 'this hub cannot change its signing keys');
    return options.save;
  };

  return {
    async current() {
      const active = entries.find((e) => e.status === 'active');
      if (!active) throw new OutpostError('NOT_IMPLEMENTED', 'the keyring has no active signing key');
      return keyOf(active.jwk);
    },
    async list() {
      const sorted = [...entries].sort((a, b) => ORDER[a.status] - ORDER[b.status] || (b.createdAt ?? 0) - (a.createdAt ?? 0));
      return Promise.all(sorted.map(info));
    },
    create: () =>
      change(async () => {
        const save = writable();
        const entry: KeyringEntry = { jwk: await generateSigningJwk(), status: 'next', createdAt: options.clock() };
        await save([...entries, entry]);
        entries = [...entries, entry];
        return info(entry);
      }),
    activate: (keyId) =>
      change(async () => {
        const save = writable();
        const ids = await Promise.all(entries.map(async (e) => (await keyOf(e.jwk)).keyId));
        const target = ids.indexOf(keyId);
        if (target < 0) throw new OutpostError('NOT_FOUND', `no signing key ${keyId}; see GET /v1/signing-keys`, { issues: [{ path: 'keyId', message: 'not found' }] });
        if (entries[target]!.status === 'active') throw new OutpostError('CONFLICT', `signing key ${keyId} is already the active one`, { issues: [{ path: 'keyId', message: 'already active' }] });
        const next = entries.map((e, i): KeyringEntry => (i === target ? { ...e, status: 'active' } : e.status === 'active' ? { ...e, status: 'retired' } : e));
        await save(next);
        const retired = entries.find((e) => e.status === 'active');
        entries = next;
        return { active: await info(next[target]!), retired: await info({ ...retired!, status: 'retired' }) };
      }),
  };
}

const WORKERS_ROTATION =
  'signing keys on Workers are secrets: add a key with `npm run -s keygen` to the OUTPOST_SIGNING_KEYS array and `wrangler secret put OUTPOST_SIGNING_KEYS`, then activate it with `wrangler secret put OUTPOST_SIGNING_KEY_ID` (docs/workers.md, "Rotating the signing key")';

/**
 * Keys from Workers secrets. `OUTPOST_SIGNING_KEYS`: a JSON array of private JWKs, oldest first;
 * the active one is the key whose id is `OUTPOST_SIGNING_KEY_ID` (default: the first); keys before
 * it are listed as retired, keys after it as next. Else `OUTPOST_SIGNING_KEY`: one private JWK.
 * Rotation is a change of secrets, so `create` and `activate` answer 501 saying how.
 */
export function secretSigningKeys(secrets: { OUTPOST_SIGNING_KEY?: string | undefined; OUTPOST_SIGNING_KEYS?: string | undefined; OUTPOST_SIGNING_KEY_ID?: string | undefined }): SigningKeys {
  let ring: Promise<SigningKeys> | undefined;
  const load = () => (ring ??= keyringFromSecrets(secrets));
  // A bad secret fails each request with its message (and is read again on the next isolate).
  return {
    current: async () => (await load()).current(),
    list: async () => (await load()).list(),
    create: async () => (await load()).create(),
    activate: async (keyId) => (await load()).activate(keyId),
  };
}

async function keyringFromSecrets(secrets: { OUTPOST_SIGNING_KEY?: string | undefined; OUTPOST_SIGNING_KEYS?: string | undefined; OUTPOST_SIGNING_KEY_ID?: string | undefined }): Promise<SigningKeys> {
  const misconfigured = (message: string) => new OutpostError('NOT_IMPLEMENTED', `${message} (see docs/workers.md)`);
  let jwks: JsonWebKey[];
  try {
    if (secrets.OUTPOST_SIGNING_KEYS) jwks = JSON.parse(secrets.OUTPOST_SIGNING_KEYS) as JsonWebKey[];
    else if (secrets.OUTPOST_SIGNING_KEY) jwks = [JSON.parse(secrets.OUTPOST_SIGNING_KEY) as JsonWebKey];
    else throw misconfigured('no signing key: set the OUTPOST_SIGNING_KEY secret');
  } catch (e) {
    if (e instanceof OutpostError) throw e;
    throw misconfigured(`the signing key secret is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(jwks) || jwks.length === 0 || !jwks.every((j) => typeof j === 'object' && j !== null && typeof j.x === 'string' && typeof j.d === 'string')) {
    throw misconfigured('OUTPOST_SIGNING_KEYS must be a JSON array of private Ed25519 JWKs (each with x and d)');
  }
  const ids = await Promise.all(jwks.map(async (j) => keyIdOf(base64UrlDecode(j.x!))));
  const wanted = secrets.OUTPOST_SIGNING_KEY_ID?.trim();
  const active = wanted ? ids.indexOf(wanted) : 0;
  if (active < 0) throw misconfigured(`OUTPOST_SIGNING_KEY_ID is ${wanted}, but no key in OUTPOST_SIGNING_KEYS has that id (they are ${ids.join(', ')})`);
  const entries = jwks.map((jwk, i): KeyringEntry => ({ jwk, status: i === active ? 'active' : i < active ? 'retired' : 'next', createdAt: null }));
  return createKeyring(entries, { clock: Date.now, readOnly: WORKERS_ROTATION });
}

/** One fixed key, never rotated (tests; hubs built by hand). */
export function staticSigningKeys(jwk: JsonWebKey): SigningKeys {
  return createKeyring([{ jwk, status: 'active', createdAt: null }], { clock: Date.now, readOnly: 'this hub was given one fixed signing key' });
}
