import { bodyLimit } from 'hono/body-limit';
import { INGEST_LIMITS, OutpostError } from '@outpost/shared';
import { DEFAULT_LIMITS, type HubDeps } from '../deps.ts';

/** Body limit for JSON admin requests; 413 before the body is buffered. */
export function jsonBodyLimit(deps: HubDeps) {
  const maxSize = deps.limits?.maxJsonBytes ?? DEFAULT_LIMITS.maxJsonBytes;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new OutpostError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${maxSize} bytes`);
    },
  });
}

/**
 * Body limit for device requests (inference uploads, server-side predictions): the shared
 * INGEST_LIMITS.maxBodyBytes the SDK sizes its batches by; 413 before the body is buffered.
 * @example app.use('/inferences', deviceBodyLimit('inference uploads', 'send smaller batches'));
 */
export function deviceBodyLimit(what: string, advice: string) {
  return bodyLimit({
    maxSize: INGEST_LIMITS.maxBodyBytes,
    onError: () => {
      throw new OutpostError('PAYLOAD_TOO_LARGE', `${what} are limited to ${INGEST_LIMITS.maxBodyBytes} bytes; ${advice}`);
    },
  });
}
