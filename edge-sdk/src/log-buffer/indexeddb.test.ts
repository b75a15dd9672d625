import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { inStore, openOutpostDb } from '../storage/db.ts';
import { createIndexedDbLogBuffer } from './indexeddb.ts';

// What only the IndexedDB buffer has: its storage layout and more than one buffer over one database
// (a reload, another tab). The behaviour both buffers share is in log-buffer.test.ts.
const T0 = 1_700_000_000_000;
const record = (seq: number): InferenceRecord => ({
  id: `record-${String(seq).padStart(4, '0')}`,
  seq,
  model: 'penguins',
  modelVersion: 1,
  executionProvider: 'wasm',
  latencyMs: 1,
  createdAt: T0 + seq,
  input: { island: 'Dream' },
  output: { label: 'Adelie', probabilities: [1, 0, 0] },
});
const records = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => record(from + i));
const ids = (rs: readonly InferenceRecord[]) => rs.map((r) => r.id);
let dbCount = 0;
const freshName = () => `indexeddb-buffer-test-${++dbCount}`;

test('stores a chunk of up to 100 records per value, not a value per record', async () => {
  const db = await openOutpostDb(freshName());
  const buffer = createIndexedDbLogBuffer(db);
  await buffer.append(records(1, 250));
  await buffer.append(records(251, 257));
  const chunks = await inStore(db, 'logChunks', (s) => s.getAll());
  expect(chunks.map((c) => c.records.length)).toEqual([100, 100, 50, 7]);
  expect(chunks.flatMap((c) => c.bytes)).toHaveLength(257);
  // Removing from the head rewrites the chunk it cuts into and deletes the ones it empties.
  await buffer.remove(ids(records(1, 130)));
  expect((await inStore(db, 'logChunks', (s) => s.getAll())).map((c) => c.records.length)).toEqual([70, 50, 7]);
  db.close();
});

test('after a reopen, ids queued before are still skipped', async () => {
  const name = freshName();
  const first = await openOutpostDb(name);
  await createIndexedDbLogBuffer(first).append(records(1, 3));
  first.close();
  const db = await openOutpostDb(name);
  const buffer = createIndexedDbLogBuffer(db);
  await buffer.append([record(2), record(4)]);
  expect(ids(await buffer.peek(10))).toEqual(ids(records(1, 4)));
  expect((await buffer.size()).count).toBe(4);
  db.close();
});

test('records another tab queued are uploaded and removed from the head like this tab’s own', async () => {
  const name = freshName();
  const [dbA, dbB] = [await openOutpostDb(name), await openOutpostDb(name)];
  const [tabA, tabB] = [createIndexedDbLogBuffer(dbA), createIndexedDbLogBuffer(dbB)];
  await tabA.append(records(1, 2));
  expect((await tabA.size()).count).toBe(2); // tab A has read the queue before tab B writes
  await tabB.append(records(3, 6));
  const head = await tabA.peek(4);
  expect(ids(head)).toEqual(ids(records(1, 4)));
  await tabA.remove(ids(head));
  expect(ids(await tabA.peek(10))).toEqual(ids(records(5, 6)));
  expect(ids(await tabB.peek(10))).toEqual(ids(records(5, 6)));
  dbA.close();
  dbB.close();
});
