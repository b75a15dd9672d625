import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError, SignedManifestSchema } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import type { ProjectEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createRegistryStore } from './store.ts';
import { createManifestSigner } from './manifest.ts';

/** What devices read (project key): the signed manifest of a model, and artifacts by hash. */
export function createDeviceRegistryRoutes(deps: HubDeps) {
  const registry = createRegistryStore(deps.db);
  const signer = createManifestSigner({ registry, keys: deps.keys, clock: deps.clock });
  const app = createRouter<ProjectEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{model}/manifest',
      tags: ['device'],
      summary: 'The signed manifest of the published version of a model',
      security: [{ projectKey: [] }],
      request: { params: z.object({ model: NameSchema }) },
      responses: {
        200: { description: 'Signed manifest', content: { 'application/json': { schema: SignedManifestSchema } } },
        ...errorResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const { model } = c.req.valid('param');
      const modelId = await registry.modelId(c.get('projectId'), model);
      const pub = modelId === undefined ? undefined : await registry.currentPublication(modelId);
      const v = pub && (await registry.getVersion(modelId!, pub.version));
      if (!v) throw new OutpostError('NOT_FOUND', `model ${model} has no published version`, { issues: [{ path: 'model', message: 'nothing published' }] });
      const signed = await signer.signedFor({ project: c.get('projectId'), model, modelId: modelId! }, v);
      c.header('Cache-Control', 'no-cache');
      return c.json(signed, 200);
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
        ...errorResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const { sha256 } = c.req.valid('param');
      const bytes = (await registry.projectHasArtifact(c.get('projectId'), sha256)) ? await deps.blobs.get(sha256) : null;
      if (!bytes) throw new OutpostError('NOT_FOUND', `no artifact ${sha256}`);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/octet-stream',
        'Cache-Control': 'public, max-age=31536000, immutable',
        ETag: `"${sha256}"`,
      });
    },
  );
  return app;
}
