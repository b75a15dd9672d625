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

/**
 * Bound parameters one statement may carry: D1 allows 100, SQLite (libSQL) 32766. Multi-row
 * inserts are chunked to fit; fewer, larger statements are several times faster where allowed.
 */
export const D1_MAX_BOUND_PARAMS = 100;
export const SQLITE_MAX_BOUND_PARAMS = 32_766;

export function chunkRows<T>(rows: readonly T[], columnsPerRow: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / columnsPerRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
