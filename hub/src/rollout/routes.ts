import { createRoute, z } from '@hono/zod-openapi';
import { AssignmentSchema, DeviceContextSchema, OutpostError } from '@outpost/shared';
import { contextFromQuery } from './context.ts';
import type { HubDeps } from '../deps.ts';
import type { AdminEnv } from '../auth/middleware.ts';
import { createRouter } from '../http/router.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import { createProjectStore } from '../projects/store.ts';
import { GuardsSchema, PolicyInputSchema, RolloutPolicySchema, StagesSchema } from './policy.ts';
import { createRolloutService, type RolloutView } from './service.ts';

const Params = z.object({ project: NameSchema, model: NameSchema });
const Reason = z.string().min(1).max(500);
const ReasonBody = z.object({ reason: Reason.optional() }).strict();

const MetricsSchema = z.object({ samples: z.number().int(), errors: z.number().int(), errorRate: z.number().nullable(), p95LatencyMs: z.number().nullable() });
export const RolloutViewSchema = z
  .object({
    model: z.string(),
    production: z.number().int().nullable(),
    policy: RolloutPolicySchema,
    percent: z.number(),
    stageEndsAt: z.number().nullable(),
    guards: z.array(z.object({ version: z.number().int(), role: z.enum(['candidate', 'weighted', 'production']), metrics: MetricsSchema, verdict: z.object({ status: z.enum(['waiting', 'pass', 'fail']), text: z.string() }).nullable() })),
    mix: z.array(z.object({ version: z.number().int(), devices: z.number().int(), predictions: z.number().int() })),
    next: z.string(),
  })
  .openapi('Rollout');

export const StartRequestSchema = z
  .object({
    version: z.number().int().positive(),
    stages: StagesSchema.optional(),
    stageMinutes: z.number().min(0).max(60 * 24 * 30).optional(),
    guards: z.object({ maxErrorRate: GuardsSchema.shape.maxErrorRate.unwrap().optional(), maxLatencyP95Ms: z.number().positive().optional(), minSamples: GuardsSchema.shape.minSamples.unwrap().optional() }).strict().optional(),
    reason: Reason.optional(),
  })
  .strict();

const StepEventSchema = z.object({ action: z.string(), reason: z.string(), detail: z.record(z.string(), z.unknown()), promote: z.number().int().optional() });


const ContextQuery = z.object({
  installId: z.string().openapi({ description: "The device's install id (8–64 characters)" }),
  platform: z.string().optional(),
  appVersion: z.string().optional(),
  locale: z.string().optional(),
  webgpu: z.enum(['1', '0']).optional(),
});

/** Admin API of rollouts: /v1/projects/{project}/models/{model}/rollout… */
export function createRolloutRoutes(deps: HubDeps) {
  const service = createRolloutService(deps);
  const projects = createProjectStore(deps.db);
  const app = createRouter<AdminEnv>();
  app.use('/projects/:project/models/:model/rollout', jsonBodyLimit(deps));
  app.use('/projects/:project/models/:model/rollout/*', jsonBodyLimit(deps));
  const base = '/projects/{project}/models/{model}/rollout';
  const viewOf = async (project: string, model: string): Promise<RolloutView> => service.view({ project, model });
  const ok = { 200: { description: 'The rollout: policy, state, guard metrics, version mix', content: { 'application/json': { schema: RolloutViewSchema } } } };
  /** A body that may be left out entirely (no Content-Type): `{}`. */
  const optionalReason = (c: { req: { header(n: string): string | undefined; valid(t: 'json'): unknown } }): string | undefined =>
    c.req.header('content-type')?.includes('json') ? (c.req.valid('json') as { reason?: string }).reason : undefined;

  app.openapi(
    createRoute({ method: 'get', path: base, tags: ['rollout'], summary: "A model's rollout: policy, state, live guard metrics per version, and who runs which version (last hour)", request: { params: Params }, responses: { ...ok, ...errorResponses(401, 404) } }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      return c.json(await viewOf(project, model), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: base,
      tags: ['rollout'],
      summary: 'Replace the rollout policy: candidate and stages, or fixed weights; targeting rules; QA pins; guards',
      description:
        'The schedule (`state`, `stage`, `stageStartedAt`, `history`) is changed only by the actions and the automatic evaluation; sent back as read, it is ignored. Setting `weights` makes that split live; clearing both `candidate` and `weights` makes the rollout idle. Leave `salt` alone: a new salt reshuffles every device.',
      request: { params: Params, body: { required: true, content: { 'application/json': { schema: PolicyInputSchema } } } },
      responses: { ...ok, ...errorResponses(400, 401, 404, 409, 413) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      await service.replace({ project, model }, c.req.valid('json'), c.get('actor'));
      return c.json(await viewOf(project, model), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/start`,
      tags: ['rollout'],
      summary: 'Start rolling out a version from production, stage by stage (default 1 → 10 → 50 → 100 %, 60 min each)',
      request: { params: Params, body: { required: true, content: { 'application/json': { schema: StartRequestSchema } } } },
      responses: { ...ok, ...errorResponses(400, 401, 404, 409, 413) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      await service.start({ project, model }, c.req.valid('json'), c.get('actor'));
      return c.json(await viewOf(project, model), 200);
    },
  );

  const simple = [
    { action: 'pause', summary: 'Pause: stages stop advancing (guards still roll back)' },
    { action: 'resume', summary: "Resume a paused rollout (the stage's clock starts again)" },
    { action: 'advance', summary: 'Go to the next stage now, without waiting; after the last stage, production moves to the candidate' },
  ] as const;
  for (const { action, summary } of simple) {
    app.openapi(
      createRoute({ method: 'post', path: `${base}/${action}`, tags: ['rollout'], summary, request: { params: Params, body: { required: false, content: { 'application/json': { schema: ReasonBody } } } }, responses: { ...ok, ...errorResponses(400, 401, 404, 409) } }),
      async (c) => {
        const { project, model } = c.req.valid('param');
        await projects.require(project);
        await service[action]({ project, model }, optionalReason(c as never), c.get('actor'));
        return c.json(await viewOf(project, model), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/rollback`,
      tags: ['rollout'],
      summary: 'Roll back now: every device on production (the candidate at 0 %)',
      request: { params: Params, body: { required: true, content: { 'application/json': { schema: z.object({ reason: Reason }).strict() } } } },
      responses: { ...ok, ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      await service.rollback({ project, model }, c.req.valid('json').reason, c.get('actor'));
      return c.json(await viewOf(project, model), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/evaluate`,
      tags: ['rollout'],
      summary: 'Run the automatic step now (as the periodic tick does): advance, complete or roll back on the guard metrics, or say why it waits',
      request: { params: Params },
      responses: {
        200: { description: 'What happened', content: { 'application/json': { schema: z.object({ event: StepEventSchema.nullable(), waiting: z.string().nullable(), rollout: RolloutViewSchema }) } } },
        ...errorResponses(401, 404, 409),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      const r = await service.evaluate({ project, model });
      return c.json({ ...r, rollout: await viewOf(project, model) }, 200);
    },
  );

  const PinParams = Params.extend({ installId: DeviceContextSchema.shape.installId });
  app.openapi(
    createRoute({
      method: 'put',
      path: `${base}/pins/{installId}`,
      tags: ['rollout'],
      summary: 'Pin a device (install id) to a version, for QA: it gets that version whatever the rollout says',
      request: { params: PinParams, body: { required: true, content: { 'application/json': { schema: z.object({ version: z.number().int().positive(), reason: Reason.optional() }).strict() } } } },
      responses: { ...ok, ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const { project, model, installId } = c.req.valid('param');
      await projects.require(project);
      const { version, reason } = c.req.valid('json');
      await service.pin({ project, model }, installId, version, reason, c.get('actor'));
      return c.json(await viewOf(project, model), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: `${base}/pins/{installId}`, tags: ['rollout'], summary: 'Unpin a device', request: { params: PinParams }, responses: { ...ok, ...errorResponses(400, 401, 404, 409) } }),
    async (c) => {
      const { project, model, installId } = c.req.valid('param');
      await projects.require(project);
      await service.unpin({ project, model }, installId, undefined, c.get('actor'));
      return c.json(await viewOf(project, model), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}/assignment`,
      tags: ['rollout'],
      summary: 'Preview the version a device would get, and why',
      description: 'The query is what the SDK sends with its manifest request: `installId`, `platform`, `appVersion`, `locale`, `webgpu` (1 or 0) and `attr.<name>` per custom attribute.',
      request: { params: Params, query: ContextQuery },
      responses: {
        200: { description: 'The assignment', content: { 'application/json': { schema: z.object({ version: z.number().int(), assignment: AssignmentSchema }) } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await projects.require(project);
      const context = contextFromQuery(c.req.query());
      const r = await service.resolve(project, model, context);
      if (!r.assignment) throw new OutpostError('NOT_FOUND', `model ${model} has no version for this device`);
      return c.json({ version: r.version.version, assignment: r.assignment }, 200);
    },
  );
  return app;
}
