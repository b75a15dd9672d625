import { createRoute, z } from '@hono/zod-openapi';
import type { HubDeps } from '../deps.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { DRIFT_DEFAULTS } from './drift-engine/index.ts';
import { createDriftService, DRIFT_MAX_RECORDS } from './drift-service.ts';
import { createRegistryStore } from '../registry/store.ts';
import { operations } from './operations.ts';
import { DAY, bucketQuery, windowOf, windowQuery } from './window.ts';

/** Longest window one report covers. */
export const DRIFT_MAX_WINDOW_MS = 90 * DAY;

const Counts = z.object({ n: z.number(), missing: z.number(), nan: z.number(), infinite: z.number(), wrongType: z.number(), outOfRange: z.number(), newCategory: z.number() });
const ColumnDriftSchema = z
  .object({
    column: z.string(),
    kind: z.enum(['numeric', 'categorical']),
    test: z.enum(['ks', 'chi_square', 'z', 'wasserstein', 'jensen_shannon']).nullable(),
    statistic: z.number().nullable(),
    pValue: z.number().nullable().openapi({ description: 'Raw p-value (KS, chi-square, Z); null for the distance tests' }),
    pValueBonferroni: z.number().nullable(),
    pValueBH: z.number().nullable().openapi({ description: 'Benjamini–Hochberg adjusted across the report\'s columns' }),
    threshold: z.number(),
    effectSize: z.number().nullable().openapi({ description: "KS: D; chi-square: Cohen's w; Z: Cohen's h; distances: the distance" }),
    psi: z.number().nullable(),
    drifted: z.boolean().nullable(),
    verdict: z.enum(['drift', 'no drift', 'insufficient data']),
    reason: z.string().optional(),
    counts: Counts,
    rates: Counts.omit({ n: true }),
    histogram: z.union([
      z.object({ kind: z.literal('bins'), edges: z.array(z.number()), reference: z.array(z.number()), current: z.number().array(), below: z.number(), above: z.number() }),
      z.object({ kind: z.literal('categories'), values: z.array(z.string()), reference: z.array(z.number()), current: z.array(z.number()) }),
    ]).openapi({ description: 'Reference and current counts over the same bins (numeric: a slot below the reference range, its bins, a slot above) or categories' }),
  })
  .openapi('ColumnDrift');

export const DriftReportSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    from: z.number().int(),
    to: z.number().int(),
    records: z.number().int(),
    truncated: z.boolean().openapi({ description: `The window held more than ${DRIFT_MAX_RECORDS.toLocaleString('en')} records: the oldest were folded` }),
    columns: z.array(ColumnDriftSchema),
    dataset: z.object({ tested: z.number().int(), driftedColumns: z.number().int(), share: z.number().nullable(), driftShare: z.number(), drifted: z.boolean().nullable() }),
    options: z.object({ minSamples: z.number(), smallReferenceRows: z.number(), pThreshold: z.number(), distanceThreshold: z.number(), correction: z.enum(['none', 'bonferroni', 'bh']), driftShare: z.number() }),
  })
  .openapi('DriftReport');

/** Admin reads of monitoring: drift of a version's live inputs and outputs against its reference profile, and operational metrics. */
export function createDriftRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const drift = createDriftService(deps);
  const registry = createRegistryStore(deps.db);
  const app = createRouter<AdminEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/monitoring/drift',
      tags: ['monitoring'],
      summary: "Drift of a version's live inputs and outputs against its reference profile, per feature and for the dataset",
      description:
        "Tests chosen as Evidently's defaults: for a reference of ≤ 1000 rows, two-sample KS (numeric with more than 5 distinct values), chi-square (categories) or a Z-test (two), drift at p < 0.05; for a larger reference, normalised Wasserstein (numeric) or Jensen–Shannon (categories), drift at ≥ 0.1. PSI beside every test; raw, Bonferroni and Benjamini–Hochberg p-values; below `minSamples` values a column is 'insufficient data'. Windows are on the hub's clock (the devices' time corrected for clock skew).",
      request: {
        params: z.object({ project: NameSchema, model: NameSchema }),
        query: z.object({
          version: z.coerce.number().int().positive().optional().openapi({ description: 'Default: the version the production alias points at' }),
          ...windowQuery('24 h'),
          correction: z.enum(['none', 'bonferroni', 'bh']).default('none').openapi({ description: 'Which p-value decides the verdicts (default: the raw one, as Evidently)' }),
          minSamples: z.coerce.number().int().min(1).max(1_000_000).default(DRIFT_DEFAULTS.minSamples).openapi({ description: 'Fewer values in a column: insufficient data' }),
        }),
      },
      responses: {
        200: { description: 'Drift report', content: { 'application/json': { schema: DriftReportSchema } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      const q = c.req.valid('query');
      await projects.require(project);
      const { from, to } = windowOf(q, deps.clock(), { spanMs: DAY, maxSpanMs: DRIFT_MAX_WINDOW_MS });
      const report = await drift.report({ project, model, version: q.version, from, to, options: { correction: q.correction, minSamples: q.minSamples } });
      return c.json(report, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/monitoring/operations',
      tags: ['monitoring'],
      summary: 'Operational metrics: predictions, errors and devices per version over time, latency percentiles by version and execution provider, sequence gaps and queue drops',
      request: {
        params: z.object({ project: NameSchema, model: NameSchema }),
        query: z.object({
          ...windowQuery('24 h'),
          ...bucketQuery(3_600_000, '1 h'),
        }),
      },
      responses: {
        200: {
          description: 'Operational metrics',
          content: {
            'application/json': {
              schema: z
                .object({
                  from: z.number().int(),
                  to: z.number().int(),
                  bucketMs: z.number().int(),
                  series: z.array(z.object({ at: z.number().int(), version: z.number().int(), predictions: z.number().int(), errors: z.number().int(), devices: z.number().int() })),
                  latency: z.array(z.object({ version: z.number().int(), provider: z.string(), n: z.number().int(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })),
                  sequenceGaps: z.object({ devices: z.number().int(), gaps: z.number().int() }),
                  queueDrops: z.object({ devices: z.number().int(), dropped: z.record(z.string(), z.number()) }),
                })
                .openapi('Operations'),
            },
          },
        },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      const q = c.req.valid('query');
      await projects.require(project);
      await registry.requireModel(project, model);
      const { from, to } = windowOf(q, deps.clock(), { spanMs: DAY, bucketMs: q.bucket });
      return c.json(await operations(deps, project, model, { from, to, bucketMs: q.bucket }), 200);
    },
  );
  return app;
}
