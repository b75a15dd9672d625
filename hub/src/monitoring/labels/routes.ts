// First: the router loads @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createRoute, z } from '@hono/zod-openapi';
import { FeedbackBatchSchema } from '@outpost/shared';
import type { AdminEnv, ProjectEnv } from '../../auth/middleware.ts';
import type { HubDeps } from '../../deps.ts';
import { deviceBodyLimit } from '../../http/limits.ts';
import { createRouter } from '../../http/router.ts';
import { errorResponses, NameSchema } from '../../http/schemas.ts';
import { createProjectStore } from '../../projects/store.ts';
import { createRegistryStore } from '../../registry/store.ts';
import { DAY, bucketQuery, windowOf, windowQuery } from '../window.ts';
import { classification, meanAbsoluteError } from './live-metrics.ts';
import { createFeedbackStore } from './store.ts';

/** Devices (project key) send late labels here: POST /v1/device/feedback. */
export function createFeedbackRoutes(deps: HubDeps) {
  const store = createFeedbackStore(deps.db, deps.sqlMaxParams);
  const app = createRouter<ProjectEnv>();
  app.use('/feedback', deviceBodyLimit('feedback uploads', 'send fewer labels at a time'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/feedback',
      tags: ['device'],
      summary: 'Late labels: the true class or value of past predictions, by prediction id; a later label for a prediction replaces the earlier one',
      description: "A label may arrive before its prediction syncs: it is stored, and counts once the prediction is there. A classifier's label that is not one of its classes counts as wrong.",
      security: [{ projectKey: [] }],
      request: { body: { required: true, content: { 'application/json': { schema: FeedbackBatchSchema } } } },
      responses: {
        200: { description: 'Stored', content: { 'application/json': { schema: z.object({ accepted: z.number().int() }) } } },
        ...errorResponses(400, 401, 413, 429),
      },
    }),
    async (c) => {
      const batch = c.req.valid('json');
      return c.json({ accepted: await store.upsert(c.get('projectId'), batch.deviceId, batch.items, deps.clock()) }, 200);
    },
  );
  return app;
}

const Quality = z.object({
  labeled: z.number().int(),
  predictions: z.number().int(),
  /** labeled ÷ predictions */
  coverage: z.number().nullable(),
  accuracy: z.number().nullable().optional(),
  macroF1: z.number().nullable().optional(),
  mae: z.number().nullable().optional(),
});

/** Admin reads of live quality: GET …/monitoring/accuracy. */
export function createAccuracyRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const store = createFeedbackStore(deps.db);
  const app = createRouter<AdminEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/monitoring/accuracy',
      tags: ['monitoring'],
      summary: 'Live quality from late labels, per version: accuracy and macro F1 (classifiers) or MAE (regressors), over the window and per time bucket, beside the version\'s offline test metrics',
      request: {
        params: z.object({ project: NameSchema, model: NameSchema }),
        query: z.object({
          ...windowQuery('7 days'),
          ...bucketQuery(DAY, '1 day'),
        }),
      },
      responses: {
        200: {
          description: 'Live quality per version',
          content: {
            'application/json': {
              schema: z
                .object({
                  from: z.number().int(),
                  to: z.number().int(),
                  bucketMs: z.number().int(),
                  versions: z.array(Quality.extend({ version: z.number().int(), offline: z.record(z.string(), z.number()).nullable(), series: z.array(Quality.extend({ at: z.number().int() })) })),
                })
                .openapi('LiveAccuracy'),
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
      const modelId = await registry.requireModel(project, model);
      const { from, to } = windowOf(q, deps.clock(), { spanMs: 7 * DAY, bucketMs: q.bucket });
      const w = { from, to, bucketMs: q.bucket };
      const [pairs, errors, counts, versions] = await Promise.all([store.classPairs(project, model, w), store.valueErrors(project, model, w), store.predictions(project, model, w), registry.listVersions(modelId)]);
      const quality = (version: number, bucket?: number) => {
        const inScope = <T extends { version: number; bucket: number }>(rows: T[]) => rows.filter((r) => r.version === version && (bucket === undefined || r.bucket === bucket));
        const predictions = inScope(counts).reduce((n, r) => n + r.n, 0);
        const regression = versions.find((v) => v.version === version)?.signature.features.label.task === 'regression';
        const metrics = regression
          ? meanAbsoluteError(inScope(errors).reduce((s, r) => s + r.sumAbs, 0), inScope(errors).reduce((n, r) => n + r.n, 0))
          : classification(inScope(pairs));
        return { ...metrics, predictions, coverage: predictions > 0 ? metrics.labeled / predictions : null };
      };
      const seen = [...new Set(counts.map((r) => r.version))].sort((a, b) => a - b);
      return c.json(
        {
          from,
          to,
          bucketMs: q.bucket,
          versions: seen.map((version) => ({
            version,
            ...quality(version),
            offline: versions.find((v) => v.version === version)?.metrics ?? null,
            series: [...new Set(counts.filter((r) => r.version === version).map((r) => r.bucket))].sort((a, b) => a - b).map((b) => ({ at: from + b * q.bucket, ...quality(version, b) })),
          })),
        },
        200,
      );
    },
  );
  return app;
}
