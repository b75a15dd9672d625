import type { InferenceRecord } from '@outpost/shared';
import type { LogBuffer } from './types.ts';

/**
 * Most records per append, as the log pipeline uses it. Unrelated to the upload batch size: each
 * write costs a few round trips to IndexedDB whatever its size (half the batch, a third slower to
 * write a backlog), while the cap bounds the main-thread time one write takes (sizing and cloning
 * its records: some 4–5 ms per thousand). Written as they come, batches stay far smaller.
 * @example createWriteBehind({ buffer, batchSize: WRITE_BATCH_RECORDS, onWritten, onError });
 */
export const WRITE_BATCH_RECORDS = 1_000;

export interface WriteBehindOptions {
  buffer: LogBuffer;
  /** Most records per append (one IndexedDB transaction each); e.g. WRITE_BATCH_RECORDS. */
  batchSize: number;
  /** Runs before each append, e.g. to persist the sequence counter the batch advanced. */
  beforeAppend?: (batch: readonly InferenceRecord[]) => Promise<void>;
  /** Runs after each successful append (e.g. to enforce the queue's bounds); must not reject. */
  afterAppend?: () => Promise<void>;
  /** After each successful append. */
  onWritten: (count: number) => void;
  onError: (error: unknown) => void;
}

/**
 * The in-memory front of the log buffer: `push` is synchronous so `predict()` never waits on
 * IndexedDB, and `persist` moves pending records into the buffer in batches. Records that arrive
 * while a write is in flight go into the next batch, so a burst costs few transactions.
 */
export interface WriteBehind {
  push(record: InferenceRecord): void;
  /** Write everything pending; never rejects. A failed write keeps its records for the next call. */
  persist(): Promise<void>;
  /** Records not yet written, oldest first (a copy): what a page being unloaded could lose. */
  pending(): InferenceRecord[];
  /** `createdAt` of the oldest record not yet written. */
  readonly oldestCreatedAt: number | undefined;
  readonly size: number;
  /** A write is under way: records pushed now are written by it, before it settles, with no call to `persist`. */
  readonly draining: boolean;
}

export function createWriteBehind(options: WriteBehindOptions): WriteBehind {
  const { buffer, batchSize, beforeAppend, afterAppend, onWritten, onError } = options;
  const pending: InferenceRecord[] = [];
  let running: Promise<void> | undefined;

  // Called only with records pending, so it awaits before finishing and `running` is set first.
  // It is cleared in the same tick as the loop's last check: a record pushed later starts a new drain.
  async function drain(): Promise<void> {
    try {
      while (pending.length > 0) {
        const batch = pending.slice(0, batchSize);
        await beforeAppend?.(batch);
        await buffer.append(batch);
        // Only now do they leave memory: a failed append keeps them for the next try.
        pending.splice(0, batch.length);
        onWritten(batch.length);
        await afterAppend?.();
      }
    } catch (e) {
      onError(e);
    } finally {
      running = undefined;
    }
  }

  return {
    push(record) {
      pending.push(record);
    },
    persist() {
      if (running) return running;
      if (pending.length === 0) return Promise.resolve();
      running = drain();
      return running;
    },
    pending: () => pending.slice(),
    get oldestCreatedAt() {
      return pending[0]?.createdAt;
    },
    get size() {
      return pending.length;
    },
    get draining() {
      return running !== undefined;
    },
  };
}
