// Late labels (`outpost.feedback(id, label)`), a chunk of its own (import() on first use): most
// apps never send any. The client queues each label in the SDK database's meta store before it
// fetches this chunk (so a label given offline, or just before the page closes, is sent on a later
// trigger or start); this sends the queue in batches of at most FEEDBACK_MAX_ITEMS and bounds it.
import { FEEDBACK_MAX_ITEMS, devicePaths } from '@outpost/shared';
import { describeFailure, hubRequest, type HubEndpoint } from '../http.ts';
import type { MetaStore } from '../storage/meta.ts';

/** Most labels kept waiting for the hub; past it the oldest are dropped and counted. */
export const MAX_PENDING_FEEDBACK = 5_000;

type Item = { predictionId: string; label?: string; value?: number };

export interface FeedbackStats {
  pending: number;
  sent: number;
  /** Dropped, by reason: `queue_full` (over MAX_PENDING_FEEDBACK), `refused` (the hub said 4xx). */
  dropped: Record<string, number>;
  lastError?: string;
}

const same = (a: Item, b: Item) => a.predictionId === b.predictionId && a.label === b.label && a.value === b.value;

/**
 * @example await meta.update('pendingFeedback', (q) => [...(q ?? []), { predictionId, label: 'Adelie' }]); await createFeedbackSender({ hub, meta, deviceId }).flush();
 */
export function createFeedbackSender(input: { hub: HubEndpoint; meta: MetaStore; deviceId: string }) {
  const { hub, meta, deviceId } = input;
  const stats: FeedbackStats = { pending: 0, sent: 0, dropped: {} };
  let running: Promise<void> | undefined;
  const drop = (reason: string, n: number) => n > 0 && (stats.dropped[reason] = (stats.dropped[reason] ?? 0) + n);

  /** Remove what the hub took (or refused): the first matching items, so labels queued meanwhile stay. */
  const remove = (done: readonly Item[]) =>
    meta.update('pendingFeedback', (old) => {
      const left = [...(old ?? [])];
      for (const d of done) {
        const i = left.findIndex((x) => same(x, d));
        if (i >= 0) left.splice(i, 1);
      }
      stats.pending = left.length;
      return left;
    });

  /** Drop the oldest labels past MAX_PENDING_FEEDBACK (the client appends without a bound: it must not wait for this chunk). */
  const trim = () =>
    meta.update('pendingFeedback', (old) => {
      const over = Math.max(0, (old ?? []).length - MAX_PENDING_FEEDBACK);
      drop('queue_full', over);
      return (old ?? []).slice(over);
    });

  async function sendAll(): Promise<void> {
    for (;;) {
      const queue = (await meta.get('pendingFeedback')) ?? [];
      if (queue.length > MAX_PENDING_FEEDBACK) {
        await trim();
        continue;
      }
      stats.pending = queue.length;
      const batch = queue.slice(0, FEEDBACK_MAX_ITEMS);
      if (batch.length === 0) return;
      let res: Response;
      try {
        res = await hubRequest(hub, devicePaths.feedback, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, items: batch }), keepalive: false });
      } catch (e) {
        stats.lastError = `network: ${e instanceof Error ? e.message : String(e)}`;
        return; // kept: a later flush, start or `online` sends them
      }
      if (res.ok) {
        await remove(batch);
        stats.sent += batch.length;
        delete stats.lastError;
        continue;
      }
      stats.lastError = await describeFailure(res);
      // The hub will never take these (a malformed label): drop them, counted. 429 and 5xx: later.
      if (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408) {
        await remove(batch);
        drop('refused', batch.length);
        continue;
      }
      return;
    }
  }

  return {
    /** Send everything queued now; joins a send in flight. Never rejects. */
    flush(): Promise<void> {
      running ??= sendAll()
        .catch((e: unknown) => void (stats.lastError = e instanceof Error ? e.message : String(e)))
        .finally(() => (running = undefined));
      return running;
    },
    stats: (): FeedbackStats => ({ ...stats, dropped: { ...stats.dropped } }),
  };
}
export type FeedbackSender = ReturnType<typeof createFeedbackSender>;
