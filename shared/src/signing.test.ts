import { describe, expect, test } from 'vitest';
import { base64UrlEncode } from './encoding.ts';
import { OutpostError } from './errors.ts';
import type { Manifest } from './manifest.ts';
import { importTrustedKeys, keyIdOf, signManifest, verifyManifest } from './signing.ts';

const manifest: Manifest = {
  schema: 2,
  project: 'test',
  model: 'penguins',
  version: 3,
  publishedAt: '2026-11-27T00:00:00.000Z',
  issuedAt: '2026-11-27T00:00:00.000Z',
  expiresAt: '2027-11-27T00:00:00.000Z',
  minVersion: 1,
  artifact: { format: 'onnx', sha256: 'a'.repeat(64), size: 1234, path: `/v1/artifacts/${'a'.repeat(64)}` },
  input: { name: 'input', shape: [-1, 1], type: 'float32' },
  output: { name: 'probabilities', shape: [-1, 2], type: 'float32' },
  features: { features: [{ name: 'bill_length_mm', kind: 'numeric', mean: 40, std: 5 }], label: { name: 'species', classes: ['Adelie', 'Gentoo'] } },
};

async function keyPair() {
  const keys = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
  return { privateKey: keys.privateKey, keyId: await keyIdOf(raw), publicKey: base64UrlEncode(raw) };
}

describe('verifyManifest with keys imported once per page', () => {
  test('a key id that now names another public key is checked against the new key', async () => {
    const [a, b] = [await keyPair(), await keyPair()];
    const signed = await signManifest(manifest, a.privateKey, a.keyId);
    expect((await verifyManifest(signed, [{ keyId: a.keyId, publicKey: a.publicKey }])).version).toBe(3);
    // The same key id, rotated to b's key: a's signature must no longer pass.
    const error = await verifyManifest(signed, [{ keyId: a.keyId, publicKey: b.publicKey }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutpostError);
    expect(error).toMatchObject({ code: 'INTEGRITY', message: `manifest signature does not match key ${a.keyId}` });
  });

  test('importTrustedKeys takes a key that does not import without throwing; checks with it still fail, and good keys still pass', async () => {
    const good = await keyPair();
    const broken = { keyId: 'broken', publicKey: base64UrlEncode(new Uint8Array([1, 2, 3])) };
    expect(() => importTrustedKeys([broken, { keyId: good.keyId, publicKey: good.publicKey }])).not.toThrow();
    await expect(verifyManifest(await signManifest(manifest, good.privateKey, 'broken'), [broken])).rejects.toThrow();
    expect((await verifyManifest(await signManifest(manifest, good.privateKey, good.keyId), [{ keyId: good.keyId, publicKey: good.publicKey }])).model).toBe('penguins');
  });
});
