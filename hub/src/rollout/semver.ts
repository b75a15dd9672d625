/**
 * A small semver comparator for targeting rules (`appVersion: ">=1.4.0 <2"`): enough of
 * https://semver.org and npm's range syntax for app versions, without a dependency.
 *
 * Versions: `MAJOR[.MINOR[.PATCH]][-prerelease][+build]`, a leading `v` allowed; missing parts are 0.
 * Ranges: comparators (`>=`, `>`, `<=`, `<`, `=` or none) separated by spaces, all of which must
 * hold; alternatives separated by `||`; `^1.2.3` and `~1.2.3`; `1.x` / `1.*` / `1` (any 1.y.z); `*`.
 * Pre-releases sort before their release (1.0.0-beta < 1.0.0) and are compared like any version.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: Array<string | number>;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** A version, or null when it is not one. @example parseVersion('1.4') // { major: 1, minor: 4, patch: 0, pre: [] } */
export function parseVersion(text: string): SemVer | null {
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  const pre = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre };
}

/** -1, 0 or 1, as `a` sorts before, with or after `b`. */
export function compareVersions(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Op = '<' | '<=' | '>' | '>=' | '=';
type Comparator = { op: Op; v: SemVer };

const v = (major: number, minor: number, patch: number, pre: Array<string | number> = []): SemVer => ({ major, minor, patch, pre });

/** One space-free term of a range as comparators (a partial version like `1.x` spans a range). */
function termComparators(term: string): Comparator[] | null {
  if (term === '*' || term === 'x' || term === 'X') return [];
  const m = /^(\^|~|>=|<=|>|<|=)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(term);
  if (!m) return null;
  const op = m[1] ?? '';
  const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  if (wild(m[2])) return op === '' || op === '=' || op === '>=' || op === '<=' ? [] : null;
  const major = Number(m[2]);
  const minorWild = wild(m[3]);
  const patchWild = minorWild || wild(m[4]);
  const minor = minorWild ? 0 : Number(m[3]);
  const patch = patchWild ? 0 : Number(m[4]);
  const pre = m[5] ? parseVersion(`0.0.0${m[5]}`)!.pre : [];
  const base = v(major, minor, patch, pre);
  // The first version past what a partial version covers: 1.x → 2.0.0, 1.4.x → 1.5.0.
  const next = minorWild ? v(major + 1, 0, 0) : patchWild ? v(major, minor + 1, 0) : null;
  switch (op) {
    case '^': {
      const upper = major > 0 || minorWild ? v(major + 1, 0, 0) : minor > 0 || patchWild ? v(0, minor + 1, 0) : v(0, 0, patch + 1);
      return [{ op: '>=', v: base }, { op: '<', v: upper }];
    }
    case '~':
      return [{ op: '>=', v: base }, { op: '<', v: minorWild ? v(major + 1, 0, 0) : v(major, minor + 1, 0) }];
    case '':
    case '=':
      return next ? [{ op: '>=', v: base }, { op: '<', v: next }] : [{ op: '=', v: base }];
    case '>':
      return [next ? { op: '>=', v: next } : { op: '>', v: base }];
    case '<=':
      return [next ? { op: '<', v: next } : { op: '<=', v: base }];
    default:
      return [{ op: op as Op, v: base }];
  }
}

/** A parsed range: alternatives (`||`), each a list of comparators that must all hold. */
export type Range = Comparator[][];

/** A range, or null with nothing usable in it. @example parseRange('>=1.4.0 <2') */
export function parseRange(text: string): Range | null {
  const alternatives = text.split('||').map((s) => s.trim());
  const out: Range = [];
  for (const alt of alternatives) {
    if (alt === '') return null;
    // `>= 1.4` (space after the operator) is one term.
    const terms = alt.replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/);
    const comparators: Comparator[] = [];
    for (const t of terms) {
      const c = termComparators(t);
      if (!c) return null;
      comparators.push(...c);
    }
    out.push(comparators);
  }
  return out;
}

function holds(c: Comparator, x: SemVer): boolean {
  const d = compareVersions(x, c.v);
  return c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : c.op === '>=' ? d >= 0 : d === 0;
}

/** Whether `version` is in `range`; false when either does not parse. @example satisfies('1.4.2', '>=1.4.0 <2') // true */
export function satisfies(version: string, range: string | Range): boolean {
  const x = parseVersion(version);
  const r = typeof range === 'string' ? parseRange(range) : range;
  if (!x || !r) return false;
  return r.some((all) => all.every((c) => holds(c, x)));
}
