import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { InferenceRecord, IngestResult } from '@outpost/shared';
import { chunkRows, D1_MAX_BOUND_PARAMS, type Db } from '../db/client.ts';
import { inferences } from '../db/schema.ts';
import { countDistinct, gte, sql } from 'drizzle-orm';

const COLUMNS_PER_ROW = 12;

/** `maxParams`: the driver's bound-parameter limit (default: D1's, the strictest). */
export function createInferenceStore(db: Db, maxParams = D1_MAX_BOUND_PARAMS) {
  return {
    /**
     * Store a device's records in one atomic batch; records whose id the project already has are
     * ignored, so a retried upload counts each prediction once.
     */
    async insert(projectId: string, deviceId: string, records: readonly InferenceRecord[], receivedAt: number): Promise<IngestResult> {
      const rows = records.map((r) => ({
        projectId,
        id: r.id,
        deviceId,
        seq: r.seq,
        model: r.model,
        modelVersion: r.modelVersion,
        executionProvider: r.executionProvider,
        latencyMs: r.latencyMs,
        createdAt: r.createdAt,
        receivedAt,
        input: r.input,
        output: r.output,
      }));
      // One statement per chunk the driver allows (1 on libSQL, 63 on D1 for 500 records), all in
      // one atomic batch. drizzle's builder is most of the cost on libSQL (~3× the raw insert at 500
      // rows, `npm run bench`); a raw statement would not batch on D1.
      const statements = chunkRows(rows, COLUMNS_PER_ROW, maxParams).map((chunk) =>
        db.insert(inferences).values(chunk).onConflictDoNothing().returning({ id: inferences.id }),
      );
      const [first, ...rest] = statements;
      if (!first) return { accepted: 0, duplicates: 0 };
      const results = await db.batch([first, ...rest]);
      const accepted = results.reduce((n, r) => n + (r as unknown[]).length, 0);
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
