import type { Db } from './db/client.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { JobQueue } from './queue/job-queue.ts';
import type { SigningKeys } from './registry/signing-keys.ts';
import type { RateLimiter } from './http/rate-limit.ts';
import type { Trainer } from './training/types.ts';
import type { ModelRuntime } from './registry/model-runtime.ts';

/** Everything the hub needs from its platform, injected by an entry (Node or Workers), never global. */
export interface HubDeps {
  db: Db;
  blobs: BlobStore;
  queue: JobQueue;
  keys: SigningKeys;
  clock: () => number;
  rateLimiter: RateLimiter;
  /** Absent where the platform cannot train (Workers): training routes answer 501. */
  trainer?: Trainer;
  /** Absent where the platform can neither decode nor run ONNX (Workers): model uploads answer 501. */
  models?: ModelRuntime;
  limits?: Partial<HubLimits>;
  /** Bound parameters per SQL statement the driver allows; default D1's 100. */
  sqlMaxParams?: number;
  /** The code the hub runs (git commit, dirty flag), recorded with training runs; absent where unknown (Workers). */
  codeVersion?: { commit: string; dirty: boolean } | null;
}

export interface HubLimits {
  /** Largest dataset upload, bytes. */
  maxDatasetBytes: number;
  /** Largest JSON body for other admin routes, bytes. */
  maxJsonBytes: number;
  /** Let dataset imports fetch from loopback and private-network addresses (an intranet hub). */
  allowPrivateImports: boolean;
}

export const DEFAULT_LIMITS: HubLimits = {
  maxDatasetBytes: 64 * 1024 * 1024,
  maxJsonBytes: 64 * 1024,
  allowPrivateImports: false,
};
