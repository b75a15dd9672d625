import { createRoute, z } from '@hono/zod-openapi';
import type { HubDeps } from '../deps.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { createInferenceStore } from './store.ts';

const StoredRecordSchema = z
  .object({
    id: z.string(),
    deviceId: z.string(),
    seq: z.number().int(),
    modelVersion: z.number().int(),
    executionProvider: z.string(),
    createdAt: z.number().int(),
    receivedAt: z.number().int(),
    observedAt: z.number().int().openapi({ description: "When the prediction happened on the hub's clock: createdAt corrected by the upload's clock skew, never after receivedAt" }),
    flags: z.number().int().openapi({ description: 'Bitmask set by the hub: 1 = the device time was more than 23 h in the future and was clamped to receivedAt' }),
  })
  .openapi('StoredInferenceRecord');

const MAX_PAGE = 1000;

/** Admin reads of what devices uploaded. */
export function createMonitoringRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const inferences = createInferenceStore(deps.db);
  const app = createRouter<AdminEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/inferences',
      tags: ['monitoring'],
      summary: "A model's stored inference records (ids, devices, sequence numbers; no inputs or outputs), by id, one page at a time",
      request: {
        params: z.object({ project: NameSchema, model: NameSchema }),
        query: z.object({
          after: z.string().min(1).optional().openapi({ description: 'Return records whose id sorts after this one: the previous page\'s `next`' }),
          limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(MAX_PAGE).openapi({ description: `Most records per page (1–${MAX_PAGE}, default ${MAX_PAGE})` }),
        }),
      },
      responses: {
        200: {
          description: 'One page of records; `next` is null on the last page',
          content: { 'application/json': { schema: z.object({ records: z.array(StoredRecordSchema), next: z.string().nullable() }) } },
        },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      const { after, limit } = c.req.valid('query');
      await projects.require(project);
      await registry.requireModel(project, model);
      const records = await inferences.listIds(project, model, { after, limit });
      const next = records.length === limit ? records[records.length - 1]!.id : null;
      return c.json({ records, next }, 200);
    },
  );
  return app;
}
