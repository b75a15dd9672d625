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

/** A statement in SQLite's own words: `?` placeholders and their values, in order. */
export interface RawStatement {
  sql: string;
  args: readonly (string | number | null)[];
}

/**
 * Run statements as one atomic batch on the driver under `db` (libSQL's `batch(…, 'write')`, D1's
 * `batch`), without drizzle, and return the rows each one changed. For the hot write paths only: a
 * drizzle statement of 7,000 values costs ~2 ms per batch to build (a chunk per value), more than
 * the libSQL insert it feeds. A drizzle query builder joins the batch as its `.toSQL()`.
 * @example await rawBatch(db, [{ sql: 'insert into t (a) values (?)', args: [1] }]) // [1]
 */
export async function rawBatch(db: Db, statements: readonly RawStatement[]): Promise<number[]> {
  const client = (db as unknown as { $client: LibSqlBatch | D1Batch }).$client;
  if ('prepare' in client) {
    const results = await client.batch(statements.map((s) => client.prepare(s.sql).bind(...s.args)));
    return results.map((r) => r.meta.changes);
  }
  const results = await client.batch(statements.map((s) => ({ sql: s.sql, args: [...s.args] })), 'write');
  return results.map((r) => r.rowsAffected);
}

/** The slices of the two drivers' clients rawBatch uses (libSQL's Client, D1Database). */
interface LibSqlBatch {
  batch(statements: { sql: string; args: (string | number | null)[] }[], mode: 'write'): Promise<{ rowsAffected: number }[]>;
}
interface D1Batch {
  prepare(sql: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<{ meta: { changes: number } }[]>;
}
