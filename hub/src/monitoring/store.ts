import { and, count, eq } from 'drizzle-orm';
import type { InferenceRecord, IngestResult } from '@outpost/shared';
import { chunkRows, type Db } from '../db/client.ts';
import { inferences } from '../db/schema.ts';

const COLUMNS_PER_ROW = 12;

export function createInferenceStore(db: Db) {
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
      const statements = chunkRows(rows, COLUMNS_PER_ROW).map((chunk) =>
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
