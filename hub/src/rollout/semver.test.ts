import { describe, expect, it } from 'vitest';
import { compareVersions, parseRange, parseVersion, satisfies } from './semver.ts';

describe('semver comparator', () => {
  it('orders versions, pre-releases before their release', () => {
    const sorted = ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2', '1.10.0', '2'];
    const parsed = sorted.map((v) => parseVersion(v)!);
    for (let i = 1; i < parsed.length; i++) {
      expect(compareVersions(parsed[i - 1]!, parsed[i]!), `${sorted[i - 1]} < ${sorted[i]}`).toBe(-1);
      expect(compareVersions(parsed[i]!, parsed[i - 1]!)).toBe(1);
    }
    expect(compareVersions(parseVersion('v1.4')!, parseVersion('1.4.0+build.7')!)).toBe(0);
    expect(parseVersion('1.4.x')).toBeNull();
    expect(parseVersion('banana')).toBeNull();
  });

  it.each([
    ['1.4.0', '>=1.4.0 <2', true],
    ['1.9.12', '>=1.4.0 <2', true],
    ['2.0.0', '>=1.4.0 <2', false],
    ['1.3.9', '>=1.4.0 <2', false],
    ['2.0.0-beta', '>=1.4.0 <2', true], // a pre-release of 2 sorts before 2.0.0
    ['1.4.2', '>= 1.4 < 2', true],
    ['1.2.9', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.7.3', '1.x', true],
    ['2.0.0', '1.x', false],
    ['1.4.9', '1.4', true],
    ['1.5.0', '1.4', false],
    ['1.5.0', '<=1.4', false],
    ['1.4.7', '<=1.4', true],
    ['1.5.0', '>1.4', true],
    ['1.4.7', '>1.4', false],
    ['3.1.0', '<1 || >=3', true],
    ['2.1.0', '<1 || >=3', false],
    ['9.9.9', '*', true],
    ['1.2.3', '=1.2.3', true],
    ['1.2.4', '1.2.3', false],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses what is not a range, and a version that is not one', () => {
    for (const bad of ['', 'latest', '>=1.4.0 <', '>=a', '1.2.3.4', '|| 1']) expect(parseRange(bad), bad).toBeNull();
    expect(satisfies('not-a-version', '>=1')).toBe(false);
  });
});
