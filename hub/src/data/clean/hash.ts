import { sha256Hex } from '@outpost/shared';
import { parseRecipe, type RecipeInput } from './schema.ts';

/**
 * SHA-256 hex of the parsed recipe (defaults filled) as canonical JSON: object keys sorted, arrays
 * in order. So `{ keep: 'first' }` and no `keep`, or the same steps written with keys in another
 * order, hash alike; a different step order does not.
 * @example await recipeHash({ name: 'r', steps: [{ op: 'trim' }] }); // '…64 hex digits…'
 */
export async function recipeHash(recipe: RecipeInput): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(parseRecipe(recipe))));
}

/**
 * JSON with object keys sorted by code unit; undefined properties left out, as JSON.stringify does.
 * @example canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
