import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { errorResponses, NameSchema } from '../http/schemas.ts';
import type { RegistryOperations } from './operations.ts';
import { AliasNameSchema, AliasSchema, AuditEntrySchema, ReasonSchema } from './wire.ts';

const ModelParams = z.object({ project: NameSchema, model: NameSchema });
const AliasParams = ModelParams.extend({ alias: AliasNameSchema });
const Reason = z.object({ reason: ReasonSchema }).strict();

/** Aliases, the minimum version and the audit trail of a project's models (admin token). */
export function addAliasRoutes(app: OpenAPIHono<AdminEnv>, deps: HubDeps, ops: RegistryOperations) {
  app.use('/projects/:project/models/:model/aliases/:alias', jsonBodyLimit(deps));
  app.use('/projects/:project/models/:model/min-version', jsonBodyLimit(deps));

  app.openapi(
    createRoute({
      method: 'put',
      path: '/projects/{project}/models/{model}/aliases/{alias}',
      tags: ['registry'],
      summary: 'Point an alias (staging, production, any name) at a version',
      description:
        'Moving `production` is publishing: devices get that version (unless a rollout says otherwise), its manifests are re-signed, and it may not go below the minimum version (409). Audited with the optional reason.',
      request: {
        params: AliasParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ version: z.number().int().positive(), reason: ReasonSchema }).strict() } } },
      },
      responses: {
        200: { description: 'The alias as it now stands', content: { 'application/json': { schema: AliasSchema } } },
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { project, model, alias } = c.req.valid('param');
      const { version, reason } = c.req.valid('json');
      return c.json(await ops.setAlias({ project, model, alias, version, reason, actor: c.get('actor') }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/projects/{project}/models/{model}/aliases/{alias}',
      tags: ['registry'],
      summary: 'Remove an alias (not production: move it instead)',
      description: 'The reason goes in the query (`?reason=`) or a JSON body `{ "reason": … }`.',
      request: {
        params: AliasParams,
        query: z.object({ reason: ReasonSchema }),
        body: { required: false, content: { 'application/json': { schema: Reason } } },
      },
      responses: {
        200: { description: 'Removed: the version it pointed to', content: { 'application/json': { schema: z.object({ alias: z.string(), version: z.number().int() }) } } },
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { project, model, alias } = c.req.valid('param');
      const reason = c.req.valid('json').reason ?? c.req.valid('query').reason;
      return c.json(await ops.removeAlias({ project, model, alias, reason, actor: c.get('actor') }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/projects/{project}/models/{model}/min-version',
      tags: ['registry'],
      summary: 'Set the lowest version devices may run (signed into every manifest)',
      description:
        'The version must exist and be at most the production version (409 otherwise: devices would have nothing to run). Manifests are re-signed with it; a device that has seen it refuses any manifest of a lower version, so a replayed old manifest cannot downgrade it. Devices remember the highest minimum they saw: lowering it does not let them go back.',
      request: {
        params: ModelParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ version: z.number().int().positive(), reason: ReasonSchema }).strict() } } },
      },
      responses: {
        200: { description: 'Set', content: { 'application/json': { schema: z.object({ minVersion: z.number().int() }) } } },
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { project, model } = c.req.valid('param');
      const { version, reason } = c.req.valid('json');
      return c.json(await ops.setMinVersion({ project, model, version, reason, actor: c.get('actor') }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{project}/audit',
      tags: ['registry'],
      summary: 'The audit log: who changed what in the registry and rollouts, when and why, newest first',
      description: 'Without `model`, the hub-wide entries (signing keys, project `*`) are listed too, since they change what every project\'s devices verify.',
      request: {
        params: z.object({ project: NameSchema }),
        query: z.object({ model: NameSchema.optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
      },
      responses: {
        200: { description: 'Entries', content: { 'application/json': { schema: z.object({ entries: z.array(AuditEntrySchema) }) } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const { model, limit } = c.req.valid('query');
      return c.json({ entries: await ops.listAudit(project, { model, limit }) }, 200);
    },
  );
}
