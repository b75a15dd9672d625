/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain; https://github.com/aappleby/smhasher), written
 * here because shared/ must run unchanged in Node, browsers and workerd (no Buffer, no node:crypto)
 * and a cryptographic hash would be ~10× slower than needed for sketches and bucketing.
 * Strings are hashed as their UTF-8 bytes, encoded on the fly (no TextEncoder allocation per
 * value), so results match every other MurmurHash3 implementation fed the same UTF-8 text.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, tailBytes: number, length: number): number {
  if (tailBytes > 0) {
    let k = Math.imul(tail, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 of a string (as UTF-8) or of bytes; an unsigned 32-bit integer.
 * Lone surrogates are encoded as U+FFFD, as TextEncoder does.
 * @example murmur3('The quick brown fox jumps over the lazy dog', 0x9747b28c) // 0x2fa826cd
 */
export function murmur3(input: string | Uint8Array, seed = 0): number {
  let h = seed | 0;
  let k = 0; // up to 4 pending bytes, little-endian
  let shift = 0;
  let length = 0;
  const push = (byte: number): void => {
    k |= byte << shift;
    shift += 8;
    length++;
    if (shift === 32) {
      h = mixBlock(h, k);
      k = 0;
      shift = 0;
    }
  };
  if (typeof input !== 'string') {
    for (let i = 0; i < input.length; i++) push(input[i]!);
    return finish(h, k, shift >>> 3, length);
  }
  for (let i = 0; i < input.length; i++) {
    let c = input.charCodeAt(i);
    if (c < 0x80) {
      push(c);
      continue;
    }
    if (c < 0x800) {
      push(0xc0 | (c >> 6));
      push(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < input.length ? input.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        push(0xf0 | (c >> 18));
        push(0x80 | ((c >> 12) & 0x3f));
        push(0x80 | ((c >> 6) & 0x3f));
        push(0x80 | (c & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    push(0xe0 | (c >> 12));
    push(0x80 | ((c >> 6) & 0x3f));
    push(0x80 | (c & 0x3f));
  }
  return finish(h, k, shift >>> 3, length);
}

/**
 * Combine two 32-bit integers into one well-spread signed 32-bit integer (fmix32 of a mix of both).
 * Why: a merged sketch needs a coin stream that neither input would have continued with.
 * @example hashPair(1, 1) // ≠ 1, and ≠ hashPair(1, 2)
 */
export function hashPair(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1) ^ 0x85ebca6b) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
