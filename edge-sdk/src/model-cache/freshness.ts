import type { Manifest } from '@outpost/shared';

/** Why a verified manifest from the network was refused (see ManifestSchema's freshness rules). */
export type RefusalReason = 'expired' | 'replay' | 'below_min_version';

/** The freshness a device has seen for one model (persisted, so a reload cannot be tricked). */
export interface Freshness {
  /** issuedAt (epoch ms) of the newest manifest accepted; 0 when none. */
  issuedAt: number;
  /** The highest minVersion seen; 0 when none. */
  minVersion: number;
}

export type FreshnessVerdict = { ok: true; next: Freshness } | { ok: false; reason: RefusalReason; message: string };

/**
 * Accept or refuse a signature-checked manifest from the network: refused when it has expired,
 * was issued before the newest one accepted (a replay), or its version is below the highest
 * minVersion seen (its own included). Pure: the caller persists `next`.
 * @example const verdict = checkFreshness(manifest, { issuedAt: 0, minVersion: 0 }, Date.now());
 */
export function checkFreshness(manifest: Manifest, seen: Freshness, now: number): FreshnessVerdict {
  const issuedAt = Date.parse(manifest.issuedAt);
  const expiresAt = Date.parse(manifest.expiresAt);
  const v = `manifest v${manifest.version}`;
  if (!Number.isFinite(expiresAt) || now >= expiresAt) {
    return { ok: false, reason: 'expired', message: `${v} expired at ${manifest.expiresAt}` };
  }
  if (!Number.isFinite(issuedAt) || issuedAt < seen.issuedAt) {
    return { ok: false, reason: 'replay', message: `${v} is a replay: issued ${manifest.issuedAt}, before the newest accepted (${new Date(seen.issuedAt).toISOString()})` };
  }
  const minVersion = Math.max(seen.minVersion, manifest.minVersion);
  if (manifest.version < minVersion) {
    return { ok: false, reason: 'below_min_version', message: `${v} is below the minimum version ${minVersion}` };
  }
  return { ok: true, next: { issuedAt: Math.max(seen.issuedAt, issuedAt), minVersion } };
}
