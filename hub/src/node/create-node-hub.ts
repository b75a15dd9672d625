import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createApp } from '../app.ts';
import { SQLITE_MAX_BOUND_PARAMS, type Db } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import type { HubDeps } from '../deps.ts';
import { createFsBlobStore } from '../blobs/fs-blob-store.ts';
import { gitCodeVersion } from './code-version.ts';
import { createInProcessQueue } from '../queue/in-process-queue.ts';
import { createJobHandler } from '../jobs.ts';
import { createTokenBucketLimiter } from '../http/rate-limit.ts';
import { openKeyringFile } from '../registry/keyring-file.ts';
import { createAuthStore } from '../auth/store.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { Trainer } from '../training/types.ts';
import { createWorkerTrainer, defaultTrainWorkers } from '../training/worker-trainer.ts';
import type { ModelRuntime } from '../registry/model-runtime.ts';
import { createOnnxModelRuntime } from '../registry/onnx-model-runtime.ts';
import { DEFAULT_ROLLOUT_TICK_MS, startRolloutTicker } from '../rollout/ticker.ts';
import { createPeriodicTick } from '../tick.ts';

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface NodeHubOptions {
  /** Folder for the database, blobs and signing key (created if missing). `:memory:` database when `database` says so. */
  dataDir: string;
  /** libSQL URL; default `file:<dataDir>/hub.db`. */
  databaseUrl?: string;
  clock?: () => number;
  /** Default: the tfjs trainer in `trainWorkers` worker threads (in this thread with 0), loaded on first use. */
  trainer?: Trainer;
  /**
   * Trainings at once, each in its own worker thread (a search runs its trials in parallel up to
   * this; the hub's thread stays free for requests); 0 trains on the hub's own thread, one at a time.
   * Default: `OUTPOST_TRAIN_WORKERS`, else one per core, at most 4.
   */
  trainWorkers?: number;
  /** Default: onnxruntime-web (createOnnxModelRuntime), loaded on first use. */
  models?: ModelRuntime;
  limits?: HubDeps['limits'];
  /** Default: the git commit of the working directory (gitCodeVersion). */
  codeVersion?: HubDeps['codeVersion'];
  /** How often live rollouts are evaluated (ms); 0: never on a timer. Default: `OUTPOST_ROLLOUT_TICK_MS`, else 60000. */
  rolloutTickMs?: number;
}

/** Loads tfjs only when the first run trains, so the hub starts fast. */
function lazyTfjsTrainer(): Trainer {
  let trainer: Promise<Trainer> | undefined;
  return {
    async train(rows, config, hooks) {
      trainer ??= import('../training/tfjs-trainer.ts').then((m) => m.createTfjsTrainer());
      return (await trainer).train(rows, config, hooks);
    },
  };
}

/**
 * The hub on Node: embedded libSQL file database (migrated at start), filesystem blobs,
 * a signing keyring file (signing-keys.json) and an in-process queue. On first start it creates the admin token and
 * returns it (the only time it exists in plain text).
 */
export async function createNodeHub(options: NodeHubOptions) {
  await mkdir(options.dataDir, { recursive: true });
  const client = createClient({ url: options.databaseUrl ?? `file:${join(options.dataDir, 'hub.db')}` });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  const queue = createInProcessQueue((job, e) => console.error(`job ${job.kind} failed`, e));
  const trainWorkers = options.trainWorkers ?? (process.env.OUTPOST_TRAIN_WORKERS ? Number(process.env.OUTPOST_TRAIN_WORKERS) : defaultTrainWorkers());
  if (!Number.isInteger(trainWorkers) || trainWorkers < 0) throw new Error(`OUTPOST_TRAIN_WORKERS must be a whole number ≥ 0 (0: train on the hub's thread), not ${trainWorkers}`);
  const pool = options.trainer || trainWorkers === 0 ? undefined : createWorkerTrainer({ size: trainWorkers });
  const deps: HubDeps = {
    db: db as unknown as Db,
    blobs: createFsBlobStore(join(options.dataDir, 'blobs')),
    queue,
    keys: await openKeyringFile(options.dataDir, options.clock ?? Date.now),
    clock: options.clock ?? Date.now,
    rateLimiter: createTokenBucketLimiter(),
    trainer: options.trainer ?? pool ?? lazyTfjsTrainer(),
    models: options.models ?? createOnnxModelRuntime(),
    limits: options.limits,
    sqlMaxParams: SQLITE_MAX_BOUND_PARAMS,
    codeVersion: options.codeVersion !== undefined ? options.codeVersion : await gitCodeVersion(),
  };
  queue.setHandler(createJobHandler(deps));
  const tickMs = options.rolloutTickMs ?? (process.env.OUTPOST_ROLLOUT_TICK_MS ? Number(process.env.OUTPOST_ROLLOUT_TICK_MS) : DEFAULT_ROLLOUT_TICK_MS);
  if (!Number.isFinite(tickMs) || tickMs < 0) throw new Error(`OUTPOST_ROLLOUT_TICK_MS must be a number of milliseconds ≥ 0 (0: no timer), not ${tickMs}`);
  const rolloutTicker = tickMs > 0 ? startRolloutTicker(createPeriodicTick(deps), tickMs) : undefined;

  const auth = createAuthStore(deps.db);
  let adminToken: string | undefined;
  if (!(await auth.hasAnyAdminToken())) {
    adminToken = generateToken('opa');
    await auth.addAdminToken(await hashToken(adminToken), deps.clock());
  }
  const close = async () => {
    await rolloutTicker?.stop();
    client.close();
    await pool?.close();
  };
  return { app: createApp(deps), deps, queue, adminToken, close };
}
export type NodeHub = Awaited<ReturnType<typeof createNodeHub>>;
