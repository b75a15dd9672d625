import { drizzle } from 'drizzle-orm/d1';
import type { D1Database, ExecutionContext, MessageBatch, Queue, R2Bucket } from '@cloudflare/workers-types';
import { createApp, type HubApp } from '../app.ts';
// After app.ts: @hono/zod-openapi must extend zod before @outpost/shared builds its schemas.
import { createPeriodicTick } from '../tick.ts';
import type { Db } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import type { HubDeps } from '../deps.ts';
import { createR2BlobStore } from '../blobs/r2-blob-store.ts';
import { createCloudflareQueue } from '../queue/cloudflare-queue.ts';
import type { Job } from '../queue/job-queue.ts';
import { createJobHandler } from '../jobs.ts';
import { createTokenBucketLimiter } from '../http/rate-limit.ts';
import { secretSigningKeys } from '../registry/signing-keys.ts';
import { createAuthStore } from '../auth/store.ts';
import { hashToken } from '../auth/tokens.ts';

/** Bindings from wrangler.toml; the two secrets are set with `wrangler secret put`. */
export interface Env {
  DB: D1Database;
  BLOBS: R2Bucket;
  JOBS: Queue<Job>;
  OUTPOST_ADMIN_TOKEN?: string;
  OUTPOST_SIGNING_KEY?: string;
  /** Rotation: a JSON array of private JWKs, oldest first; the active one is OUTPOST_SIGNING_KEY_ID (default the first). */
  OUTPOST_SIGNING_KEYS?: string;
  OUTPOST_SIGNING_KEY_ID?: string;
  /** Optional: largest dataset upload in bytes. */
  OUTPOST_MAX_DATASET_BYTES?: string;
  OUTPOST_ALLOW_PRIVATE_IMPORTS?: string;
}

// The same app as on Node, on D1 + R2 + Queues. No trainer here: training routes answer 501. No
// model runtime either (Workers can neither decode ONNX with protobufjs nor compile onnxruntime-web's
// WebAssembly): model uploads answer 501, and neither library is bundled.
let built: { app: HubApp; deps: HubDeps; ready: Promise<void> } | undefined;
function hubFor(env: Env) {
  if (built) return built;
  const deps: HubDeps = {
    db: drizzle(env.DB as never, { schema }) as unknown as Db,
    blobs: createR2BlobStore(env.BLOBS),
    queue: createCloudflareQueue(env.JOBS),
    keys: secretSigningKeys(env),
    clock: Date.now,
    rateLimiter: createTokenBucketLimiter(),
    limits: {
      ...(env.OUTPOST_MAX_DATASET_BYTES ? { maxDatasetBytes: Number(env.OUTPOST_MAX_DATASET_BYTES) } : {}),
      allowPrivateImports: env.OUTPOST_ALLOW_PRIVATE_IMPORTS === '1',
    },
  };
  // The admin token secret is stored hashed, like every token, on the isolate's first request.
  const token = env.OUTPOST_ADMIN_TOKEN;
  const ready = token ? hashToken(token).then((h) => createAuthStore(deps.db).addAdminToken(h, Date.now())) : Promise.resolve();
  return (built = { app: createApp(deps), deps, ready });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const hub = hubFor(env);
    await hub.ready;
    return hub.app.fetch(request, env, ctx as never);
  },
  async queue(batch: MessageBatch<Job>, env: Env): Promise<void> {
    const handle = createJobHandler(hubFor(env).deps);
    for (const message of batch.messages) {
      await handle(message.body);
      message.ack();
    }
  },
  /**
   * The cron trigger (wrangler.toml `[triggers] crons`): evaluate alert rules, then live rollouts
   * (advance, complete, roll back). Awaited rather than handed to waitUntil: the invocation then
   * ends when the tick (webhook deliveries included) has, and a failure shows as a failed run.
   */
  async scheduled(_controller: unknown, env: Env): Promise<void> {
    await createPeriodicTick(hubFor(env).deps).tick();
  },
};
