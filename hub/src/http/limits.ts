import { bodyLimit } from 'hono/body-limit';
import { OutpostError } from '@outpost/shared';
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
