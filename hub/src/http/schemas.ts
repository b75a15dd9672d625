import { z } from '@hono/zod-openapi';
import { ErrorBodySchema } from '@outpost/shared';

/** The standard error answers, for route declarations. */
export function errorResponses(...statuses: Array<400 | 401 | 404 | 409 | 413 | 422 | 429 | 501>) {
  const text: Record<number, string> = {
    400: 'Invalid request: the body names the field, row or column',
    401: 'Missing or wrong credentials',
    404: 'Not found',
    409: 'Conflicts with what is stored',
    413: 'Body over the size limit',
    422: 'Valid request that could not be carried out',
    429: 'Rate limited: see Retry-After',
    501: 'Not available on this platform',
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: text[s] ?? 'Error', content: { 'application/json': { schema: ErrorBodySchema } } }]),
  );
}

export const NameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, - or _, starting with a letter or digit');
