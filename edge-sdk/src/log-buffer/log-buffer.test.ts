import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { openOutpostDb, type OutpostDb } from '../storage/db.ts';
import { createIndexedDbLogBuffer } from './indexeddb.ts';
import { createMemoryLogBuffer } from './memory.ts';
import { QUARANTINE_LIMIT, recordBytes, type LogBuffer } from './types.ts';

const T0 = 1_700_000_000_000;
function record(seq: number, createdAt = T0 + seq): InferenceRecord {
  return {
    id: `record-${String(seq).padStart(4, '0')}`,
    seq,
    model: 'penguins',
    modelVersion: 1,
    executionProvider: 'wasm',
    latencyMs: 1.5,
    createdAt,
    input: { island: 'Biscoe', bill_length_mm: 39.1 + seq, sex: null },
    output: { label: 'Adelie', probabilities: [0.8, 0.1, 0.1] },
  };
}
const records = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => record(from + i));
const ids = (rs: readonly InferenceRecord[]) => rs.map((r) => r.id);
const bytesOf = (rs: readonly InferenceRecord[]) => rs.reduce((sum, r) => sum + recordBytes(r), 0);
const NO_LIMIT = { maxBytes: Infinity, createdBefore: -Infinity };

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
    expect(await buffer.size()).toEqual({ count: 0, bytes: 0, quarantined: 0 });
    expect(await buffer.peek(10)).toEqual([]);
    expect(await buffer.quarantined(10)).toEqual([]);
  });

  test('peek returns the oldest records first, in append order, without removing them', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 3));
    await buffer.append(records(4, 5));
    expect(ids(await buffer.peek(2))).toEqual(ids(records(1, 2)));
    expect(ids(await buffer.peek(100))).toEqual(ids(records(1, 5)));
    expect((await buffer.size()).count).toBe(5);
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

  test('size counts records, their UTF-8 JSON bytes and the oldest createdAt', async () => {
    const { buffer } = await make();
    const wide = { ...record(1), input: { note: 'é€😀' } };
    expect(recordBytes(wide)).toBe(new TextEncoder().encode(JSON.stringify(wide)).length);
    await buffer.append([wide, ...records(2, 4)]);
    expect(await buffer.size()).toEqual({ count: 4, bytes: bytesOf([wide, ...records(2, 4)]), oldestCreatedAt: T0 + 1, quarantined: 0 });
    await buffer.remove([wide.id, 'record-0003']);
    expect(await buffer.size()).toEqual({ count: 2, bytes: bytesOf([record(2), record(4)]), oldestCreatedAt: T0 + 2, quarantined: 0 });
  });

  test('remove deletes by id, anywhere in the queue, and ignores unknown ids', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 5));
    await buffer.remove(['record-0002', 'record-0004', 'no-such-id']);
    expect(ids(await buffer.peek(10))).toEqual(['record-0001', 'record-0003', 'record-0005']);
    expect((await buffer.size()).count).toBe(3);
    await buffer.remove([]);
    expect((await buffer.size()).count).toBe(3);
  });

  test('appending an id already queued is a no-op (also within one batch) and adds no bytes', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 2));
    await buffer.append([record(2), record(3), record(3)]);
    expect(ids(await buffer.peek(10))).toEqual(ids(records(1, 3)));
    expect((await buffer.size()).bytes).toBe(bytesOf(records(1, 3)));
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

  test('remove finds records across many appends: the head, the middle and the tail', async () => {
    const { buffer } = await make();
    for (let from = 1; from <= 350; from += 7) await buffer.append(records(from, from + 6));
    const gone = ['record-0001', 'record-0002', 'record-0150', 'record-0151', 'record-0349', 'record-0350'];
    await buffer.remove(gone, { reason: 'rejected_400', at: 1 });
    const left = ids(records(1, 350)).filter((id) => !gone.includes(id));
    expect(ids(await buffer.peek(400))).toEqual(left);
    expect(await buffer.size()).toEqual({ count: 344, bytes: bytesOf(records(1, 350).filter((r) => left.includes(r.id))), oldestCreatedAt: T0 + 3, quarantined: 6 });
    expect((await buffer.quarantined(10)).map((q) => q.record.id)).toEqual([...gone].reverse());
    // Removing the whole head, a batch at a time, as uploads do.
    for (let n = 0; n < 344; n += 100) await buffer.remove(ids(await buffer.peek(100)));
    expect(await buffer.size()).toEqual({ count: 0, bytes: 0, quarantined: 6 });
    expect(await buffer.peek(10)).toEqual([]);
  });

  test('an id queued by an earlier append is skipped, however long ago', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 250));
    await buffer.append(records(300, 310));
    await buffer.append([record(5), record(400), record(305), record(400)]);
    expect(ids(await buffer.peek(1000))).toEqual([...ids(records(1, 250)), ...ids(records(300, 310)), 'record-0400']);
    expect((await buffer.size()).bytes).toBe(bytesOf([...records(1, 250), ...records(300, 310), record(400)]));
  });

  test('holds a large batch', async () => {
    const { buffer } = await make();
    await buffer.append(records(1, 1000));
    expect((await buffer.size()).count).toBe(1000);
    expect(ids(await buffer.peek(500))).toEqual(ids(records(1, 500)));
  });

  describe('trim', () => {
    test('over maxBytes: drops the oldest until the rest fits, and counts them as full', async () => {
      const { buffer } = await make();
      await buffer.append(records(1, 10));
      const maxBytes = bytesOf(records(4, 10));
      expect(await buffer.trim({ maxBytes, createdBefore: -Infinity })).toEqual({ full: 3, expired: 0 });
      expect(ids(await buffer.peek(20))).toEqual(ids(records(4, 10)));
      expect(await buffer.size()).toMatchObject({ count: 7, bytes: maxBytes, oldestCreatedAt: T0 + 4 });
      expect(await buffer.trim({ maxBytes, createdBefore: -Infinity })).toEqual({ full: 0, expired: 0 });
    });

    test('drops records created before the cutoff, oldest first, stopping at the first younger one', async () => {
      const { buffer } = await make();
      await buffer.append([record(1, 100), record(2, 200), record(3, 300), record(4, 50)]);
      expect(await buffer.trim({ maxBytes: Infinity, createdBefore: 250 })).toEqual({ full: 0, expired: 2 });
      expect(ids(await buffer.peek(10))).toEqual(['record-0003', 'record-0004']);
    });

    test('never drops a record in keep (an upload in flight); takes the next oldest instead', async () => {
      const { buffer } = await make();
      await buffer.append(records(1, 6));
      const keep = new Set(['record-0001', 'record-0002']);
      const result = await buffer.trim({ maxBytes: bytesOf(records(1, 4)), createdBefore: T0 + 2, keep });
      // record 1 is expired but kept; 3 and 4 go for space (the age walk stops at record 3).
      expect(result).toEqual({ full: 2, expired: 0 });
      expect(ids(await buffer.peek(10))).toEqual(['record-0001', 'record-0002', 'record-0005', 'record-0006']);
      expect((await buffer.size()).bytes).toBe(bytesOf([record(1), record(2), record(5), record(6)]));
    });

    test('works across many records (pages of reads), skipping a kept record in the middle', async () => {
      const { buffer } = await make();
      await buffer.append(records(1, 1200));
      const keep = new Set(['record-0700']);
      const result = await buffer.trim({ maxBytes: bytesOf([record(700), ...records(1101, 1200)]), createdBefore: -Infinity, keep });
      expect(result).toEqual({ full: 1099, expired: 0 });
      expect(ids(await buffer.peek(2000))).toEqual(['record-0700', ...ids(records(1101, 1200))]);
      expect(await buffer.size()).toMatchObject({ count: 101, oldestCreatedAt: T0 + 700 });
    });

    test('across many appends: drops whole runs of them, splits the one it stops in, keeps what is kept', async () => {
      const { buffer } = await make();
      for (let from = 1; from <= 500; from += 50) await buffer.append(records(from, from + 49));
      const keep = new Set(['record-0020', 'record-0260']);
      // Records 1–120 expired; then records go for space until 101 of them (with 20 and 260) fit.
      const fits = bytesOf([record(20), record(260), ...records(400, 500)]);
      const result = await buffer.trim({ maxBytes: fits, createdBefore: T0 + 121, keep });
      expect(result).toEqual({ full: 278, expired: 119 });
      expect(ids(await buffer.peek(1000))).toEqual(['record-0020', 'record-0260', ...ids(records(400, 500))]);
      expect(await buffer.size()).toMatchObject({ count: 103, bytes: fits, oldestCreatedAt: T0 + 20 });
      await buffer.remove(['record-0020', 'record-0260']);
      expect(await buffer.size()).toMatchObject({ count: 101, oldestCreatedAt: T0 + 400 });
    });

    test('on an empty queue, or within bounds, is a no-op', async () => {
      const { buffer } = await make();
      expect(await buffer.trim({ maxBytes: 0, createdBefore: Infinity })).toEqual({ full: 0, expired: 0 });
      await buffer.append(records(1, 2));
      expect(await buffer.trim(NO_LIMIT)).toEqual({ full: 0, expired: 0 });
      expect((await buffer.size()).count).toBe(2);
    });
  });

  describe('quarantine', () => {
    test('remove with a reason moves records out of the queue into the quarantine', async () => {
      const { buffer } = await make();
      await buffer.append(records(1, 4));
      await buffer.remove(['record-0002', 'record-0003', 'nope'], { reason: 'rejected_400', at: 42 });
      expect(ids(await buffer.peek(10))).toEqual(['record-0001', 'record-0004']);
      expect(await buffer.size()).toMatchObject({ count: 2, bytes: bytesOf([record(1), record(4)]), quarantined: 2 });
      expect(await buffer.quarantined(10)).toEqual([
        { record: record(3), reason: 'rejected_400', at: 42 },
        { record: record(2), reason: 'rejected_400', at: 42 },
      ]);
      expect(await buffer.quarantined(1)).toHaveLength(1);
    });

    test(`keeps the newest ${QUARANTINE_LIMIT} quarantined records`, async () => {
      const { buffer } = await make();
      const all = records(1, QUARANTINE_LIMIT + 5);
      await buffer.append(all);
      await buffer.remove(ids(all.slice(0, 10)), { reason: 'rejected_422', at: 1 });
      await buffer.remove(ids(all.slice(10)), { reason: 'rejected_400', at: 2 });
      expect((await buffer.size()).quarantined).toBe(QUARANTINE_LIMIT);
      const kept = await buffer.quarantined(QUARANTINE_LIMIT + 10);
      expect(kept).toHaveLength(QUARANTINE_LIMIT);
      expect(kept.at(-1)?.record.id).toBe(record(6).id);
      expect(kept[0]?.record.id).toBe(all.at(-1)?.id);
    });
  });

  test.skipIf(name === 'memory')('survives a reopen (reload): records, totals and the quarantine', async () => {
    const subject = await make();
    await subject.buffer.append(records(1, 4));
    await subject.buffer.remove(['record-0001']);
    await subject.buffer.remove(['record-0004'], { reason: 'rejected_400', at: 7 });
    const reopened = await subject.reopen!();
    expect(ids(await reopened.peek(10))).toEqual(['record-0002', 'record-0003']);
    expect(await reopened.size()).toEqual({ count: 2, bytes: bytesOf(records(2, 3)), oldestCreatedAt: T0 + 2, quarantined: 1 });
    expect(await reopened.quarantined(5)).toEqual([{ record: record(4), reason: 'rejected_400', at: 7 }]);
  });
});
