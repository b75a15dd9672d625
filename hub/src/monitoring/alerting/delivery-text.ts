import type { AlertEventView } from './store.ts';

/**
 * `failed (HTTP 503), 3 deliveries, again at 2026-11-27T09:12:00`: how an event's webhook went, in a
 * few words, for the CLI and the console. `time` formats the due time.
 */
export function describeDelivery(e: Pick<AlertEventView, 'delivery' | 'deliveryDetail' | 'attempts' | 'nextAttemptAt'>, time: (ms: number) => string): string {
  return `${e.delivery}${e.deliveryDetail ? ` (${e.deliveryDetail})` : ''}${e.attempts > 1 ? `, ${e.attempts} deliveries` : ''}${e.nextAttemptAt !== null ? `, again at ${time(e.nextAttemptAt)}` : ''}`;
}
