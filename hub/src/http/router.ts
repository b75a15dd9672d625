import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { validationError } from './errors.ts';

/** Every area's sub-app: zod-validated routes that also describe themselves in the OpenAPI document. */
export function createRouter<E extends Env = Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationError(result.error, result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : 'query');
      }
    },
  });
}
