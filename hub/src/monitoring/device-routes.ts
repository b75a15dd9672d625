// First: the router loads @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createRouter } from '../http/router.ts';
import { IngestBatchSchema, IngestResultSchema, INGEST_LIMITS, OutpostError, checkIngestBatch, type IngestBatch } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import type { ProjectEnv } from '../auth/middleware.ts';
import { deviceBodyLimit } from '../http/limits.ts';
import { errorResponses } from '../http/schemas.ts';
import { createInferenceStore } from './store.ts';

/**
 * The body of an upload, checked with the zod-free `checkIngestBatch`, which accepts exactly what
 * IngestBatchSchema does (shared/src/wire-check.test.ts) at a fraction of zod's cost on 500 records.
 * Too many records is a 413, as a body over the byte limit is: the SDK splits the batch and retries.
 */
function parseBatch(text: string): IngestBatch {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OutpostError('VALIDATION_FAILED', 'invalid body: expected JSON', { issues: [{ path: 'body', message: 'expected JSON' }] });
  }
  const records = (body as { records?: unknown } | null)?.records;
  if (Array.isArray(records) && records.length > INGEST_LIMITS.maxRecordsPerBatch) {
    throw new OutpostError('PAYLOAD_TOO_LARGE', `an upload carries at most ${INGEST_LIMITS.maxRecordsPerBatch} records, this one ${records.length}; send smaller batches`);
  }
  const checked = checkIngestBatch(body, 'body');
  if (checked.ok) return checked.value;
  // As validationError words a zod failure: the path from the body's root (`records.3.foo`).
  const path = checked.issue.path.slice('body.'.length) || 'body';
  throw new OutpostError('VALIDATION_FAILED', `invalid body: ${path}: ${checked.issue.message}`, { issues: [{ path, message: checked.issue.message }] });
}

/** Devices upload their inference logs here (project key). */
export function createIngestRoutes(deps: HubDeps) {
  const store = createInferenceStore(deps.db, deps.sqlMaxParams);
  const app = createRouter<ProjectEnv>();
  // Documented by hand, validated by parseBatch: app.openapi() would run zod on every upload.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/inferences',
    tags: ['device'],
    summary: 'Upload a batch of inference records; records already stored (same id) are ignored',
    description:
      'Unknown fields are refused, naming the record and field (`records.3.foo: unknown field`), as are fields only the hub sets (`receivedAt`, `observedAt`, `flags`). ' +
      'The hub stores each record with its receive time and `observedAt`: `createdAt` moved by the clock skew (receive time − `sentAt`), never after the receive time; ' +
      'a record more than 23 h in the future after that is placed at the receive time and flagged (`flags` bit 1). ' +
      `A \`health\` report is kept per device and model, the largest count per reason. More than ${INGEST_LIMITS.maxRecordsPerBatch} records or ${INGEST_LIMITS.maxBodyBytes} bytes: 413.`,
    security: [{ projectKey: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: IngestBatchSchema } } } },
    responses: {
      200: { description: 'Stored', content: { 'application/json': { schema: IngestResultSchema } } },
      ...errorResponses(400, 401, 413, 429),
    },
  });
  app.post('/inferences', deviceBodyLimit('inference uploads', 'send smaller batches'), async (c) => {
    const batch = parseBatch(await c.req.text());
    const result = await store.insert(c.get('projectId'), batch.deviceId, batch.records, deps.clock(), { sentAt: batch.sentAt, health: batch.health });
    return c.json(result, 200);
  });
  return app;
}
