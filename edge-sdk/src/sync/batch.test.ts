import { describe, expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { HEALTH_LIMITS } from '@outpost/shared';
import { BATCH_ID_LENGTH, batchIdOf, fitBatch, uploadOf } from './batch.ts';

const record = (i: number, note = ''): InferenceRecord => ({
  id: `id-${i}-aaaaaaaa`,
  seq: i,
  model: 'm',
  modelVersion: 1,
  executionProvider: 'wasm',
  latencyMs: 1,
  createdAt: 0,
  input: { note },
  output: { label: 'a', probabilities: [1] },
});
const dropped = { queue_full: 12, rejected_400: 3 };
const bodyBytes = (deviceId: string, records: InferenceRecord[], sentAt = Number.MAX_SAFE_INTEGER) =>
  new TextEncoder().encode(JSON.stringify(uploadOf(records, { deviceId, dropped }, sentAt))).length;

describe('fitBatch', () => {
  const deviceId = 'device-123456';
  const records = Array.from({ length: 10 }, (_, i) => record(i, 'é'.repeat(i * 10)));
  const fit = (maxBytes: number, from = records) => fitBatch(from, { deviceId, dropped, maxBytes });

  test('takes everything when it fits', () => {
    expect(fit(1_000_000)).toBe(10);
  });

  test('stops at the exact byte limit of the JSON body (UTF-8, batch id, the longest sentAt and the health report included)', () => {
    for (let n = 1; n <= 10; n++) {
      const exact = bodyBytes(deviceId, records.slice(0, n));
      expect(fit(exact)).toBe(n);
      expect(fit(exact - 1)).toBe(n - 1);
      // A real send time has fewer digits: the body sent is never over what was fitted.
      expect(bodyBytes(deviceId, records.slice(0, n), Date.UTC(2026, 0, 1))).toBeLessThanOrEqual(exact);
    }
  });

  test('0 when the first record alone is too big', () => {
    expect(fit(1_000, [record(0, 'x'.repeat(2_000)), record(1)])).toBe(0);
  });

  test('0 for no records', () => {
    expect(fit(1_000, [])).toBe(0);
  });
});

describe('uploadOf', () => {
  const records = Array.from({ length: 3 }, (_, i) => record(i));
  test('carries the send time and the health report; the batch id depends on the records only', () => {
    const first = uploadOf(records, { deviceId: 'device-1', dropped }, 1_000);
    const retry = uploadOf(records, { deviceId: 'device-1', dropped: { ...dropped, expired: 1 } }, 9_000);
    expect(first).toEqual({ deviceId: 'device-1', batchId: batchIdOf(records), sentAt: 1_000, health: { model: 'm', dropped }, records });
    expect(retry).toMatchObject({ batchId: first.batchId, sentAt: 9_000, health: { dropped: { ...dropped, expired: 1 } } });
  });

  test('a report the hub would refuse is cut down to what it accepts, never sent as is', () => {
    const many = Object.fromEntries(Array.from({ length: HEALTH_LIMITS.maxReasons + 5 }, (_, i) => [`rejected_${400 + i}`, i]));
    const health = uploadOf(records, { deviceId: 'device-1', dropped: { ...many, 'odd reason': 1 } }, 1).health!;
    expect(Object.keys(health.dropped)).toHaveLength(HEALTH_LIMITS.maxReasons);
    expect(health.dropped['odd reason']).toBeUndefined();
  });
});

describe('batchIdOf', () => {
  const records = Array.from({ length: 5 }, (_, i) => record(i));
  test('the same records give the same id, of a fixed length the hub accepts (8–64)', () => {
    expect(batchIdOf(records)).toBe(batchIdOf(records.map((r) => ({ ...r }))));
    expect(batchIdOf(records)).toMatch(new RegExp(`^[0-9a-f]{${BATCH_ID_LENGTH}}$`));
  });
  test('another set, another order or a subset gives another id', () => {
    const ids = new Set([batchIdOf(records), batchIdOf(records.slice(0, 4)), batchIdOf(records.slice(1)), batchIdOf([...records].reverse())]);
    expect(ids.size).toBe(4);
  });
});
