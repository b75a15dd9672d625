/** Column-level changes between two versions, from the columns parse.ts inferred. */
import type { DiffInput, SchemaDiff } from './types.ts';

/**
 * @example diffSchema({ rows: [], columns: [{ name: 'a', type: 'numeric', missing: 0 }] }, { rows: [], columns: [] });
 * // { added: [], removed: [{ name: 'a', type: 'numeric' }], typeChanged: [] }
 */
export function diffSchema(from: DiffInput, to: DiffInput): SchemaDiff {
  const fromTypes = new Map(from.columns.map((c) => [c.name, c.type]));
  const toTypes = new Map(to.columns.map((c) => [c.name, c.type]));
  const schema: SchemaDiff = { added: [], removed: [], typeChanged: [] };
  for (const c of to.columns) if (!fromTypes.has(c.name)) schema.added.push({ name: c.name, type: c.type });
  for (const c of from.columns) {
    const toType = toTypes.get(c.name);
    if (toType === undefined) schema.removed.push({ name: c.name, type: c.type });
    else if (toType !== c.type) schema.typeChanged.push({ name: c.name, from: c.type, to: toType });
  }
  return schema;
}
