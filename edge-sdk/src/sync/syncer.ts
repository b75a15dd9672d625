import { INGEST_LIMITS } from '@outpost/shared';
import type { Clock } from '../clock.ts';
import type { LogBuffer } from '../log-buffer/types.ts';
import { nextRetryDelay, type BackoffPolicy } from './backoff.ts';
import { fitBatch, uploadOf } from './batch.ts';
import type { SyncTransport } from './transport.ts';

export interface SyncerOptions {
  buffer: LogBuffer;
  transport: SyncTransport;
  deviceId: string;
  /** Most records per upload; capped at the hub's limit. */
  batchSize: number;
  clock: Clock;
  random: () => number;
  backoff?: BackoffPolicy;
  onSent: (count: number) => void;
  onDrop: (reason: string, count: number) => void;
  /** Drops by reason so far (cumulative), reported to the hub with each upload. */
  dropped: () => Readonly<Record<string, number>>;
  onError: (message: string) => void;
}

export interface SyncResult {
  sent: number;
  /** Set when the loop stopped to back off: epoch ms of the earliest next attempt. */
  retryAt?: number;
}

export interface Syncer {
  /**
   * Upload buffered records batch by batch until the buffer is empty or the hub says wait.
   * Joins a run in flight. `force` ignores our own backoff (not the hub's Retry-After) and starts
   * a fresh run after one in flight, so it also sees records buffered since.
   */
  sync(options?: { force?: boolean }): Promise<SyncResult>;
  /** Forget our own backoff, e.g. when the browser says it is back online. */
  resetBackoff(): void;
  /** Ids of the records in the upload in flight: the queue's bounds must not drop them meanwhile. */
  readonly inFlight: ReadonlySet<string>;
}

/**
 * The upload policy. A record leaves the buffer only when the hub answered 2xx for its batch, or
 * when the hub said it can never take it (then it is counted as dropped, by reason: a record too
 * large for any upload is deleted, a batch refused with another 4xx moves to the quarantine).
 * Every upload carries a batch id derived from its record ids, so a retry of the same records is
 * recognisably the same upload, the device clock at send (`sentAt`, for the hub's clock-skew
 * correction) and the drops so far (`health`).
 */
export function createSyncer(options: SyncerOptions): Syncer {
  const { buffer, transport, deviceId, clock, onSent, onDrop, onError } = options;
  const batchSize = Math.max(1, Math.min(options.batchSize, INGEST_LIMITS.maxRecordsPerBatch));
  let attempt = 0;
  let backoffUntil = 0;
  let hubSaysWaitUntil = 0;
  let running: Promise<SyncResult> | undefined;
  const inFlight = new Set<string>();

  async function run(force: boolean): Promise<SyncResult> {
    let sent = 0;
    let limit = batchSize;
    try {
      for (;;) {
        inFlight.clear();
        const waitUntil = force ? hubSaysWaitUntil : Math.max(backoffUntil, hubSaysWaitUntil);
        if (clock.now() < waitUntil) return { sent, retryAt: waitUntil };
        const records = await buffer.peek(limit);
        const first = records[0];
        if (!first) return { sent };
        const n = fitBatch(records, { deviceId, dropped: options.dropped(), maxBytes: INGEST_LIMITS.maxBodyBytes });
        if (n === 0) {
          await drop([first.id], 'too_large');
          continue;
        }
        const batch = records.slice(0, n);
        const ids = batch.map((r) => r.id);
        for (const id of ids) inFlight.add(id);
        // In flight until its outcome is handled: a 2xx must find its records still there to remove.
        const outcome = await transport.send(uploadOf(batch, { deviceId, dropped: options.dropped() }, Math.round(clock.now())));
        switch (outcome.kind) {
          case 'sent':
            await buffer.remove(ids);
            sent += n;
            attempt = 0;
            backoffUntil = hubSaysWaitUntil = 0;
            onSent(n);
            break;
          case 'too-large':
            // The hub's limit is smaller than ours (a proxy, say): halve until it fits.
            if (n === 1) await drop(ids, 'too_large');
            else limit = Math.ceil(n / 2);
            break;
          case 'rejected': {
            // Never retried (it would fail the same way, forever), never silently deleted.
            const reason = `rejected_${outcome.status}`;
            onError(outcome.error);
            await buffer.remove(ids, { reason, at: clock.now() });
            onDrop(reason, n);
            break;
          }
          case 'retry': {
            onError(outcome.error);
            const now = clock.now();
            const delay = nextRetryDelay({
              attempt,
              random: options.random,
              retryAfterMs: outcome.retryAfterMs,
              ...(options.backoff ? { policy: options.backoff } : {}),
            });
            attempt++;
            backoffUntil = now + delay;
            if (outcome.retryAfterMs !== undefined) hubSaysWaitUntil = now + outcome.retryAfterMs;
            return { sent, retryAt: backoffUntil };
          }
        }
      }
    } catch (e) {
      // The buffer failed (database closed or evicted): the records stay put, try again later.
      onError(`log buffer: ${e instanceof Error ? e.message : String(e)}`);
      return { sent };
    } finally {
      inFlight.clear();
    }
  }

  async function drop(ids: string[], reason: string): Promise<void> {
    await buffer.remove(ids);
    onDrop(reason, ids.length);
  }

  function start(force: boolean): Promise<SyncResult> {
    const current = run(force).finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  }

  return {
    sync({ force = false } = {}) {
      if (!running) return start(force);
      if (!force) return running;
      // A run started after this one finished began after our call too: joining it is enough.
      return running.then(() => running ?? start(true));
    },
    resetBackoff() {
      attempt = 0;
      backoffUntil = 0;
    },
    inFlight,
  };
}
