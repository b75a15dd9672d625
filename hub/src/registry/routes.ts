import { createRoute, z } from '@hono/zod-openapi';
import { OutpostError, ReferenceProfileSchema, SignedManifestSchema, type ReferenceProfile } from '@outpost/shared';
import { getJson } from '../blobs/json-blobs.ts';
import { loadModelCard } from './load-model-card.ts';
import { renderModelCard } from './model-card.ts';
import type { HubDeps } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { addAliasRoutes } from './alias-routes.ts';
import { addKeyRoutes } from './key-routes.ts';
import { createRegistryOperations } from './operations.ts';
import { createRegistryStore } from './store.ts';
import { addModelUploadRoute } from './upload-route.ts';
import { AliasSchema, ModelVersionSchema, ReasonSchema, versionToWire } from './wire.ts';

const ModelSchema = z
  .object({
    name: z.string(),
    published: z.number().int().nullable().describe('The version the `production` alias points to: what devices run unless a rollout says otherwise'),
    minVersion: z.number().int().describe('The lowest version devices may run (signed into every manifest)'),
    aliases: z.array(AliasSchema),
    versions: z.array(ModelVersionSchema),
  })
  .openapi('Model');

const ModelParams = z.object({ project: NameSchema, model: NameSchema });

export function createRegistryRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const ops = createRegistryOperations(deps);
  /** A model's version (in a project that exists), or NOT_FOUND naming what is missing. */
  const requireVersion = ops.requireVersion;
  const inferences = createInferenceStore(deps.db);
  const app = createRouter<AdminEnv>();
  app.use('/projects/:project/models/:model/versions/:version/publish', jsonBodyLimit(deps));

  async function describeModel(project: string, name: string, modelId: number) {
    const [versions, published, counts, aliases, minVersion] = await Promise.all([
      registry.listVersions(modelId),
      registry.currentPublication(modelId),
      inferences.countByVersion(project, name),
      registry.listAliases(modelId),
      registry.minVersion(modelId),
    ]);
    return { name, published: published?.version ?? null, minVersion, aliases, versions: versions.map((v) => versionToWire(v, counts.get(v.version) ?? 0)) };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models',
      tags: ['registry'],
      summary: 'List models with their versions and synced prediction counts',
      request: { params: z.object({ project: NameSchema }) },
      responses: {
        200: { description: 'Models', content: { 'application/json': { schema: z.object({ models: z.array(ModelSchema) }) } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      await projects.require(project);
      const list = await registry.listModels(project);
      return c.json({ models: await Promise.all(list.map((m) => describeModel(project, m.name, m.id))) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}',
      tags: ['registry'],
      summary: 'A model: its versions, aliases (production is the published one), minimum version, synced prediction counts',
      request: { params: ModelParams },
      responses: { 200: { description: 'Model', content: { 'application/json': { schema: ModelSchema } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      return c.json(await describeModel(project, model, await registry.requireModel(project, model)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{project}/models/{model}/versions/{version}/publish',
      tags: ['registry'],
      summary: "Publish a version: move the production alias to it, sign its manifest and serve it to the project's devices",
      description: 'Refused (409) below the model\'s minimum version. Audited (`version.publish`) with the optional reason.',
      request: {
        params: ModelParams.extend({ version: z.coerce.number().int().positive() }),
        body: { required: false, content: { 'application/json': { schema: z.object({ reason: ReasonSchema }).strict() } } },
      },
      responses: {
        200: {
          description: 'Published',
          content: { 'application/json': { schema: z.object({ version: z.number().int(), manifest: SignedManifestSchema }) } },
        },
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { project, model, version } = c.req.valid('param');
      return c.json(await ops.publish({ project, model, version, actor: c.get('actor'), reason: c.req.valid('json').reason }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/versions/{version}/reference',
      tags: ['registry'],
      summary: "A version's reference profile: its training rows' features and its outputs on them, for drift monitoring",
      description: 'Profiles as datasets have them (histogram edges and counts, quantiles, category frequencies), from the same mergeable sketches, so a window of live inputs can be profiled and compared like with like.',
      request: { params: ModelParams.extend({ version: z.coerce.number().int().positive() }) },
      responses: {
        200: { description: 'Reference profile', content: { 'application/json': { schema: ReferenceProfileSchema.openapi('ReferenceProfile') } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model, version } = c.req.valid('param');
      const { v } = await requireVersion(project, model, version);
      const reference = v.referenceSha256 ? await getJson<ReferenceProfile>(deps.blobs, v.referenceSha256) : null;
      if (!reference) throw new OutpostError('NOT_FOUND', `model ${model} version ${version} has no reference profile (uploaded without a reference dataset version, or made before references existed)`, { issues: [{ path: 'version', message: 'no reference profile' }] });
      return c.json(reference, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/versions/{version}/card',
      tags: ['registry'],
      summary: "A version's model card: what it predicts from what, its data and code, its held-back performance and gates, its intended use",
      description: 'JSON, or Markdown with `?format=markdown`. Built from what the hub stores with the version and its training run.',
      request: {
        params: ModelParams.extend({ version: z.coerce.number().int().positive() }),
        query: z.object({ format: z.enum(['json', 'markdown']).default('json') }),
      },
      responses: {
        200: { description: 'Model card', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('ModelCard') }, 'text/markdown': { schema: z.string() } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model, version } = c.req.valid('param');
      const { v } = await requireVersion(project, model, version);
      const card = await loadModelCard(deps.db, model, v);
      if (c.req.valid('query').format === 'markdown') return c.body(renderModelCard(card), 200, { 'content-type': 'text/markdown; charset=utf-8' });
      return c.json(card as unknown as Record<string, unknown>, 200);
    },
  );

  addModelUploadRoute(app, deps);
  addAliasRoutes(app, deps, ops);
  addKeyRoutes(app, deps, ops);
  return app;
}
