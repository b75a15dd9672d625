import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type * as schema from './schema.ts';

/**
 * The database every store receives: drizzle over libSQL (Node) or D1 (Workers).
 * Both drivers are async SQLite with an atomic `batch`; entries cast their driver to this type.
 */
export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema> & {
  batch: LibSQLDatabase<typeof schema>['batch'];
};

/** D1 binds at most 100 parameters per statement; chunk multi-row inserts to fit. */
export const MAX_BOUND_PARAMS = 100;

export function chunkRows<T>(rows: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_BOUND_PARAMS / columnsPerRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
