import { expect, test } from 'vitest';
import { sha256Hex as webCryptoSha256Hex } from '@outpost/shared';
import { sha256Hex } from './sha256.ts';

test('known vectors (FIPS 180-4 examples)', () => {
  expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('matches WebCrypto for every length across block boundaries and for non-ASCII text', async () => {
  const encoder = new TextEncoder();
  const inputs = [...Array.from({ length: 200 }, (_, i) => 'x'.repeat(i)), 'é€😀', 'Dream'.repeat(1000)];
  for (const text of inputs) expect(sha256Hex(text), `length ${text.length}`).toBe(await webCryptoSha256Hex(encoder.encode(text)));
});
