import { createRoute, z } from '@hono/zod-openapi';
import type { HubDeps } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { createProjectStore } from './store.ts';
import { jsonBodyLimit } from '../http/limits.ts';

const KeyCreated = z
  .object({ project: z.string(), projectKey: z.string().describe('Shown once; the hub keeps only its hash. Ship it in your app.') })
  .openapi('ProjectKey');

export function createProjectRoutes(deps: HubDeps) {
  const store = createProjectStore(deps.db);
  const app = createRouter();
  app.use('/projects', jsonBodyLimit(deps));

  async function newKey(project: string) {
    const projectKey = generateToken('opk');
    await store.addKey(project, await hashToken(projectKey), deps.clock());
    return { project, projectKey };
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects',
      tags: ['projects'],
      summary: 'Create a project and its first project key',
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ id: NameSchema }) } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: KeyCreated } } },
        ...errorResponses(400, 401, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('json');
      await store.create(id, deps.clock());
      return c.json(await newKey(id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects',
      tags: ['projects'],
      summary: 'List projects',
      responses: {
        200: { description: 'Projects', content: { 'application/json': { schema: z.object({ projects: z.array(z.object({ id: z.string(), createdAt: z.number() })) }) } } },
        ...errorResponses(401),
      },
    }),
    async (c) => c.json({ projects: await store.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/keys',
      tags: ['projects'],
      summary: 'Create another project key (for another app or to rotate)',
      request: { params: z.object({ project: NameSchema }) },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: KeyCreated } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      await store.require(project);
      return c.json(await newKey(project), 201);
    },
  );
  // The hub's signing keys (GET/POST /signing-keys) live with the registry: registry/key-routes.ts.
  return app;
}
