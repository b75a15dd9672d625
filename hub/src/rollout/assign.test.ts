import { describe, expect, it } from 'vitest';
import type { DeviceContext } from '@outpost/shared';
import { assign } from './assign.ts';
import { defaultPolicy, type RolloutPolicy, type Rule } from './policy.ts';
import { localeMatches, ruleMatches } from './targeting.ts';

const base = (over: Partial<RolloutPolicy> = {}): RolloutPolicy => ({ ...defaultPolicy('salt-salt'), ...over });
const running = (over: Partial<RolloutPolicy> = {}) => base({ candidate: 4, state: 'running', stage: 1, stageStartedAt: 0, ...over }); // 10 %
const ctx = (over: Partial<DeviceContext> = {}): DeviceContext => ({ installId: 'install-0001', ...over });
const rule = (when: Rule['when'], version = 9, name = 'r'): Rule => ({ name, version, when });

describe('assignment', () => {
  it('pinned > rule > rollout > default', () => {
    const policy = running({ pins: { 'install-0001': 2 }, rules: [rule({ platform: ['android'] }, 7, 'android beta')] });
    expect(assign({ policy, production: 3, context: ctx({ platform: 'android' }), bucket: 5 })).toMatchObject({ version: 2, reason: 'pinned', bucket: 5 });
    expect(assign({ policy, production: 3, context: ctx({ installId: 'install-0002', platform: 'android' }), bucket: 5 })).toEqual({ version: 7, bucket: 5, reason: 'rule', detail: 'rule "android beta"' });
    expect(assign({ policy, production: 3, context: ctx({ installId: 'install-0002', platform: 'ios' }), bucket: 5 })).toMatchObject({ version: 4, reason: 'rollout', detail: 'stage 2 of 4: 10 % (bucket 5 < 1000)' });
    expect(assign({ policy, production: 3, context: ctx({ installId: 'install-0002' }), bucket: 1000 })).toMatchObject({ version: 3, reason: 'rollout', detail: 'stage 2 of 4: 10 %; bucket 1000 stays on production' });
    expect(assign({ policy: base(), production: 3, context: ctx(), bucket: 5 })).toEqual({ version: 3, bucket: 5, reason: 'default', detail: 'production version' });
  });

  it('puts nobody on the candidate unless the split is live', () => {
    for (const state of ['idle', 'completed', 'rolled_back'] as const) {
      expect(assign({ policy: running({ state }), production: 3, context: ctx(), bucket: 0 })).toMatchObject({ version: 3, reason: 'default' });
    }
    // Paused holds devices where they are.
    expect(assign({ policy: running({ state: 'paused' }), production: 3, context: ctx(), bucket: 0 })).toMatchObject({ version: 4, reason: 'rollout' });
  });

  it('splits by fixed weights', () => {
    const policy = base({ weights: { '3': 50, '4': 50 }, state: 'running' });
    expect(assign({ policy, production: 3, context: ctx(), bucket: 4999 })).toMatchObject({ version: 3, reason: 'rollout', detail: 'weights v3 50 %, v4 50 %' });
    expect(assign({ policy, production: 3, context: ctx(), bucket: 5000 })).toMatchObject({ version: 4, reason: 'rollout' });
  });

  it('gives nothing when nothing applies and nothing is in production', () => {
    expect(assign({ policy: base(), production: undefined, context: ctx(), bucket: 1 })).toBeNull();
    expect(assign({ policy: base({ pins: { 'install-0001': 2 } }), production: undefined, context: ctx(), bucket: 1 })).toMatchObject({ version: 2 });
  });
});

describe('targeting rules', () => {
  it.each<[string, Rule['when'], Partial<DeviceContext>, boolean]>([
    ['empty when matches all', {}, {}, true],
    ['platform, case-insensitive', { platform: ['Android', 'ios'] }, { platform: 'android' }, true],
    ['platform not listed', { platform: ['ios'] }, { platform: 'android' }, false],
    ['platform unknown', { platform: ['ios'] }, {}, false],
    ['app version in range', { appVersion: '>=1.4.0 <2' }, { appVersion: '1.4.2' }, true],
    ['app version out of range', { appVersion: '>=1.4.0 <2' }, { appVersion: '2.0.1' }, false],
    ['app version unknown', { appVersion: '>=1.4.0 <2' }, {}, false],
    ['app version not semver', { appVersion: '>=1' }, { appVersion: 'nightly' }, false],
    ['locale prefix', { locale: ['de', 'fr-CA'] }, { locale: 'de-CH' }, true],
    ['locale region exact', { locale: ['de', 'fr-CA'] }, { locale: 'fr-CA' }, true],
    ['locale other region', { locale: ['de', 'fr-CA'] }, { locale: 'fr-FR' }, false],
    ['webgpu required', { webgpu: true }, { webgpu: true }, true],
    ['webgpu required, unknown', { webgpu: true }, {}, false],
    ['webgpu absent required', { webgpu: false }, { webgpu: false }, true],
    ['attribute value', { attributes: { plan: 'pro' } }, { attributes: { plan: 'pro' } }, true],
    ['attribute one of', { attributes: { plan: ['pro', 'team'] } }, { attributes: { plan: 'team' } }, true],
    ['attribute other', { attributes: { plan: ['pro', 'team'] } }, { attributes: { plan: 'free' } }, false],
    ['attribute missing', { attributes: { plan: 'pro' } }, { attributes: { cohort: 'a' } }, false],
    ['all conditions must hold', { platform: ['android'], webgpu: true }, { platform: 'android', webgpu: false }, false],
  ])('%s', (_name, when, context, expected) => {
    expect(ruleMatches(rule(when), ctx(context))).toBe(expected);
  });

  it('first match wins', () => {
    const policy = base({ rules: [rule({ locale: ['de'] }, 5, 'german'), rule({}, 6, 'everyone')] });
    expect(assign({ policy, production: 3, context: ctx({ locale: 'de-AT' }), bucket: 0 })).toMatchObject({ version: 5, detail: 'rule "german"' });
    expect(assign({ policy, production: 3, context: ctx({ locale: 'en' }), bucket: 0 })).toMatchObject({ version: 6, detail: 'rule "everyone"' });
  });

  it('matches locale prefixes on whole subtags only', () => {
    expect(localeMatches('de_CH', 'de')).toBe(true);
    expect(localeMatches('dex', 'de')).toBe(false);
    expect(localeMatches('DE', 'de')).toBe(true);
  });
});
