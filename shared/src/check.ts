/**
 * Tiny shape checks, without zod, for what the edge SDK reads off the wire (wire-check.ts). Why not
 * zod: it is ~90 kB gzip in a browser SDK whose goal is 15 kB. The hub keeps the zod schemas (they
 * validate requests and generate the OpenAPI docs); wire-check.test.ts runs both on generated
 * values so the two never drift apart.
 *
 * A check answers the first problem only: enough to refuse a value and name the field.
 */

/** Where a value is wrong and how. */
export interface Issue {
  /** Dot path from the root, as zod issues joined with '.': `manifest.features.features.0.std`. */
  path: string;
  message: string;
}

/** The first issue of `value` at `path`, or undefined when it has the shape. */
export type Check = (value: unknown, path: string) => Issue | undefined;

/** A checked value: `value` typed (the input itself, not a copy), or the first issue and `"path: message"`. */
export type Checked<T> = { ok: true; value: T } | { ok: false; issue: Issue; error: string };

const issue = (path: string, message: string): Issue => ({ path, message });

/** A string of `min`–`max` UTF-16 units matching `pattern` (`what` describes it in the message). */
export const string =
  (o: { min?: number; max?: number; pattern?: RegExp; what?: string } = {}): Check =>
  (v, path) =>
    typeof v !== 'string'
      ? issue(path, 'expected a string')
      : v.length < (o.min ?? 0)
        ? issue(path, `expected at least ${o.min} characters`)
        : v.length > (o.max ?? Infinity)
          ? issue(path, `expected at most ${o.max} characters`)
          : o.pattern && !o.pattern.test(v)
            ? issue(path, `expected ${o.what}`)
            : undefined;

/** A finite number (zod's z.number()); `int`: a safe integer (zod 4's .int()); `min`/`max` inclusive; `positive`: > 0. */
export const number =
  (o: { int?: boolean; min?: number; max?: number; positive?: boolean } = {}): Check =>
  (v, path) =>
    typeof v !== 'number' || !Number.isFinite(v)
      ? issue(path, 'expected a number')
      : o.int && !Number.isSafeInteger(v)
        ? issue(path, 'expected an integer')
        : (o.positive && v <= 0) || v < (o.min ?? -Infinity) || v > (o.max ?? Infinity)
          ? issue(path, `expected ${o.positive ? '> 0' : o.max === undefined ? `>= ${o.min}` : o.min === undefined ? `<= ${o.max}` : `${o.min} to ${o.max}`}`)
          : undefined;

/** One of these exact values. */
export const oneOf =
  (...values: readonly unknown[]): Check =>
  (v, path) =>
    values.includes(v) ? undefined : issue(path, `expected ${values.map((x) => JSON.stringify(x)).join(' or ')}`);

/** Absent (undefined) or passing `check`. */
export const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);

/** An array of `min` or more items, each passing `item`. */
export const array =
  (item: Check, min = 0): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return issue(path, 'expected an array');
    if (v.length < min) return issue(path, `expected at least ${min} items`);
    for (let i = 0; i < v.length; i++) {
      const found = item(v[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  };

/** A non-null, non-array object (as zod's z.object accepts). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An object with these fields; other fields are allowed (zod strips them, we ignore them) unless
 * `strict`, which refuses them (zod's .strict()).
 */
export const object =
  (shape: Record<string, Check>, strict = false): Check =>
  (v, path) => {
    if (!isObject(v)) return issue(path, 'expected an object');
    for (const key in shape) {
      const found = shape[key]!(v[key], `${path}.${key}`);
      if (found) return found;
    }
    if (strict) for (const key of Object.keys(v)) if (!(key in shape)) return issue(`${path}.${key}`, 'unexpected field');
    return undefined;
  };

/** An object used as a map: at most `max` entries, each key and value passing its check. */
export const record =
  (key: Check, value: Check, max = Infinity): Check =>
  (v, path) => {
    if (!isObject(v)) return issue(path, 'expected an object');
    const keys = Object.keys(v);
    for (const k of keys) {
      const found = key(k, `${path}.${k}`) ?? value(v[k], `${path}.${k}`);
      if (found) return found;
    }
    return keys.length > max ? issue(path, `expected at most ${max} entries`) : undefined;
  };

/**
 * `check`, then `rule` on the value that passed it (zod's .refine/.superRefine): `rule` answers
 * `[field, message]` for a problem, the field relative to `path`.
 */
export const refine =
  <T>(check: Check, rule: (value: T) => [field: string, message: string] | undefined): Check =>
  (v, path) => {
    const found = check(v, path);
    if (found) return found;
    const problem = rule(v as T);
    return problem && issue(`${path}.${problem[0]}`, problem[1]);
  };

/** Passing `a` or `b` (zod's z.union of two); when both fail, `b`'s issue. */
export const either =
  (a: Check, b: Check): Check =>
  (v, path) =>
    a(v, path) && b(v, path);

/** One of several object shapes, told apart by the field `key` (zod's discriminatedUnion). */
export const variants =
  (key: string, shapes: Record<string, Check>): Check =>
  (v, path) => {
    if (!isObject(v)) return issue(path, 'expected an object');
    const tag = v[key];
    return typeof tag === 'string' && Object.hasOwn(shapes, tag) ? shapes[tag]!(v, path) : issue(`${path}.${key}`, `expected ${Object.keys(shapes).map((k) => `"${k}"`).join(' or ')}`);
  };

/**
 * Run `check` on `value` from `path`: the value typed as T, or the first issue.
 * @example checker<{ x: number }>(object({ x: number() }), { x: 'a' }, 'point') // { ok: false, issue: { path: 'point.x', … }, error: 'point.x: expected a number' }
 */
export function checker<T>(check: Check, value: unknown, path: string): Checked<T> {
  const found = check(value, path);
  return found ? { ok: false, issue: found, error: `${found.path}: ${found.message}` } : { ok: true, value: value as T };
}
