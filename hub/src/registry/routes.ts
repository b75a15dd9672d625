import { createRoute, z } from '@hono/zod-openapi';
import { DatasetProfileSchema, OutpostError, SignedManifestSchema, type DatasetProfile } from '@outpost/shared';
import { getJson } from '../blobs/json-blobs.ts';
import { loadModelCard } from './load-model-card.ts';
import { renderModelCard } from './model-card.ts';
import type { HubDeps } from '../deps.ts';
import { createRouter } from '../http/router.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { createManifestSigner } from './manifest.ts';
import { createRegistryStore } from './store.ts';
import { addModelUploadRoute } from './upload-route.ts';
import { ModelVersionSchema, versionToWire } from './wire.ts';

const ModelSchema = z
  .object({ name: z.string(), published: z.number().int().nullable(), versions: z.array(ModelVersionSchema) })
  .openapi('Model');

const ModelParams = z.object({ project: NameSchema, model: NameSchema });

export function createRegistryRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  /** A model's version (in a project that exists), or NOT_FOUND naming what is missing. */
  const requireVersion = async (project: string, model: string, version: number) => {
    await projects.require(project);
    const modelId = await registry.requireModel(project, model);
    const v = await registry.getVersion(modelId, version);
    if (!v) throw new OutpostError('NOT_FOUND', `model ${model} has no version ${version}`, { issues: [{ path: 'version', message: 'not found' }] });
    return { modelId, v };
  };
  const inferences = createInferenceStore(deps.db);
  const signer = createManifestSigner({ registry, keys: deps.keys, clock: deps.clock });
  const app = createRouter<AdminEnv>();

  async function describeModel(project: string, name: string, modelId: number) {
    const [versions, published, counts] = await Promise.all([
      registry.listVersions(modelId),
      registry.currentPublication(modelId),
      inferences.countByVersion(project, name),
    ]);
    return { name, published: published?.version ?? null, versions: versions.map((v) => versionToWire(v, counts.get(v.version) ?? 0)) };
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
      summary: 'A model: its versions, the published one, synced prediction counts',
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
      summary: "Publish a version: sign its manifest and serve it to the project's devices",
      request: { params: ModelParams.extend({ version: z.coerce.number().int().positive() }) },
      responses: {
        200: {
          description: 'Published',
          content: { 'application/json': { schema: z.object({ version: z.number().int(), manifest: SignedManifestSchema }) } },
        },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model, version } = c.req.valid('param');
      const { modelId, v } = await requireVersion(project, model, version);
      const now = deps.clock();
      const before = await registry.getAlias(modelId, 'production');
      await registry.setAlias(modelId, 'production', version, c.get('actor'), now);
      await registry.invalidateManifests(modelId);
      const manifest = await signer.signedFor({ project, model, modelId }, v);
      await registry.recordPublication(modelId, version, manifest, now);
      await registry.audit({ projectId: project, model, actor: c.get('actor'), action: 'version.publish', detail: { alias: 'production', from: before?.version ?? null, to: version } }, now);
      return c.json({ version, manifest }, 200);
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
        200: { description: 'Reference profile', content: { 'application/json': { schema: z.object({ features: DatasetProfileSchema, outputs: DatasetProfileSchema }).openapi('ReferenceProfile') } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model, version } = c.req.valid('param');
      const { v } = await requireVersion(project, model, version);
      const reference = v.referenceSha256 ? await getJson<{ features: DatasetProfile; outputs: DatasetProfile }>(deps.blobs, v.referenceSha256) : null;
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
  return app;
}
