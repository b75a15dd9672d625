/**
 * SHA-256 of a string's UTF-8 bytes, as lowercase hex, synchronously. WebCrypto's digest is async,
 * and the two callers cannot wait: a `pagehide` handler must start its keepalive fetch before it
 * returns (batch ids), and `predict()` redacts a record before it is queued (nothing unredacted
 * ever reaches memory queues or IndexedDB). Round constants are computed, not listed (FIPS 180-4
 * §4.2.2: fractional parts of the cube roots of the first 64 primes); the tests compare with WebCrypto.
 * @example sha256Hex('abc') // 'ba7816bf…'
 */
export function sha256Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  const words = new Uint32Array((((n + 8) >> 6) + 1) * 16);
  for (let i = 0; i < n; i++) words[i >> 2]! |= bytes[i]! << (24 - (i % 4) * 8);
  words[n >> 2]! |= 0x80 << (24 - (n % 4) * 8);
  words[words.length - 2] = Math.floor(n / 0x20000000);
  words[words.length - 1] = (n * 8) >>> 0;

  const h = INITIAL.slice();
  const w = new Uint32Array(64);
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 64; t++) {
      if (t < 16) {
        w[t] = words[block + t]!;
      } else {
        const a = w[t - 15]!;
        const b = w[t - 2]!;
        const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
        const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
        w[t] = w[t - 16]! + s0 + w[t - 7]! + s1;
      }
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as [number, number, number, number, number, number, number, number];
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
    h[5] = h[5]! + f;
    h[6] = h[6]! + g;
    h[7] = h[7]! + hh;
  }
  let hex = '';
  for (const x of h) hex += x.toString(16).padStart(8, '0');
  return hex;
}

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

function primes(count: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < count; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}
const frac32 = (x: number) => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
const K = Uint32Array.from(primes(64), (p) => frac32(Math.cbrt(p)));
const INITIAL = Uint32Array.from(primes(8), (p) => frac32(Math.sqrt(p)));
