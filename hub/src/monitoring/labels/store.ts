import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { FeedbackItem } from '@outpost/shared';
import { chunkRows, D1_MAX_BOUND_PARAMS, type Db } from '../../db/client.ts';
import { feedback, inferences } from '../../db/schema.ts';

/** Late labels, and the joins of them with the predictions they label. */
export function createFeedbackStore(db: Db, maxParams = D1_MAX_BOUND_PARAMS) {
  return {
    /** Store labels; a later label for the same prediction replaces the earlier one. One atomic batch, chunked for D1. */
    async upsert(projectId: string, deviceId: string, items: readonly FeedbackItem[], receivedAt: number): Promise<number> {
      // The last label per prediction in the upload wins (an upsert twice in one statement is an error).
      const latest = new Map(items.map((i) => [i.predictionId, i]));
      const rows = [...latest.values()].map((i) => ({ projectId, predictionId: i.predictionId, deviceId, label: i.label ?? null, value: i.value ?? null, receivedAt }));
      const statements = chunkRows(rows, 6, maxParams).map((chunk) =>
        db
          .insert(feedback)
          .values(chunk)
          .onConflictDoUpdate({ target: [feedback.projectId, feedback.predictionId], set: { deviceId: sql`excluded.device_id`, label: sql`excluded.label`, value: sql`excluded.value`, receivedAt: sql`excluded.received_at` } }),
      );
      const [first, ...rest] = statements;
      if (first) await db.batch([first, ...rest]);
      return rows.length;
    },

    /**
     * Labeled classifications of a model over [from, to) of observed time: counts per version,
     * time bucket, predicted label and true label (labels that name no prediction yet are left out).
     */
    async classPairs(projectId: string, model: string, w: { from: number; to: number; bucketMs: number }) {
      const bucket = sql<number>`cast((${inferences.observedAt} - ${w.from}) / ${w.bucketMs} as integer)`;
      const predicted = sql<string>`json_extract(${inferences.output}, '$.label')`;
      const rows = await db
        .select({ version: inferences.modelVersion, bucket, predicted, truth: feedback.label, n: sql<number>`count(*)` })
        .from(feedback)
        .innerJoin(inferences, and(eq(inferences.projectId, feedback.projectId), eq(inferences.id, feedback.predictionId)))
        .where(and(eq(feedback.projectId, projectId), eq(inferences.model, model), gte(inferences.observedAt, w.from), lt(inferences.observedAt, w.to), sql`${feedback.label} is not null`, sql`${predicted} is not null`))
        .groupBy(inferences.modelVersion, bucket, predicted, feedback.label);
      return rows.map((r) => ({ ...r, bucket: Number(r.bucket), n: Number(r.n), truth: r.truth! }));
    },

    /** Labeled regressions: per version and bucket, how many and the sum of absolute errors. */
    async valueErrors(projectId: string, model: string, w: { from: number; to: number; bucketMs: number }) {
      const bucket = sql<number>`cast((${inferences.observedAt} - ${w.from}) / ${w.bucketMs} as integer)`;
      const predicted = sql<number>`json_extract(${inferences.output}, '$.value')`;
      const rows = await db
        .select({ version: inferences.modelVersion, bucket, n: sql<number>`count(*)`, sumAbs: sql<number>`sum(abs(${predicted} - ${feedback.value}))` })
        .from(feedback)
        .innerJoin(inferences, and(eq(inferences.projectId, feedback.projectId), eq(inferences.id, feedback.predictionId)))
        .where(and(eq(feedback.projectId, projectId), eq(inferences.model, model), gte(inferences.observedAt, w.from), lt(inferences.observedAt, w.to), sql`${feedback.value} is not null`, sql`${predicted} is not null`))
        .groupBy(inferences.modelVersion, bucket);
      return rows.map((r) => ({ ...r, bucket: Number(r.bucket), n: Number(r.n), sumAbs: Number(r.sumAbs) }));
    },

    /** Predictions per version and bucket (what share of them is labeled). */
    async predictions(projectId: string, model: string, w: { from: number; to: number; bucketMs: number }) {
      const bucket = sql<number>`cast((${inferences.observedAt} - ${w.from}) / ${w.bucketMs} as integer)`;
      const rows = await db
        .select({ version: inferences.modelVersion, bucket, n: sql<number>`count(*)` })
        .from(inferences)
        .where(and(eq(inferences.projectId, projectId), eq(inferences.model, model), gte(inferences.observedAt, w.from), lt(inferences.observedAt, w.to), sql`json_extract(${inferences.output}, '$.error') is null`))
        .groupBy(inferences.modelVersion, bucket);
      return rows.map((r) => ({ ...r, bucket: Number(r.bucket), n: Number(r.n) }));
    },
  };
}
