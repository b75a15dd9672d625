import type { InferenceRecord } from '@outpost/shared';
import type { Clock } from '../clock.ts';
import { createWriteBehind } from '../log-buffer/write-behind.ts';
import type { ClientStorage } from '../storage/open-storage.ts';
import { createSyncer } from './syncer.ts';
import type { SyncTransport } from './transport.ts';

export interface LogPipelineStats {
  /** In memory plus in the buffer (as last counted). */
  pending: number;
  synced: number;
  dropped: Record<string, number>;
  lastSyncError?: string;
}

/** Inference records from `predict()` to the hub: memory → log buffer → upload. */
export interface LogPipeline {
  /** Log a record; assigns its sequence number. Synchronous: persisting and uploading happen later. */
  push(record: Omit<InferenceRecord, 'seq'>): void;
  /** Persist everything pending and upload all buffered records now. Never rejects. */
  flush(): Promise<{ sent: number; pending: number }>;
  stats(): LogPipelineStats;
  /** Stop timers and listeners and persist what is pending. */
  close(): Promise<void>;
}

/**
 * Wires the write-behind queue, the syncer and the triggers: an upload is due `flushIntervalMs`
 * after records reach the buffer, at the backoff deadline after a failure, when the browser comes
 * back `online`, and when the page is hidden or unloaded (the last moment it surely runs:
 * https://developer.chrome.com/docs/web-platform/page-lifecycle-api#advice-hidden).
 */
export function createLogPipeline(input: {
  storage: ClientStorage;
  transport: SyncTransport;
  batchSize: number;
  flushIntervalMs: number;
  clock: Clock;
  lifecycleEvents: EventTarget | undefined;
}): LogPipeline {
  const { storage, clock, flushIntervalMs } = input;
  const buffer = storage.logs;
  const dropped: Record<string, number> = {};
  let seq = storage.seq;
  let persistedSeq = storage.seq;
  let buffered = 0;
  let synced = 0;
  let lastSyncError: string | undefined;
  let timer: { handle: unknown; dueAt: number } | undefined;
  let closed = false;

  const writer = createWriteBehind({
    buffer,
    batchSize: input.batchSize,
    // The counter is saved before the records that use it: a crash in between leaves a visible
    // gap on the hub, never a reused number.
    async beforeAppend(batch) {
      const last = batch[batch.length - 1]?.seq ?? 0;
      if (last > persistedSeq) {
        await storage.meta.put('seq', last);
        persistedSeq = last;
      }
    },
    onWritten: (n) => {
      buffered += n;
      arm(flushIntervalMs);
    },
    onError: (e) => {
      lastSyncError = `log buffer: ${e instanceof Error ? e.message : String(e)}`;
    },
  });

  const syncer = createSyncer({
    buffer,
    transport: input.transport,
    deviceId: storage.deviceId,
    batchSize: input.batchSize,
    clock,
    random: Math.random,
    onSent: (n) => {
      synced += n;
      lastSyncError = undefined;
    },
    onDrop: (reason, n) => {
      dropped[reason] = (dropped[reason] ?? 0) + n;
    },
    onError: (message) => {
      lastSyncError = message;
    },
  });

  function arm(delayMs: number): void {
    const dueAt = clock.now() + Math.max(0, delayMs);
    if (closed || (timer && timer.dueAt <= dueAt)) return;
    if (timer) clock.clearTimeout(timer.handle);
    timer = { dueAt, handle: clock.setTimeout(() => void tick(), Math.max(0, delayMs)) };
  }

  async function sync(force: boolean): Promise<number> {
    await writer.persist();
    const result = await syncer.sync({ force });
    buffered = await buffer.count().catch(() => buffered);
    if (result.retryAt !== undefined) arm(result.retryAt - clock.now());
    return result.sent;
  }

  async function tick(): Promise<void> {
    timer = undefined;
    if (!closed) await sync(false);
  }

  const onOnline = () => {
    syncer.resetBackoff();
    void sync(false);
  };
  const onHide = (event: Event) => {
    if (event.type === 'visibilitychange' && globalThis.document?.visibilityState !== 'hidden') return;
    void sync(false);
  };
  const events = input.lifecycleEvents;
  events?.addEventListener('online', onOnline);
  events?.addEventListener('pagehide', onHide);
  events?.addEventListener('visibilitychange', onHide);

  // Records left by earlier page loads are due like fresh ones.
  void buffer.count().then(
    (n) => {
      buffered += n;
      if (n > 0) arm(flushIntervalMs);
    },
    () => undefined,
  );

  return {
    push(record) {
      writer.push({ ...record, seq: ++seq });
      if (!closed) queueMicrotask(() => void writer.persist());
    },
    async flush() {
      const sent = await sync(true);
      return { sent, pending: writer.size + buffered };
    },
    stats() {
      return {
        pending: writer.size + buffered,
        synced,
        dropped: { ...dropped },
        ...(lastSyncError === undefined ? {} : { lastSyncError }),
      };
    },
    async close() {
      closed = true;
      if (timer) clock.clearTimeout(timer.handle);
      timer = undefined;
      events?.removeEventListener('online', onOnline);
      events?.removeEventListener('pagehide', onHide);
      events?.removeEventListener('visibilitychange', onHide);
      await writer.persist();
    },
  };
}
