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
