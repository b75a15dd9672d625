import { and, count, eq } from 'drizzle-orm';
import type { InferenceRecord, IngestResult } from '@outpost/shared';
import { chunkRows, D1_MAX_BOUND_PARAMS, type Db } from '../db/client.ts';
import { inferences } from '../db/schema.ts';

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
  };
}
export type InferenceStore = ReturnType<typeof createInferenceStore>;
