import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createAuthStore } from './store.ts';
import { createProjectStore } from '../projects/store.ts';
import { hashToken } from './tokens.ts';

export const SESSION_COOKIE = 'outpost_session';

export type ProjectEnv = { Variables: { projectId: string } };
/** Who made a change, for lineage and audit: `admin-token-<id>`, or `console` for a session. */
export type AdminEnv = { Variables: { actor: string } };

function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1];
}

/** Admin API and console: an admin token as Bearer, or a console session cookie. */
export function requireAdmin(deps: HubDeps) {
  const auth = createAuthStore(deps.db);
  return createMiddleware<AdminEnv>(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const tokenId = token ? await auth.adminTokenId(await hashToken(token)) : null;
    if (tokenId !== null) {
      c.set('actor', `admin-token-${tokenId}`);
      return next();
    }
    // A console session may read (GET) the API; changes need the token itself, so a cross-site
    // form can never act with the cookie (CSRF).
    const session = c.req.method === 'GET' ? getCookie(c, SESSION_COOKIE) : undefined;
    const actor = session ? await auth.sessionActor(await hashToken(session), deps.clock()) : null;
    if (actor) {
      c.set('actor', actor);
      return next();
    }
    throw new OutpostError('UNAUTHORIZED', 'send an admin token as "Authorization: Bearer <token>"');
  });
}

/** Device routes: a project key as Bearer, rate limited per key. Sets `projectId`. */
export function requireProjectKey(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  return createMiddleware<ProjectEnv>(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const keyHash = token ? await hashToken(token) : undefined;
    const projectId = keyHash ? await projects.projectOfKey(keyHash) : null;
    if (!keyHash || !projectId) throw new OutpostError('UNAUTHORIZED', 'send a project key as "Authorization: Bearer <key>"');
    const verdict = deps.rateLimiter.take(`device:${keyHash}`, deps.clock());
    if (!verdict.ok) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      throw new OutpostError('RATE_LIMITED', `too many requests for this project key; retry after ${verdict.retryAfterSeconds}s`);
    }
    c.set('projectId', projectId);
    return next();
  });
}
