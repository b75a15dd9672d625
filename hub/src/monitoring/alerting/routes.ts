import { createRoute, z } from '@hono/zod-openapi';
import type { HubDeps } from '../../deps.ts';
import type { AdminEnv } from '../../auth/middleware.ts';
import { jsonBodyLimit } from '../../http/limits.ts';
import { createRouter } from '../../http/router.ts';
import { errorResponses, NameSchema } from '../../http/schemas.ts';
import { createProjectStore } from '../../projects/store.ts';
import { createRegistryStore } from '../../registry/store.ts';
import { METRICS } from './metrics.ts';
import { COMPARATORS } from './rules.ts';
import { createAlertService } from './service.ts';

const HOUR = 3_600_000;
const Params = z.object({ project: NameSchema, model: NameSchema });
const RuleParams = Params.extend({ name: NameSchema });

const RuleFields = {
  metric: z.string().openapi({ description: `One of ${Object.keys(METRICS).join(', ')}` }),
  params: z.record(z.string(), z.union([z.string().max(128), z.number()])).default({}).openapi({ description: "The metric's options: `column` for the per-column metrics, `version` (default: production)" }),
  comparator: z.enum(COMPARATORS as [string, ...string[]]),
  threshold: z.number(),
  forMs: z.number().int().min(0).max(7 * 24 * HOUR).default(0).openapi({ description: 'How long the condition must hold before the rule fires (ms)' }),
  windowMs: z.number().int().min(60_000).max(30 * 24 * HOUR).default(HOUR).openapi({ description: 'The window the metric is computed over, ending now (ms)' }),
  retrain: z.boolean().default(false).openapi({ description: 'A firing records a retraining trigger' }),
  guardRollout: z.boolean().default(false).openapi({ description: 'While firing, a staged rollout of this model rolls back at its next tick' }),
  enabled: z.boolean().default(true),
};

const RuleSchema = z
  .object({
    id: z.number().int(),
    model: z.string(),
    name: z.string(),
    metric: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    comparator: z.string(),
    threshold: z.number(),
    forMs: z.number().int(),
    windowMs: z.number().int(),
    webhookUrl: z.string().nullable(),
    hasWebhook: z.boolean(),
    retrain: z.boolean(),
    guardRollout: z.boolean(),
    enabled: z.boolean(),
    state: z.enum(['ok', 'pending', 'firing']),
    since: z.number().int().nullable(),
    lastValue: z.number().nullable(),
    lastEvaluatedAt: z.number().int().nullable(),
    createdBy: z.string(),
    createdAt: z.number().int(),
  })
  .openapi('AlertRule');

const EventSchema = z
  .object({
    id: z.number().int(),
    ruleId: z.number().int(),
    rule: z.string(),
    model: z.string(),
    kind: z.enum(['firing', 'resolved']),
    value: z.number().nullable(),
    delivery: z.string().openapi({ description: 'none (no webhook), pending (under way), sent, failed' }),
    deliveryDetail: z.string().nullable().openapi({ description: "The last delivery's HTTP status or error" }),
    attempts: z.number().int().openapi({ description: 'Deliveries made (each tries twice)' }),
    nextAttemptAt: z.number().int().nullable().openapi({ description: 'When a failed delivery is made again (epoch ms); null when none is due' }),
    createdAt: z.number().int(),
  })
  .openapi('AlertEvent');

const Evaluation = z.object({ name: z.string(), model: z.string(), state: z.enum(['ok', 'pending', 'firing']), value: z.number().nullable(), event: z.enum(['firing', 'resolved']).nullable(), error: z.string().optional() });

/** Alert rules, their history and retraining triggers (admin). */
export function createAlertRoutes(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const alerts = createAlertService(deps);
  const app = createRouter<AdminEnv>();
  app.use('/projects/:project/models/:model/alerts/*', jsonBodyLimit(deps));
  const requireModel = async (project: string, model: string) => {
    await projects.require(project);
    await registry.requireModel(project, model);
  };
  const base = '/projects/{project}/models/{model}/alerts';

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/rules`,
      tags: ['alerts'],
      summary: 'Create an alert rule: fire when a metric compared with a threshold holds for a duration',
      description: 'With `webhookUrl`, firings and resolutions are POSTed there, signed (`Outpost-Signature: t=…,v1=…`, HMAC-SHA256 of `t.body`); the signing secret is answered once, here. Audited (`alert.create`).',
      request: { params: Params, body: { required: true, content: { 'application/json': { schema: z.object({ name: NameSchema, ...RuleFields, webhookUrl: z.string().max(2048).nullable().optional() }).strict() } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: z.object({ rule: RuleSchema, webhookSecret: z.string().optional().openapi({ description: 'Shown once' }) }) } } },
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await requireModel(project, model);
      const body = c.req.valid('json');
      return c.json(await alerts.create(project, model, { ...body, comparator: body.comparator as '>' }, c.get('actor')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}/rules`,
      tags: ['alerts'],
      summary: "A model's alert rules, with each one's state and last value",
      request: { params: Params },
      responses: { 200: { description: 'Rules', content: { 'application/json': { schema: z.object({ rules: z.array(RuleSchema) }) } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await requireModel(project, model);
      return c.json({ rules: await alerts.list(project, model) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}/rules/{name}`,
      tags: ['alerts'],
      summary: 'One alert rule: its condition, state and last value (never its webhook secret)',
      request: { params: RuleParams },
      responses: { 200: { description: 'Rule', content: { 'application/json': { schema: RuleSchema } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { project, model, name } = c.req.valid('param');
      await requireModel(project, model);
      return c.json(await alerts.get(project, model, name), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: `${base}/rules/{name}`,
      tags: ['alerts'],
      summary: 'Change a rule (threshold, duration, enabled…); a changed condition starts again from ok',
      description: 'A firing rule that is disabled or whose condition changes resolves: an alert event, `alert.resolved` in the audit log, and its webhook with `"reason": "rule disabled"` or `"rule changed"`.',
      request: {
        params: RuleParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ metric: RuleFields.metric, params: z.record(z.string(), z.union([z.string().max(128), z.number()])), comparator: RuleFields.comparator, threshold: RuleFields.threshold, forMs: RuleFields.forMs.removeDefault(), windowMs: RuleFields.windowMs.removeDefault(), retrain: z.boolean(), guardRollout: z.boolean(), enabled: z.boolean() }).partial().strict() } } },
      },
      responses: { 200: { description: 'Changed', content: { 'application/json': { schema: RuleSchema } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { project, model, name } = c.req.valid('param');
      await requireModel(project, model);
      const body = c.req.valid('json');
      return c.json(await alerts.update(project, model, name, { ...body, ...(body.comparator ? { comparator: body.comparator as '>' } : {}) } as Parameters<typeof alerts.update>[3], c.get('actor')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${base}/rules/{name}`,
      tags: ['alerts'],
      summary: 'Delete a rule and its history (its retraining triggers stay)',
      description: 'A firing rule resolves first: its webhook gets `"reason": "rule deleted"` (delivery id `alert-rule-<id>-deleted`), and the `alert.delete` audit entry records how that delivery went (`resolvedWebhook`).',
      request: { params: RuleParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { project, model, name } = c.req.valid('param');
      await requireModel(project, model);
      await alerts.remove(project, model, name, c.get('actor'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/evaluate`,
      tags: ['alerts'],
      summary: "Evaluate the model's rules now (as the periodic tick does): each one's value, state and what happened",
      request: { params: Params },
      responses: { 200: { description: 'Evaluated', content: { 'application/json': { schema: z.object({ rules: z.array(Evaluation) }) } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await requireModel(project, model);
      return c.json({ rules: await alerts.evaluateModel(project, model) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}/events`,
      tags: ['alerts'],
      summary: "The model's alert history, newest first: firings, resolutions and how each webhook delivery went",
      request: { params: Params, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().positive().optional().openapi({ description: 'Events older than this id: the previous page\'s last' }) }) },
      responses: { 200: { description: 'Events', content: { 'application/json': { schema: z.object({ events: z.array(EventSchema) }) } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await requireModel(project, model);
      const { limit, before } = c.req.valid('query');
      return c.json({ events: (await alerts.events(project, model, { limit, before })) as Array<z.infer<typeof EventSchema>> }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/models/{model}/retrain-triggers',
      tags: ['alerts'],
      summary: 'Retraining asked for by firing alerts, newest first (recorded: nothing runs them until pipelines exist)',
      request: { params: Params, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: {
        200: { description: 'Triggers', content: { 'application/json': { schema: z.object({ triggers: z.array(z.object({ id: z.number().int(), model: z.string(), alertEventId: z.number().int().nullable(), status: z.string(), reason: z.string(), createdAt: z.number().int() })) }) } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      await requireModel(project, model);
      return c.json({ triggers: (await alerts.triggers(project, model, c.req.valid('query').limit)).map(({ projectId: _p, ...t }) => t) }, 200);
    },
  );
  return app;
}
