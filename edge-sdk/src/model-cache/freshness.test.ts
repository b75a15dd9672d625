import { describe, expect, test } from 'vitest';
import type { Manifest } from '@outpost/shared';
import { checkFreshness } from './freshness.ts';

const T = Date.UTC(2026, 0, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const manifest = (over: Partial<Manifest> = {}): Manifest =>
  ({ version: 3, minVersion: 1, issuedAt: iso(T), expiresAt: iso(T + 7 * 86_400_000), ...over }) as Manifest;
const fresh = { issuedAt: 0, minVersion: 0 };

describe('checkFreshness', () => {
  test.each([
    ['first manifest ever', manifest(), fresh, { issuedAt: T, minVersion: 1 }],
    ['the same manifest again (same issuedAt)', manifest(), { issuedAt: T, minVersion: 1 }, { issuedAt: T, minVersion: 1 }],
    ['a newer one raises minVersion', manifest({ minVersion: 3 }), { issuedAt: T - 1, minVersion: 2 }, { issuedAt: T, minVersion: 3 }],
    ['a lower minVersion never lowers what was seen', manifest({ minVersion: 1 }), { issuedAt: T - 1, minVersion: 3 }, { issuedAt: T, minVersion: 3 }],
  ])('accepts %s', (_name, m, seen, next) => {
    expect(checkFreshness(m, seen, T + 1)).toEqual({ ok: true, next });
  });

  test.each([
    ['expired', manifest({ expiresAt: iso(T + 5) }), fresh, T + 5, /expired at/],
    ['with an unreadable expiry', manifest({ expiresAt: 'soon' }), fresh, T, /expired/],
    ['replay', manifest(), { issuedAt: T + 1, minVersion: 0 }, T + 2, /replay: issued .* before the newest accepted/],
    ['below_min_version', manifest({ version: 2 }), { issuedAt: 0, minVersion: 3 }, T, /v2 is below the minimum version 3/],
    ['below_min_version', manifest({ version: 2, minVersion: 4 }), fresh, T, /below the minimum version 4/],
  ])('refuses as %s', (reason, m, seen, now, message) => {
    const verdict = checkFreshness(m, seen, now);
    expect(verdict).toMatchObject({ ok: false, reason: reason === 'with an unreadable expiry' ? 'expired' : reason });
    if (!verdict.ok) expect(verdict.message).toMatch(message);
  });
});
