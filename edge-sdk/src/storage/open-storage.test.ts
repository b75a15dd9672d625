import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { createMemoryLogBuffer } from '../log-buffer/memory.ts';
import { openClientStorage } from './open-storage.ts';

const record: InferenceRecord = {
  id: 'record-1',
  seq: 1,
  model: 'penguins',
  modelVersion: 1,
  executionProvider: 'wasm',
  latencyMs: 1,
  createdAt: 1_700_000_000_000,
  input: { island: 'Dream' },
  output: { label: 'Adelie', probabilities: [1, 0, 0] },
};
let projects = 0;
const input = () => ({ hubUrl: 'https://hub.example', projectKey: `pk_test_${++projects}`, logBuffer: undefined, model: 'penguins' });

afterEach(() => vi.unstubAllGlobals());

describe('openClientStorage', () => {
  test('with IndexedDB: the device id and the log queue survive a reopen', async () => {
    const project = input();
    const first = await openClientStorage(project);
    expect(first).toMatchObject({ kind: 'indexeddb', seq: 0 });
    expect(first.error).toBeUndefined();
    await first.logs.append([record]);
    await first.meta.put('seq', 7);
    first.db?.close();

    const again = await openClientStorage(project);
    expect(again).toMatchObject({ kind: 'indexeddb', deviceId: first.deviceId, seq: 7 });
    expect(await again.logs.peek(10)).toEqual([record]);
    again.db?.close();
  });

  test('without IndexedDB: memory stores (the log buffer loaded on demand), and the reason', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const storage = await openClientStorage(input());
    expect(storage).toMatchObject({ kind: 'memory', error: 'IndexedDB is not available', db: undefined, seq: 0 });
    expect(storage.deviceId).toMatch(/\S/);
    await storage.logs.append([record, record]);
    expect(await storage.logs.size()).toEqual({ count: 1, bytes: expect.any(Number), oldestCreatedAt: record.createdAt, quarantined: 0 });
    await storage.meta.update('seq', (old) => (old ?? 0) + 1);
    expect(await storage.meta.get('seq')).toBe(1);
    expect(await storage.models.state('penguins')).toBeUndefined();
  });

  test('IndexedDB that refuses to open falls back to memory and says why', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
    const storage = await openClientStorage(input());
    expect(storage).toMatchObject({ kind: 'memory', error: 'The user denied permission to access the database.' });
    await storage.logs.append([record]);
    expect(await storage.logs.peek(10)).toEqual([record]);
  });

  test('a log buffer given by the app is used as is, with or without IndexedDB', async () => {
    const mine = createMemoryLogBuffer();
    const storage = await openClientStorage({ ...input(), logBuffer: mine });
    expect(storage.logs).toBe(mine);
    storage.db?.close();
    vi.stubGlobal('indexedDB', undefined);
    expect((await openClientStorage({ ...input(), logBuffer: mine })).logs).toBe(mine);
  });
});
