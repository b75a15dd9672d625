import { and, asc, count, eq, getTableColumns, gt } from 'drizzle-orm';
import type { DeviceHealthReport, InferenceRecord, IngestResult } from '@outpost/shared';
import { chunkRows, D1_MAX_BOUND_PARAMS, rawBatch, type Db, type RawStatement } from '../db/client.ts';
import { deviceHealth, inferences } from '../db/schema.ts';
import { countDistinct, gte, lt, sql } from 'drizzle-orm';
import { clockSkew, observedTime } from './clock-skew.ts';

/**
 * The columns of `inferences` in the table's order, as an ingest statement fills them: `batch`
 * ones take one value per statement (the same for every record of an upload), the others one per
 * row, as `columnN` of a VALUES list (insertSql).
 */
const COLUMNS = [
  ['projectId', 'batch'], ['id', 'row'], ['deviceId', 'batch'], ['seq', 'row'], ['model', 'row'], ['modelVersion', 'row'], ['executionProvider', 'row'],
  ['latencyMs', 'row'], ['createdAt', 'row'], ['receivedAt', 'batch'], ['observedAt', 'row'], ['flags', 'row'], ['input', 'row'], ['output', 'row'],
] as const;
// Refuse to start rather than store values in the wrong columns after a schema change.
if (Object.keys(getTableColumns(inferences)).join() !== COLUMNS.map(([name]) => name).join()) throw new Error('monitoring/store.ts: COLUMNS no longer match the inferences table');
const BATCH_VALUES = COLUMNS.filter(([, from]) => from === 'batch').length;
const ROW_VALUES = COLUMNS.length - BATCH_VALUES;

/**
 * `insert into inferences (…) select ?, column1, ?, column2, … from (values (?, …), (?, …)) where true
 * on conflict do nothing` for `rows` rows: the `batch` values bound once per statement, in COLUMNS'
 * order, then each row's. Memoised by row count: an upload's statements are all full but the last.
 * `where true` keeps `on conflict` from parsing as a join's `on`.
 */
const INSERT_HEAD = (() => {
  let r = 0;
  const names = COLUMNS.map(([name]) => getTableColumns(inferences)[name].name).join(', ');
  return `insert into inferences (${names}) select ${COLUMNS.map(([, from]) => (from === 'batch' ? '?' : `column${++r}`)).join(', ')} from (values `;
})();
const VALUES_ROW = `(${new Array(ROW_VALUES).fill('?').join(', ')})`;
const insertSqlByRows = new Map<number, string>();
function insertSql(rows: number): string {
  let text = insertSqlByRows.get(rows);
  if (text === undefined) {
    text = `${INSERT_HEAD}${new Array(rows).fill(VALUES_ROW).join(', ')}) where true on conflict do nothing`;
    insertSqlByRows.set(rows, text);
  }
  return text;
}

/**
 * Store a device's health report, keeping per reason the largest count seen: the counters are
 * cumulative, so a retried (older) upload must not lower them. Merged inside SQLite, atomically.
 */
function upsertHealth(db: Db, projectId: string, deviceId: string, health: DeviceHealthReport, reportedAt: number) {
  return db
    .insert(deviceHealth)
    .values({ projectId, deviceId, model: health.model, dropped: health.dropped, reportedAt })
    .onConflictDoUpdate({
      target: [deviceHealth.projectId, deviceHealth.deviceId, deviceHealth.model],
      set: {
        dropped: sql`(select json_group_object(key, most) from (select key, max(value) as most from (
          select key, value from json_each(${deviceHealth.dropped}) union all select key, value from json_each(excluded.dropped)
        ) group by key))`,
        reportedAt: sql`max(${deviceHealth.reportedAt}, excluded.reported_at)`,
      },
    });
}

/** `maxParams`: the driver's bound-parameter limit (default: D1's, the strictest). */
export function createInferenceStore(db: Db, maxParams = D1_MAX_BOUND_PARAMS) {
  return {
    /**
     * Store a device's records in one atomic batch; records whose id the project already has are
     * ignored, so a retried upload counts each prediction once. Each record's `observedAt` is its
     * `createdAt` moved by the upload's clock skew (`sentAt`, the device clock at send), never after
     * `receivedAt` (clock-skew.ts). A `health` report is stored in the same batch.
     * @example await store.insert('demo', batch.deviceId, batch.records, Date.now(), { sentAt: batch.sentAt, health: batch.health });
     */
    async insert(
      projectId: string,
      deviceId: string,
      records: readonly InferenceRecord[],
      receivedAt: number,
      from: { sentAt?: number | undefined; health?: DeviceHealthReport | undefined } = {},
    ): Promise<IngestResult> {
      const skew = clockSkew(receivedAt, from.sentAt);
      const rows = records.map((r) => {
        const { observedAt, flags } = observedTime(r.createdAt, receivedAt, skew);
        // The `row` values of COLUMNS, in order.
        return [r.id, r.seq, r.model, r.modelVersion, r.executionProvider, r.latencyMs, r.createdAt, observedAt, flags, JSON.stringify(r.input), JSON.stringify(r.output)];
      });
      // One statement per chunk the driver allows (1 on libSQL, 63 on D1 for 500 records), all in
      // one atomic batch with the health report; written without drizzle (rawBatch).
      const batch = [projectId, deviceId, receivedAt];
      const statements = chunkRows(rows, ROW_VALUES, maxParams - BATCH_VALUES).map((chunk) => ({ sql: insertSql(chunk.length), args: [...batch, ...chunk.flat()] }));
      if (statements.length === 0 && !from.health) return { accepted: 0, duplicates: 0 };
      const health = from.health ? [upsertHealth(db, projectId, deviceId, from.health, receivedAt).toSQL()] : [];
      const changes = await rawBatch(db, [...statements, ...health.map((h) => ({ sql: h.sql, args: h.params as RawStatement['args'] }))]);
      const accepted = changes.slice(0, statements.length).reduce((n, c) => n + c, 0);
      return { accepted, duplicates: records.length - accepted };
    },

    /** Synced predictions per model version. */
    async countByVersion(projectId: string, model: string): Promise<Map<number, number>> {
      const rows = await db
        .select({ version: inferences.modelVersion, n: count() })
        .from(inferences)
        .where(and(eq(inferences.projectId, projectId), eq(inferences.model, model)))
        .groupBy(inferences.modelVersion);
      return new Map(rows.map((r) => [r.version, r.n]));
    },

    /**
     * A model's stored records without their inputs and outputs, ordered by id, `limit` after the
     * id `after`: which ids the hub holds (the fault tests count lost and doubled records with it).
     */
    async listIds(projectId: string, model: string, page: { after?: string | undefined; limit: number }) {
      const rows = await db
        .select({
          id: inferences.id,
          deviceId: inferences.deviceId,
          seq: inferences.seq,
          modelVersion: inferences.modelVersion,
          executionProvider: inferences.executionProvider,
          createdAt: inferences.createdAt,
          receivedAt: inferences.receivedAt,
          observedAt: inferences.observedAt,
          flags: inferences.flags,
        })
        .from(inferences)
        .where(and(eq(inferences.projectId, projectId), eq(inferences.model, model), page.after === undefined ? undefined : gt(inferences.id, page.after)))
        .orderBy(asc(inferences.id))
        .limit(page.limit);
      return rows;
    },

    /**
     * What rollout guards judge, per model version, over the records the hub received since `since`:
     * samples, failed predictions (output `{ error }`), and for each of `versions` the nearest-rank
     * p95 of reported latency (one indexed `LIMIT 1 OFFSET` query per version: nothing is loaded in bulk).
     */
    async guardMetrics(projectId: string, model: string, since: number, versions: readonly number[]) {
      const where = and(eq(inferences.projectId, projectId), eq(inferences.model, model), gte(inferences.receivedAt, since));
      const rows = await db
        .select({
          version: inferences.modelVersion,
          samples: count(),
          errors: sql<number>`coalesce(sum(case when json_extract(${inferences.output}, '$.error') is not null then 1 else 0 end), 0)`,
        })
        .from(inferences)
        .where(where)
        .groupBy(inferences.modelVersion);
      const out = new Map<number, { samples: number; errors: number; errorRate: number | null; p95LatencyMs: number | null }>();
      for (const r of rows) {
        const errors = Number(r.errors);
        let p95: number | null = null;
        if (versions.includes(r.version) && r.samples > 0) {
          const [hit] = await db
            .select({ latency: inferences.latencyMs })
            .from(inferences)
            .where(and(where, eq(inferences.modelVersion, r.version)))
            .orderBy(asc(inferences.latencyMs))
            .limit(1)
            .offset(Math.max(0, Math.ceil(0.95 * r.samples) - 1));
          p95 = hit?.latency ?? null;
        }
        out.set(r.version, { samples: r.samples, errors, errorRate: r.samples > 0 ? errors / r.samples : null, p95LatencyMs: p95 });
      }
      return out;
    },

    /**
     * One page of a model version's records observed in [from, to), oldest first, after the
     * (observedAt, id) of the previous page's last record: what a drift window folds.
     */
    async windowPage(projectId: string, model: string, version: number, window: { from: number; to: number }, page: { after?: { observedAt: number; id: string } | undefined; limit: number }) {
      const after = page.after;
      return db
        .select({ id: inferences.id, observedAt: inferences.observedAt, input: inferences.input, output: inferences.output })
        .from(inferences)
        .where(
          and(
            eq(inferences.projectId, projectId),
            eq(inferences.model, model),
            eq(inferences.modelVersion, version),
            gte(inferences.observedAt, window.from),
            lt(inferences.observedAt, window.to),
            after ? sql`(${inferences.observedAt}, ${inferences.id}) > (${after.observedAt}, ${after.id})` : undefined,
          ),
        )
        .orderBy(asc(inferences.observedAt), asc(inferences.id))
        .limit(page.limit);
    },

    /**
     * Predictions and failed ones per version and time bucket of `bucketMs` over [from, to) of
     * observed time; bucket i starts at from + i·bucketMs.
     */
    async timeSeries(projectId: string, model: string, window: { from: number; to: number }, bucketMs: number) {
      const bucket = sql<number>`cast((${inferences.observedAt} - ${window.from}) / ${bucketMs} as integer)`;
      const rows = await db
        .select({
          bucket,
          version: inferences.modelVersion,
          predictions: count(),
          errors: sql<number>`coalesce(sum(case when json_extract(${inferences.output}, '$.error') is not null then 1 else 0 end), 0)`,
          devices: countDistinct(inferences.deviceId),
        })
        .from(inferences)
        .where(and(eq(inferences.projectId, projectId), eq(inferences.model, model), gte(inferences.observedAt, window.from), lt(inferences.observedAt, window.to)))
        .groupBy(bucket, inferences.modelVersion)
        .orderBy(bucket, inferences.modelVersion);
      return rows.map((r) => ({ ...r, bucket: Number(r.bucket), errors: Number(r.errors) }));
    },

    /**
     * Reported latency per version and execution provider over [from, to) of observed time:
     * nearest-rank p50, p95 and p99, each one indexed `LIMIT 1 OFFSET` query (nothing loaded in bulk).
     */
    async latency(projectId: string, model: string, window: { from: number; to: number }) {
      const where = and(eq(inferences.projectId, projectId), eq(inferences.model, model), gte(inferences.observedAt, window.from), lt(inferences.observedAt, window.to));
      const groups = await db
        .select({ version: inferences.modelVersion, provider: inferences.executionProvider, n: count() })
        .from(inferences)
        .where(where)
        .groupBy(inferences.modelVersion, inferences.executionProvider)
        .orderBy(inferences.modelVersion, inferences.executionProvider);
      const rank = async (g: (typeof groups)[number], q: number) => {
        const [hit] = await db
          .select({ latency: inferences.latencyMs })
          .from(inferences)
          .where(and(where, eq(inferences.modelVersion, g.version), eq(inferences.executionProvider, g.provider)))
          .orderBy(asc(inferences.latencyMs))
          .limit(1)
          .offset(Math.max(0, Math.ceil(q * g.n) - 1));
        return hit?.latency ?? null;
      };
      return Promise.all(groups.map(async (g) => ({ ...g, p50: await rank(g, 0.5), p95: await rank(g, 0.95), p99: await rank(g, 0.99) })));
    },

    /**
     * Records missing from the devices' sequences over [from, to) of observed time: per device,
     * max(seq) − min(seq) + 1 − distinct seqs, summed. Across the project's models, as a device's
     * SDK numbers all its records in one sequence. A gap is a record dropped on the device (its
     * queue full, expired, refused) or not synced yet; records lost before the first or after the
     * last one seen are not visible.
     */
    async sequenceGaps(projectId: string, window: { from: number; to: number }): Promise<{ devices: number; gaps: number }> {
      const perDevice = db
        .select({ gaps: sql<number>`max(${inferences.seq}) - min(${inferences.seq}) + 1 - count(distinct ${inferences.seq})`.as('gaps') })
        .from(inferences)
        .where(and(eq(inferences.projectId, projectId), gte(inferences.observedAt, window.from), lt(inferences.observedAt, window.to)))
        .groupBy(inferences.deviceId)
        .as('per_device');
      const [row] = await db.select({ devices: count(), gaps: sql<number>`coalesce(sum(${perDevice.gaps}), 0)` }).from(perDevice);
      return { devices: row?.devices ?? 0, gaps: Number(row?.gaps ?? 0) };
    },

    /** Queue drops by reason, summed over the devices' latest health reports for the model. */
    async queueDrops(projectId: string, model: string): Promise<{ devices: number; dropped: Record<string, number> }> {
      const rows = await db.select({ dropped: deviceHealth.dropped }).from(deviceHealth).where(and(eq(deviceHealth.projectId, projectId), eq(deviceHealth.model, model)));
      const dropped: Record<string, number> = {};
      for (const r of rows) for (const [reason, n] of Object.entries(r.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
      return { devices: rows.length, dropped };
    },

    /** Who runs what: distinct devices (and predictions) per version among the records received since `since`. */
    async versionMix(projectId: string, model: string, since: number): Promise<Array<{ version: number; devices: number; predictions: number }>> {
      return db
        .select({ version: inferences.modelVersion, devices: countDistinct(inferences.deviceId), predictions: count() })
        .from(inferences)
        .where(and(eq(inferences.projectId, projectId), eq(inferences.model, model), gte(inferences.receivedAt, since)))
        .groupBy(inferences.modelVersion)
        .orderBy(inferences.modelVersion);
    },
  };
}
export type InferenceStore = ReturnType<typeof createInferenceStore>;
