import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OutpostError, type ErrorCode, type ErrorIssue } from '@outpost/shared';
import type { ZodError } from 'zod';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  INVALID_DATASET: 400,
  INVALID_INPUT: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  NOT_IMPLEMENTED: 501,
  INTEGRITY: 400,
  TRAINING_FAILED: 422,
  GATES_FAILED: 422,
  MODEL_UNAVAILABLE: 404,
  NETWORK: 502,
  INTERNAL: 500,
};

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** A zod failure as our error, each issue naming the field by its path in the body. */
export function validationError(error: ZodError, where: 'body' | 'query' | 'path' = 'body'): OutpostError {
  const issues: ErrorIssue[] = error.issues.map((i) => ({
    path: i.path.map(String).join('.') || where,
    message: i.message,
  }));
  const first = issues[0];
  return new OutpostError('VALIDATION_FAILED', first ? `invalid ${where}: ${first.path}: ${first.message}` : `invalid ${where}`, {
    issues,
  });
}

/** The one place errors become HTTP. Unknown errors are logged and answered without internals. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof OutpostError) {
    // The rest of an oversized body was never read: the connection cannot carry another request.
    if (err.code === 'PAYLOAD_TOO_LARGE') c.header('Connection', 'close');
    return c.json(err.toBody(), statusOf(err.code));
  }
  if (err instanceof HTTPException) {
    const code: ErrorCode = err.status === 413 ? 'PAYLOAD_TOO_LARGE' : err.status === 401 ? 'UNAUTHORIZED' : 'VALIDATION_FAILED';
    return c.json(new OutpostError(code, err.message || 'bad request').toBody(), err.status as ContentfulStatusCode);
  }
  console.error('unhandled error', err);
  return c.json(new OutpostError('INTERNAL', 'internal error').toBody(), 500);
}
