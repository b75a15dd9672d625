import type { LogBuffer } from '../log-buffer/types.ts';
import { createIndexedDbLogBuffer } from '../log-buffer/indexeddb.ts';
import { createMemoryLogBuffer } from '../log-buffer/memory.ts';
import { createIdbModelStore, createMemoryModelStore, type ModelStore } from '../model-cache/cache.ts';
import { randomId } from '../random-id.ts';
import { dbNameFor, openOutpostDb, type OutpostDb } from './db.ts';
import { createIdbMetaStore, createMemoryMetaStore, type MetaStore } from './meta.ts';

/** Everything durable one client uses, opened once. */
export interface ClientStorage {
  kind: 'indexeddb' | 'memory';
  /** Why IndexedDB is not used, when it is not. */
  error?: string;
  db: OutpostDb | undefined;
  models: ModelStore;
  logs: LogBuffer;
  meta: MetaStore;
  deviceId: string;
  /** The last sequence number handed out before this page load. */
  seq: number;
}

/**
 * Open the SDK database and load the device identity. Never rejects: without IndexedDB (old
 * private modes, Node) the client still predicts, from memory, and `stats().storage` says so.
 */
export async function openClientStorage(input: { hubUrl: string; projectKey: string; logBuffer: LogBuffer | undefined }): Promise<ClientStorage> {
  let db: OutpostDb | undefined;
  let error: string | undefined;
  try {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    db = await openOutpostDb(await dbNameFor(input.hubUrl, input.projectKey));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const meta = db ? createIdbMetaStore(db) : createMemoryMetaStore();
  let deviceId = await meta.get('deviceId').catch(() => undefined);
  if (deviceId === undefined) {
    deviceId = randomId();
    await meta.put('deviceId', deviceId).catch(() => undefined);
  }
  const seq = (await meta.get('seq').catch(() => undefined)) ?? 0;
  return {
    kind: db ? 'indexeddb' : 'memory',
    ...(error === undefined ? {} : { error }),
    db,
    models: db ? createIdbModelStore(db) : createMemoryModelStore(),
    logs: input.logBuffer ?? (db ? createIndexedDbLogBuffer(db) : createMemoryLogBuffer()),
    meta,
    deviceId,
    seq,
  };
}
