/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain; https://github.com/aappleby/smhasher), written
 * here because shared/ must run unchanged in Node, browsers and workerd (no Buffer, no node:crypto)
 * and a cryptographic hash would be ~10× slower than needed for sketches and bucketing.
 * Strings are hashed as their UTF-8 bytes, encoded into a reused buffer (no TextEncoder allocation
 * per value), so results match every other MurmurHash3 implementation fed the same UTF-8 text.
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
  if (typeof input !== 'string') return hashBytes(input, input.length, seed);
  const length = utf8(input); // first: it may replace `scratch`
  return hashBytes(scratch, length, seed);
}

function hashBytes(bytes: Uint8Array, length: number, seed: number): number {
  let h = seed | 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  let tail = 0;
  for (let i = length - 1; i >= blocks; i--) tail = (tail << 8) | bytes[i]!;
  return finish(h, tail, length & 3, length);
}

// Strings are encoded into one reused buffer (hashing is synchronous): no allocation per value.
let scratch = new Uint8Array(256);

/** Encode `s` as UTF-8 into `scratch`; returns the byte length. */
function utf8(s: string): number {
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  const out = scratch;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 0x3f);
    out[n++] = 0x80 | (c & 0x3f);
  }
  return n;
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
