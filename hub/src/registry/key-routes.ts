import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AdminEnv } from '../auth/middleware.ts';
import type { HubDeps } from '../deps.ts';
import { jsonBodyLimit } from '../http/limits.ts';
import { errorResponses } from '../http/schemas.ts';
import type { RegistryOperations } from './operations.ts';
import { ReasonSchema, SigningKeySchema } from './wire.ts';

const Reason = z.object({ reason: ReasonSchema }).strict();

/**
 * The hub's signing keys (admin token): list, create a next key, activate it. On Workers keys are
 * secrets, so create and activate answer 501 saying how to rotate there.
 */
export function addKeyRoutes(app: OpenAPIHono<AdminEnv>, deps: HubDeps, ops: RegistryOperations) {
  app.use('/signing-keys', jsonBodyLimit(deps));
  app.use('/signing-keys/*', jsonBodyLimit(deps));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/signing-keys',
      tags: ['registry'],
      summary: "The hub's public signing keys with their status: apps put the active and next ones in `trustedKeys`",
      responses: {
        200: { description: 'Keys: active first, then next, then retired', content: { 'application/json': { schema: z.object({ keys: z.array(SigningKeySchema) }) } } },
        ...errorResponses(401),
      },
    }),
    async (c) => c.json({ keys: await deps.keys.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/signing-keys',
      tags: ['registry'],
      summary: 'Create a signing key in status next: publish it to apps before it signs',
      request: { body: { required: false, content: { 'application/json': { schema: Reason } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: SigningKeySchema } } },
        ...errorResponses(400, 401, 501),
      },
    }),
    async (c) => c.json(await ops.createKey({ actor: c.get('actor'), reason: c.req.valid('json').reason }), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/signing-keys/{keyId}/activate',
      tags: ['registry'],
      summary: 'Make a key the one that signs; the active one is retired and every manifest is re-signed',
      request: {
        params: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/, 'a key id: 16 lowercase hex digits') }),
        body: { required: false, content: { 'application/json': { schema: Reason } } },
      },
      responses: {
        200: { description: 'Activated', content: { 'application/json': { schema: z.object({ active: SigningKeySchema, retired: SigningKeySchema }) } } },
        ...errorResponses(400, 401, 404, 409, 501),
      },
    }),
    async (c) => c.json(await ops.activateKey({ keyId: c.req.valid('param').keyId, actor: c.get('actor'), reason: c.req.valid('json').reason }), 200),
  );
}
