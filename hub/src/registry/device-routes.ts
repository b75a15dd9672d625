import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError, SignedManifestSchema } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import type { ProjectEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createRegistryStore } from './store.ts';
import { etagMatches } from './etag.ts';
import { createManifestSigner } from './manifest.ts';
import { ManifestResponseSchema, sha256Hex } from '@outpost/shared';
import { createRolloutService } from '../rollout/service.ts';
import { contextFromQuery } from '../rollout/context.ts';

/** What devices read (project key): the signed manifest of a model, and artifacts by hash. */
export function createDeviceRegistryRoutes(deps: HubDeps) {
  const registry = createRegistryStore(deps.db);
  const signer = createManifestSigner({ registry, keys: deps.keys, clock: deps.clock });
  const app = createRouter<ProjectEnv>();

  const rollouts = createRolloutService(deps);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{model}/manifest',
      tags: ['device'],
      summary: 'The signed manifest of the version this device should run, and why (its rollout assignment)',
      description:
        'The query is the device context (`deviceContextToQuery`): `installId`, `platform`, `appVersion`, `locale`, `webgpu` (1 or 0), `attr.<name>`. The version comes from the rollout: a QA pin, then the first matching targeting rule, then the split by stable bucket, else production. Without `installId` (an SDK that sends no context) it is the production version and there is no `assignment`. Answers 304 to an `If-None-Match` holding the current ETag.',
      security: [{ projectKey: [] }],
      request: {
        params: z.object({ model: NameSchema }),
        query: z.object({ installId: z.string().optional(), platform: z.string().optional(), appVersion: z.string().optional(), locale: z.string().optional(), webgpu: z.string().optional() }),
      },
      responses: {
        200: { description: 'Signed manifest with the assignment (unsigned)', content: { 'application/json': { schema: ManifestResponseSchema } } },
        304: { description: 'Not modified: `If-None-Match` holds the current ETag' },
        ...errorResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const { model } = c.req.valid('param');
      const project = c.get('projectId');
      const query = c.req.query();
      const context = query.installId === undefined ? undefined : contextFromQuery(query);
      const { modelId, version, assignment } = await rollouts.resolve(project, model, context);
      const signed = await signer.signedFor({ project, model, modelId }, version);
      const body = assignment ? { ...signed, assignment } : signed;
      // Same manifest bytes and same assignment, same tag: a poll with it costs a 304.
      const tag = (await sha256Hex(new TextEncoder().encode(JSON.stringify(body)))).slice(0, 32);
      const headers = { 'Cache-Control': 'no-cache', ETag: `"${tag}"` };
      if (etagMatches(c.req.header('if-none-match'), tag)) return c.body(null, 304, headers);
      return c.json(body, 200, headers);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/artifacts/{sha256}',
      tags: ['device'],
      summary: 'Model bytes by SHA-256 (immutable)',
      security: [{ projectKey: [] }],
      request: { params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256') }) },
      responses: {
        200: { description: 'ONNX bytes', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
        304: { description: 'Not modified: `If-None-Match` holds this ETag (`"<sha256>"`)' },
        ...errorResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const { sha256 } = c.req.valid('param');
      if (!(await registry.projectHasArtifact(c.get('projectId'), sha256))) throw new OutpostError('NOT_FOUND', `no artifact ${sha256}`);
      const cacheHeaders = { 'Cache-Control': 'public, max-age=31536000, immutable', ETag: `"${sha256}"` };
      // The bytes of a hash never change: a client holding this ETag has them (RFC 9110 §13.1.2).
      if (etagMatches(c.req.header('if-none-match'), sha256)) return c.body(null, 304, cacheHeaders);
      const bytes = await deps.blobs.get(sha256);
      if (!bytes) throw new OutpostError('NOT_FOUND', `no artifact ${sha256}`);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream', ...cacheHeaders });
    },
  );
  return app;
}
