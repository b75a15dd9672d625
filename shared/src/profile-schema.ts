import { z } from 'zod';
import type { DatasetProfile } from './profile/index.ts';

const QuantilesSchema = z.object({ p1: z.number(), p5: z.number(), p25: z.number(), p50: z.number(), p75: z.number(), p95: z.number(), p99: z.number() });

export const ColumnProfileSchema = z.object({
  name: z.string(),
  type: z.enum(['numeric', 'categorical', 'datetime']),
  count: z.number().int(),
  missing: z.number().int(),
  typeMismatches: z.number().int(),
  distinct: z.object({ value: z.number(), exact: z.boolean() }),
  numeric: z
    .object({
      min: z.number(),
      max: z.number(),
      mean: z.number(),
      std: z.number(),
      quantiles: QuantilesSchema,
      quantilesExact: z.boolean(),
      histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number()), exact: z.boolean() }),
    })
    .optional(),
  categorical: z
    .object({ top: z.array(z.object({ value: z.string(), count: z.number() })), otherCount: z.number(), exact: z.boolean() })
    .optional(),
});

/** The wire shape of a dataset profile (what `GET …/versions/{v}/profile` answers). */
export const DatasetProfileSchema = z.object({
  rowCount: z.number().int(),
  columns: z.array(ColumnProfileSchema),
  correlations: z.object({ columns: z.array(z.string()), pearson: z.array(z.array(z.number().nullable())) }),
  accuracy: z.object({ quantiles: z.string(), distinct: z.string(), topK: z.string() }),
});

// The schema and the profiler's result type must not drift apart: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesProfile: Same<z.infer<typeof DatasetProfileSchema>, DatasetProfile> = true;
void schemaMatchesProfile;

/** References with at most this many rows keep their raw numeric values (`sample`): exact two-sample KS needs them (Evidently's rule: KS for references of ≤ 1000 rows). */
export const REFERENCE_SAMPLE_MAX_ROWS = 1000;

/** A model version's reference: its training rows' features and its outputs on them, profiled; and, for a small reference, the raw numeric values. */
export const ReferenceProfileSchema = z.object({
  features: DatasetProfileSchema,
  outputs: DatasetProfileSchema,
  /**
   * Every reference row's finite values per numeric column (feature names, and the outputs'
   * `p(class)` / `prediction`), in row order; absent when the reference has more than
   * REFERENCE_SAMPLE_MAX_ROWS rows or was made before samples were kept.
   */
  sample: z.object({ rows: z.number().int(), columns: z.record(z.string(), z.array(z.number())) }).optional(),
});
export type ReferenceProfile = z.infer<typeof ReferenceProfileSchema>;
