import { expect, it } from 'vitest';
import { describeDelivery } from './delivery-text.ts';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

it('says how a webhook went: the outcome, its detail, the deliveries made past the first, and when it goes again', () => {
  expect(describeDelivery({ delivery: 'none', deliveryDetail: null, attempts: 0, nextAttemptAt: null }, iso)).toBe('none');
  expect(describeDelivery({ delivery: 'sent', deliveryDetail: 'HTTP 200', attempts: 1, nextAttemptAt: null }, iso)).toBe('sent (HTTP 200)');
  expect(describeDelivery({ delivery: 'failed', deliveryDetail: 'HTTP 503', attempts: 3, nextAttemptAt: Date.UTC(2026, 10, 27, 9, 12) }, iso)).toBe('failed (HTTP 503), 3 deliveries, again at 2026-11-27T09:12:00');
});
