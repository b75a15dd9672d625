import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import { createIndexedDbLogBuffer } from '../log-buffer/indexeddb.ts';
import { recordBytes } from '../log-buffer/types.ts';
import { modelBytes } from '../test-support/clients.ts';
import { createFakeHub } from '../test-support/fake-hub.ts';
import { sha256Hex as sha256Text } from '../sync/sha256.ts';
import { DB_VERSION, dbNameFor, inStore, openOutpostDb } from './db.ts';

describe('database name', () => {
  test('per hub and hashed project key, the same with WebCrypto as with the script SHA-256 (a database is never renamed)', async () => {
    expect(await dbNameFor('https://hub.example/', 'abc')).toBe('outpost:https://hub.example:ba7816bf8f01');
    expect(await dbNameFor('https://hub.example', 'pk_live_x')).toBe(`outpost:https://hub.example:${sha256Text('pk_live_x').slice(0, 12)}`);
  });
});

describe('SDK database migrations', () => {
  test('2: the last good model of schema 1 becomes the running version in modelFiles', async () => {
    const hub = await createFakeHub();
    const bytes = modelBytes(4);
    const signed = await hub.publish(4, bytes);
    const name = `outpost:migration-test-${Math.random()}`;
    // A database as schema 1 left it.
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('models');
        db.createObjectStore('logs', { autoIncrement: true }).createIndex('id', 'id', { unique: true });
        db.createObjectStore('meta');
      },
    });
    await v1.put('models', { signed, bytes, storedAt: 7 }, 'penguins');
    await v1.put('models', { signed: { ...signed, payload: 'not base64 json' }, bytes, storedAt: 7 }, 'broken');
    await v1.put('meta', 'device-1234', 'deviceId');
    v1.close();

    const db = await openOutpostDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).not.toContain('models');
    const sha256 = (await import('@outpost/shared')).sha256Hex;
    const key: [string, number, string] = ['penguins', 4, await sha256(bytes)];
    expect(await inStore(db, 'modelState', (s) => s.get('penguins'))).toEqual({ running: key, issuedAt: 0, minVersion: 0 });
    expect(await inStore(db, 'modelFiles', (s) => s.get(key))).toEqual({ model: 'penguins', version: 4, sha256: key[2], signed, bytes, storedAt: 7 });
    expect(await inStore(db, 'modelState', (s) => s.get('broken'))).toBeUndefined();
    expect(await inStore(db, 'meta', (s) => s.get('deviceId'))).toBe('device-1234');
    db.close();
  });

  test('4: the queued records of schema 3, one per value, move into chunks in order and keep working', async () => {
    const name = `outpost:migration-test-${Math.random()}`;
    const record = (seq: number): InferenceRecord => ({
      id: `record-${seq}`,
      seq,
      model: 'penguins',
      modelVersion: 1,
      executionProvider: 'wasm',
      latencyMs: 1,
      createdAt: 1_000 + seq,
      input: { note: seq % 2 ? 'é' : 'e' },
      output: { label: 'Adelie', probabilities: [1, 0, 0] },
    });
    // A database as schema 3 left it, with gaps in the queue's keys (records already uploaded).
    const v3 = await openDB(name, 3, {
      upgrade(db) {
        db.createObjectStore('modelFiles').createIndex('model', 'model');
        db.createObjectStore('modelState');
        db.createObjectStore('logs', { autoIncrement: true }).createIndex('id', 'id', { unique: true });
        db.createObjectStore('meta');
        db.createObjectStore('quarantine', { autoIncrement: true });
      },
    });
    for (let seq = 1; seq <= 260; seq++) await v3.add('logs', record(seq));
    for (const key of [1, 2, 150]) await v3.delete('logs', key);
    const queued = Array.from({ length: 260 }, (_, i) => record(i + 1)).filter((r) => ![1, 2, 150].includes(r.seq));
    await v3.add('quarantine', { record: record(999), reason: 'rejected_400', at: 5 });
    await v3.put('meta', 260, 'seq');
    v3.close();

    const db = await openOutpostDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).not.toContain('logs');
    const chunks = await inStore(db, 'logChunks', (s) => s.getAll());
    expect(chunks.map((c) => c.records.length)).toEqual([100, 100, 57]);
    expect(chunks.flatMap((c) => c.bytes)).toEqual(queued.map(recordBytes));
    const buffer = createIndexedDbLogBuffer(db);
    expect(await buffer.peek(1000)).toEqual(queued);
    expect(await buffer.size()).toEqual({ count: 257, bytes: queued.reduce((sum, r) => sum + recordBytes(r), 0), oldestCreatedAt: 1_003, quarantined: 1 });
    await buffer.append([record(3), record(261)]); // still refuses an id already queued
    await buffer.remove(['record-4', 'record-200']);
    expect((await buffer.peek(1000)).map((r) => r.seq)).toEqual([...queued.map((r) => r.seq).filter((seq) => seq !== 4 && seq !== 200), 261]);
    expect(await inStore(db, 'meta', (s) => s.get('seq'))).toBe(260);
    db.close();
  });

  test('a newer schema in another tab is not blocked: this connection closes on versionchange', async () => {
    const name = `outpost:migration-test-${Math.random()}`;
    const db = await openOutpostDb(name);
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, DB_VERSION + 1);
      open.onblocked = () => reject(new Error('the upgrade was blocked by the open SDK connection'));
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    expect(newer.version).toBe(DB_VERSION + 1);
    expect(() => db.transaction('meta')).toThrow(/closed|InvalidStateError/i);
    newer.close();
  });
});
