import { describe, expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { BATCH_ID_LENGTH, batchIdOf, fitBatch } from './batch.ts';

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
const bodyBytes = (deviceId: string, records: InferenceRecord[]) =>
  new TextEncoder().encode(JSON.stringify({ deviceId, batchId: batchIdOf(records), records })).length;

describe('fitBatch', () => {
  const deviceId = 'device-123456';
  const records = Array.from({ length: 10 }, (_, i) => record(i, 'é'.repeat(i * 10)));

  test('takes everything when it fits', () => {
    expect(fitBatch(records, { deviceId, maxBytes: 1_000_000 })).toBe(10);
  });

  test('stops at the exact byte limit of the JSON body (UTF-8, envelope and batch id included)', () => {
    for (let n = 1; n <= 10; n++) {
      const exact = bodyBytes(deviceId, records.slice(0, n));
      expect(fitBatch(records, { deviceId, maxBytes: exact })).toBe(n);
      expect(fitBatch(records, { deviceId, maxBytes: exact - 1 })).toBe(n - 1);
    }
  });

  test('0 when the first record alone is too big', () => {
    expect(fitBatch([record(0, 'x'.repeat(2_000)), record(1)], { deviceId, maxBytes: 1_000 })).toBe(0);
  });

  test('0 for no records', () => {
    expect(fitBatch([], { deviceId, maxBytes: 1_000 })).toBe(0);
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
