import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { base64UrlDecode, keyIdOf, signManifest, verifyManifest, type Manifest } from '@outpost/shared';
import { KEYRING_FILE, LEGACY_KEY_FILE, openKeyringFile } from './keyring-file.ts';
import { generateSigningJwk, secretSigningKeys, type SigningKeys } from './signing-keys.ts';

const idOf = async (jwk: JsonWebKey) => keyIdOf(base64UrlDecode(jwk.x!));
const manifest = { schema: 2, project: 'p', model: 'm', version: 1 } as unknown as Manifest;

/** The current key signs, and what it signs verifies against the listed public keys. */
async function signsWithListedKey(keys: SigningKeys) {
  const key = await keys.current();
  const signed = await signManifest(manifest, key.privateKey, key.keyId);
  await expect(verifyManifest(signed, await keys.list())).rejects.toThrow(/unknown shape/); // signature fine, manifest deliberately partial
  return key.keyId;
}

describe('keyring file (Node)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outpost-keyring-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('makes one active key on first start, in a file only the user can read, and reads it back', async () => {
    const keys = await openKeyringFile(dir, () => 1000);
    const [only, ...rest] = await keys.list();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ status: 'active', createdAt: 1000, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect((await stat(join(dir, KEYRING_FILE))).mode & 0o777).toBe(0o600);
    expect(await signsWithListedKey(keys)).toBe(only!.keyId);
    expect(await (await openKeyringFile(dir, () => 2000)).list()).toEqual([only]);
  });

  it('moves the single signing-key.jwk of an older hub into the keyring, keeping its key id, and removes it', async () => {
    const jwk = await generateSigningJwk();
    await writeFile(join(dir, LEGACY_KEY_FILE), JSON.stringify(jwk), { mode: 0o600 });
    const keys = await openKeyringFile(dir, () => 5);
    expect(await keys.list()).toEqual([expect.objectContaining({ keyId: await idOf(jwk), publicKey: jwk.x, status: 'active' })]);
    await expect(stat(join(dir, LEGACY_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(join(dir, KEYRING_FILE))).mode & 0o777).toBe(0o600);
    expect((await keys.current()).keyId).toBe(await idOf(jwk));
  });

  it('creates a next key that does not sign until activated; activating retires the old one; both survive a restart', async () => {
    let now = 100;
    const keys = await openKeyringFile(dir, () => now);
    const first = (await keys.current()).keyId;
    now = 200;
    const next = await keys.create();
    expect(next).toMatchObject({ status: 'next', createdAt: 200 });
    expect((await keys.current()).keyId).toBe(first);
    expect((await keys.list()).map((k) => [k.keyId, k.status])).toEqual([
      [first, 'active'],
      [next.keyId, 'next'],
    ]);

    const r = await keys.activate(next.keyId);
    expect(r.active).toMatchObject({ keyId: next.keyId, status: 'active' });
    expect(r.retired).toMatchObject({ keyId: first, status: 'retired' });
    expect(await signsWithListedKey(keys)).toBe(next.keyId);

    const reopened = await openKeyringFile(dir, () => 300);
    expect((await reopened.current()).keyId).toBe(next.keyId);
    expect((await reopened.list()).map((k) => [k.keyId, k.status])).toEqual([
      [next.keyId, 'active'],
      [first, 'retired'],
    ]);
    // The file holds private keys: still 0600 after rewrites, and no temp file left behind.
    expect((await stat(join(dir, KEYRING_FILE))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(dir, KEYRING_FILE), 'utf8')).keys).toHaveLength(2);
  });

  it('refuses an unknown key id (404 naming keyId) and the active key (409), changing nothing', async () => {
    const keys = await openKeyringFile(dir, () => 1);
    const active = (await keys.current()).keyId;
    await expect(keys.activate('0123456789abcdef')).rejects.toMatchObject({ code: 'NOT_FOUND', issues: [{ path: 'keyId' }] });
    await expect(keys.activate(active)).rejects.toMatchObject({ code: 'CONFLICT', issues: [{ path: 'keyId' }] });
    expect((await keys.list()).map((k) => k.status)).toEqual(['active']);
  });

  it('keeps every change when creates and an activate race', async () => {
    const keys = await openKeyringFile(dir, () => 1);
    const made = await Promise.all([keys.create(), keys.create(), keys.create()]);
    await keys.activate(made[1]!.keyId);
    const reopened = await (await openKeyringFile(dir, () => 2)).list();
    expect(reopened).toHaveLength(4);
    expect(reopened.find((k) => k.status === 'active')!.keyId).toBe(made[1]!.keyId);
  });

  it('refuses to start on a damaged keyring, saying which file', async () => {
    await writeFile(join(dir, KEYRING_FILE), '{"version":1,"keys":[]}');
    await expect(openKeyringFile(dir, () => 1)).rejects.toThrow(/signing-keys\.json is not a signing keyring/);
  });
});

describe('keys from Workers secrets', () => {
  it('reads the single OUTPOST_SIGNING_KEY as the active key', async () => {
    const jwk = await generateSigningJwk();
    const keys = secretSigningKeys({ OUTPOST_SIGNING_KEY: JSON.stringify(jwk) });
    expect(await keys.list()).toEqual([{ keyId: await idOf(jwk), publicKey: jwk.x, status: 'active', createdAt: null }]);
  });

  it('reads OUTPOST_SIGNING_KEYS oldest first: the active one by OUTPOST_SIGNING_KEY_ID (default the first), older retired, newer next', async () => {
    const [a, b, c] = await Promise.all([generateSigningJwk(), generateSigningJwk(), generateSigningJwk()]);
    const [ia, ib, ic] = await Promise.all([idOf(a!), idOf(b!), idOf(c!)]);
    const secret = JSON.stringify([a, b, c]);
    const byDefault = secretSigningKeys({ OUTPOST_SIGNING_KEYS: secret, OUTPOST_SIGNING_KEY: JSON.stringify(c) });
    expect((await byDefault.current()).keyId).toBe(ia);
    expect((await byDefault.list()).map((k) => [k.keyId, k.status])).toEqual([[ia, 'active'], [ib, 'next'], [ic, 'next']]);

    const rotated = secretSigningKeys({ OUTPOST_SIGNING_KEYS: secret, OUTPOST_SIGNING_KEY_ID: ib });
    expect(await signsWithListedKey(rotated)).toBe(ib);
    expect((await rotated.list()).map((k) => [k.keyId, k.status])).toEqual([[ib, 'active'], [ic, 'next'], [ia, 'retired']]);
  });

  it('answers 501 to create and activate, saying how to rotate with wrangler secret put', async () => {
    const [a, b] = await Promise.all([generateSigningJwk(), generateSigningJwk()]);
    const keys = secretSigningKeys({ OUTPOST_SIGNING_KEYS: JSON.stringify([a, b]) });
    await expect(keys.create()).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(/wrangler secret put OUTPOST_SIGNING_KEYS/) });
    await expect(keys.activate(await idOf(b!))).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(/wrangler secret put OUTPOST_SIGNING_KEY_ID/) });
  });

  it('says what is wrong with missing or bad secrets', async () => {
    await expect(secretSigningKeys({}).current()).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(/set the OUTPOST_SIGNING_KEY secret/) });
    await expect(secretSigningKeys({ OUTPOST_SIGNING_KEYS: '[{"x":1}' }).list()).rejects.toThrow(/not JSON/);
    await expect(secretSigningKeys({ OUTPOST_SIGNING_KEYS: '[{"x":"a"}]' }).list()).rejects.toThrow(/array of private Ed25519 JWKs/);
    const jwk = await generateSigningJwk();
    await expect(secretSigningKeys({ OUTPOST_SIGNING_KEYS: JSON.stringify([jwk]), OUTPOST_SIGNING_KEY_ID: 'ffffffffffffffff' }).current()).rejects.toThrow(/OUTPOST_SIGNING_KEY_ID is ffffffffffffffff, but no key/);
  });
});
