/** Buckets per model: a device's bucket is 0–9999, so a percentage maps to whole buckets at 0.01 %. */
export const BUCKETS = 10_000;

/**
 * A device's stable bucket for a model: the first 4 bytes of SHA-256(`${salt}:${model}:${installId}`)
 * as a big-endian uint32, mod 10000. The same install, model and salt always give the same bucket;
 * a new salt reshuffles every device.
 * @example await bucketOf('9f2c41d0aa6b7e13', 'species', 'install-1234') // e.g. 4821
 */
export async function bucketOf(salt: string, model: string, installId: string): Promise<number> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}:${model}:${installId}`));
  return new DataView(digest).getUint32(0, false) % BUCKETS;
}

/**
 * Whether a bucket is inside the first `percent` of devices. Buckets below `percent × 100` are in:
 * the slice at 10 % contains the slice at 1 %, so a device never flips back as a rollout grows.
 */
export function inSlice(bucket: number, percent: number): boolean {
  return bucket < Math.round(percent * 100);
}

/**
 * The version a bucket falls in under fixed weights: versions in ascending order take consecutive
 * ranges of buckets (v1 50 %, v2 50 %: buckets 0–4999 run v1, 5000–9999 run v2).
 */
export function versionByWeights(bucket: number, weights: Record<string, number>): number | undefined {
  let upper = 0;
  const versions = Object.keys(weights).map(Number).sort((a, b) => a - b);
  for (const v of versions) {
    upper += Math.round(weights[String(v)]! * 100);
    if (bucket < upper) return v;
  }
  return versions.at(-1);
}
