import { createRoute } from '@hono/zod-openapi';
import { IngestBatchSchema, IngestResultSchema } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import type { ProjectEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { deviceBodyLimit } from '../http/limits.ts';
import { errorResponses } from '../http/schemas.ts';
import { createInferenceStore } from './store.ts';

/** Devices upload their inference logs here (project key). */
export function createIngestRoutes(deps: HubDeps) {
  const store = createInferenceStore(deps.db, deps.sqlMaxParams);
  const app = createRouter<ProjectEnv>();
  app.use('/inferences', deviceBodyLimit('inference uploads', 'send smaller batches'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/inferences',
      tags: ['device'],
      summary: 'Upload a batch of inference records; records already stored (same id) are ignored',
      security: [{ projectKey: [] }],
      request: { body: { required: true, content: { 'application/json': { schema: IngestBatchSchema } } } },
      responses: {
        200: { description: 'Stored', content: { 'application/json': { schema: IngestResultSchema } } },
        ...errorResponses(400, 401, 413, 429),
      },
    }),
    async (c) => {
      const batch = c.req.valid('json');
      const result = await store.insert(c.get('projectId'), batch.deviceId, batch.records, deps.clock());
      return c.json(result, 200);
    },
  );
  return app;
}
