import { expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { createMemoryLogBuffer } from './memory.ts';
import type { LogBuffer } from './types.ts';
import { createWriteBehind } from './write-behind.ts';

const record = (seq: number) => ({ id: `record-${seq}-xxxx`, seq }) as InferenceRecord;

function setup(buffer: LogBuffer = createMemoryLogBuffer()) {
  const written: number[] = [];
  const errors: unknown[] = [];
  const writer = createWriteBehind({ buffer, batchSize: 3, onWritten: (n) => written.push(n), onError: (e) => errors.push(e) });
  return { buffer, writer, written, errors };
}

test('persist with nothing pending does not block later persists', async () => {
  const { buffer, writer } = setup();
  await writer.persist();
  writer.push(record(1));
  await writer.persist();
  expect((await buffer.size()).count).toBe(1);
  expect(writer.size).toBe(0);
});

test('writes in batches of batchSize, in order, reporting each batch once to concurrent callers', async () => {
  const { buffer, writer, written } = setup();
  for (let i = 1; i <= 7; i++) writer.push(record(i));
  await Promise.all([writer.persist(), writer.persist(), writer.persist()]);
  expect(written).toEqual([3, 3, 1]);
  expect((await buffer.peek(10)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
});

test('records pushed while a write is in flight go in the same run', async () => {
  const { buffer, writer } = setup();
  writer.push(record(1));
  expect(writer.draining).toBe(false);
  const run = writer.persist();
  expect(writer.draining).toBe(true);
  writer.push(record(2)); // no persist(): the write under way takes it
  await run;
  expect(writer.draining).toBe(false);
  expect((await buffer.size()).count).toBe(2);
});

test('a failed append keeps the records for the next persist and never rejects', async () => {
  const memory = createMemoryLogBuffer();
  let fail = true;
  const flaky: LogBuffer = { ...memory, append: (rs) => (fail ? Promise.reject(new Error('QuotaExceededError')) : memory.append(rs)) };
  const { writer, errors } = setup(flaky);
  writer.push(record(1));
  await writer.persist();
  expect(errors).toHaveLength(1);
  expect(writer.size).toBe(1);
  fail = false;
  await writer.persist();
  expect(writer.size).toBe(0);
  expect((await memory.size()).count).toBe(1);
});

test('afterAppend runs after each written batch; pending() shows what is not written yet', async () => {
  const buffer = createMemoryLogBuffer();
  const seen: number[] = [];
  const writer = createWriteBehind({
    buffer,
    batchSize: 2,
    afterAppend: async () => void seen.push((await buffer.size()).count),
    onWritten: () => undefined,
    onError: () => undefined,
  });
  for (let i = 1; i <= 3; i++) writer.push(record(i));
  expect(writer.pending().map((r) => r.seq)).toEqual([1, 2, 3]);
  await writer.persist();
  expect(seen).toEqual([2, 3]);
  expect(writer.pending()).toEqual([]);
});
