import { describe, expect, it } from 'vitest';
import { hashPair, murmur3 } from './hash.ts';

// Published MurmurHash3 x86_32 vectors (smhasher; Ian Boyd's set, https://stackoverflow.com/a/31929528).
const vectors: [string, number, number][] = [
  ['', 0, 0],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['\0\0\0\0', 0, 0x2362f9de],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aa', 0x9747b28c, 0x5d211726],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['abc', 0x9747b28c, 0xc84a62dd],
  ['ab', 0x9747b28c, 0x74875592],
  ['abc', 0, 0xb3dd93fa],
  ['test', 0, 0xba6bd213],
  ['Hello, world!', 0, 0xc0363e43],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ['a'.repeat(256), 0x9747b28c, 0x37405bdc],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 0, 0xee925b90],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
];

describe('murmur3', () => {
  it.each(vectors)('hashes %j with seed %i to the published value', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
    expect(murmur3(new TextEncoder().encode(text), seed)).toBe(expected);
  });

  it('matches the published binary vectors', () => {
    expect(murmur3(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0)).toBe(0xf55b516b);
    expect(murmur3(new Uint8Array([0x21, 0x43, 0x65]), 0)).toBe(0x7e4a8634);
    expect(murmur3(new Uint8Array([0x21, 0x43]), 0)).toBe(0xa0f7b07a);
    expect(murmur3(new Uint8Array([0x21]), 0)).toBe(0x72661cf4);
  });

  it('hashes a string as its UTF-8 bytes, surrogate pairs and lone surrogates included', () => {
    for (const text of ['é', '€uro', '𝄞 clef', 'mixed ü 中文 🐧', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d']) {
      expect(murmur3(text, 7)).toBe(murmur3(new TextEncoder().encode(text), 7));
    }
  });
});

describe('hashPair', () => {
  it('is deterministic, order-sensitive and spreads equal inputs', () => {
    expect(hashPair(1, 2)).toBe(hashPair(1, 2));
    expect(hashPair(1, 2)).not.toBe(hashPair(2, 1));
    expect(hashPair(5, 5)).not.toBe(5);
    expect(Number.isInteger(hashPair(-1, 0x7fffffff))).toBe(true);
  });
});
