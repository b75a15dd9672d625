import type { DeviceContext } from '@outpost/shared';
import type { Rule } from './policy.ts';
import { satisfies } from './semver.ts';

/** Whether a locale matches a prefix on whole subtags: `de` matches `de` and `de-CH`, not `dex`; case-insensitive. */
export function localeMatches(locale: string, prefix: string): boolean {
  const l = locale.toLowerCase().replaceAll('_', '-');
  const p = prefix.toLowerCase().replaceAll('_', '-');
  return l === p || l.startsWith(`${p}-`);
}

/**
 * Whether a device's context meets every condition of a rule's `when` (an empty `when` matches
 * every device). A condition on something the device did not say (no appVersion, no locale) fails.
 */
export function ruleMatches(rule: Rule, ctx: DeviceContext): boolean {
  const w = rule.when;
  if (w.platform && !(ctx.platform !== undefined && w.platform.some((p) => p.toLowerCase() === ctx.platform!.toLowerCase()))) return false;
  if (w.appVersion !== undefined && !(ctx.appVersion !== undefined && satisfies(ctx.appVersion, w.appVersion))) return false;
  if (w.locale && !(ctx.locale !== undefined && w.locale.some((p) => localeMatches(ctx.locale!, p)))) return false;
  if (w.webgpu !== undefined && ctx.webgpu !== w.webgpu) return false;
  for (const [key, want] of Object.entries(w.attributes ?? {})) {
    const have = ctx.attributes?.[key];
    if (have === undefined || !(Array.isArray(want) ? want.includes(have) : want === have)) return false;
  }
  return true;
}

/** The first rule that matches, in order, if any. */
export function firstMatchingRule(rules: readonly Rule[], ctx: DeviceContext): Rule | undefined {
  return rules.find((r) => ruleMatches(r, ctx));
}
