import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { openOutpostDb, type OutpostDb } from '../storage/db.ts';
import { createIndexedDbLogBuffer } from './indexeddb.ts';
import { createMemoryLogBuffer } from './memory.ts';
import type { LogBuffer } from './types.ts';

function record(seq: number): InferenceRecord {
  return {
    id: `record-${String(seq).padStart(4, '0')}`,
    seq,
    model: 'penguins',
    modelVersion: 1,
    executionProvider: 'wasm',
    latencyMs: 1.5,
    createdAt: 1_700_000_000_000 + seq,
    input: { island: 'Biscoe', bill_length_mm: 39.1 + seq, sex: null },
    output: { label: 'Adelie', probabilities: [0.8, 0.1, 0.1] },
  };
}
const records = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => record(from + i));
const ids = (rs: readonly InferenceRecord[]) => rs.map((r) => r.id);

let dbCount = 0;
interface Subject {
  buffer: LogBuffer;
  /** Simulate a reload: a new buffer over the same storage. Only durable buffers have it. */
  reopen?: () => Promise<LogBuffer>;
}

const implementations: Array<[string, () => Promise<Subject>]> = [
  ['memory', async () => {
    return { buffer: createMemoryLogBuffer() };
  }],
  ['indexeddb', async () => {
    const name = `log-buffer-test-${++dbCount}`;
    let db: OutpostDb = await openOutpostDb(name);
    return {
      buffer: createIndexedDbLogBuffer(db),
      async reopen() {
        db.close();
        db = await openOutpostDb(name);
        return createIndexedDbLogBuffer(db);
      },
    };
  }],
];

describe.each(implementations)('LogBuffer contract: %s', (name, make) => {
  test('starts empty', async () => {
    const { buffer } = await make();
    expect(await buffer.count()).toBe(0);
    expect(await buffer.peek(10)).toEqual([]);
  });

  test('peek returns the oldest records first, in append order, without removing them', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 3));
    await buffer.append(records(4, 5));
    expect(ids(await buffer.peek(2))).toEqual(ids(records(1, 2)));
    expect(ids(await buffer.peek(100))).toEqual(ids(records(1, 5)));
    expect(await buffer.count()).toBe(5);
  });

  test('records come back equal to what went in', async () => {
    const { buffer } = await make();
    await buffer.append([record(7)]);
    expect(await buffer.peek(1)).toEqual([record(7)]);
  });

  test('peek(0) returns nothing', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 2));
    expect(await buffer.peek(0)).toEqual([]);
  });

  test('remove deletes by id, anywhere in the queue, and ignores unknown ids', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 5));
    await buffer.remove(['record-0002', 'record-0004', 'no-such-id']);
    expect(ids(await buffer.peek(10))).toEqual(['record-0001', 'record-0003', 'record-0005']);
    expect(await buffer.count()).toBe(3);
    await buffer.remove([]);
    expect(await buffer.count()).toBe(3);
  });

  test('appending an id already buffered is a no-op (also within one batch)', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 2));
    await buffer.append([record(2), record(3), record(3)]);
    expect(ids(await buffer.peek(10))).toEqual(ids(records(1, 3)));
  });

  test('a removed id can be appended again, at the end', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 2));
    await buffer.remove(['record-0001']);
    await buffer.append([record(1)]);
    expect(ids(await buffer.peek(10))).toEqual(['record-0002', 'record-0001']);
  });

  test('concurrent appends keep call order', async () => {
    const { buffer } = await make();
    await Promise.all([buffer.append(records(1, 3)), buffer.append(records(4, 6))]);
    expect(ids(await buffer.peek(10))).toEqual(ids(records(1, 6)));
  });

  test('holds a large batch', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 1000));
    expect(await buffer.count()).toBe(1000);
    expect(ids(await buffer.peek(500))).toEqual(ids(records(1, 500)));
  });

  test.skipIf(name === 'memory')('survives a reopen (reload)', async () => {
    const subject = await make();
    await subject.buffer.append(records(1, 3));
    await subject.buffer.remove(['record-0001']);
    const reopened = await subject.reopen!();
    expect(ids(await reopened.peek(10))).toEqual(['record-0002', 'record-0003']);
    expect(await reopened.count()).toBe(2);
  });
});
