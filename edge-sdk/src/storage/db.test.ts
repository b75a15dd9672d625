import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import { modelBytes } from '../test-support/clients.ts';
import { createFakeHub } from '../test-support/fake-hub.ts';
import { DB_VERSION, openOutpostDb } from './db.ts';

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
    expect(await db.get('modelState', 'penguins')).toEqual({ running: key, issuedAt: 0, minVersion: 0 });
    expect(await db.get('modelFiles', key)).toEqual({ model: 'penguins', version: 4, sha256: key[2], signed, bytes, storedAt: 7 });
    expect(await db.get('modelState', 'broken')).toBeUndefined();
    expect(await db.get('meta', 'deviceId')).toBe('device-1234');
    db.close();
  });
});
