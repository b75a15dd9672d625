import type { LogBuffer } from '../log-buffer/types.ts';
import { createIdbModelStore, createMemoryModelStore, type ModelStore } from '../model-cache/cache.ts';
import { sameKey } from '../model-cache/model-store.ts';
import { lazyOnce } from '../lazy-once.ts';
import { randomId } from '../random-id.ts';
import { dbNameFor, openOutpostDb, store, type MetaValues, type ModelState, type OutpostDb, type StoredModel } from './db.ts';
import { result } from './idb-requests.ts';
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

/** What a start from the cache reads, read together with the device identity. */
interface Preloaded {
  meta: Partial<MetaValues>;
  state?: ModelState;
  running?: StoredModel;
}

/**
 * One read-only transaction for everything a start needs: the device id, the sequence counter, the
 * remembered execution providers, the model's state and the file of its running version. A start
 * from the cache then costs one transaction instead of five (each costs the better part of a
 * millisecond, more than verifying the model).
 */
async function preload(db: OutpostDb, model: string | undefined): Promise<Preloaded> {
  const tx = db.transaction(['meta', 'modelState', 'modelFiles'], 'readonly');
  const meta = store(tx, 'meta');
  const keys = ['deviceId', 'seq', 'executionProviders'] as const;
  const [values, state] = await Promise.all([Promise.all(keys.map((k) => result(meta.get(k)))), model === undefined ? undefined : result(store(tx, 'modelState').get(model))]);
  // Asked in the success event of the state read: still this transaction.
  const running = state?.running ? await result(store(tx, 'modelFiles').get(state.running)) : undefined;
  const out: Preloaded = { meta: Object.fromEntries(keys.flatMap((k, i) => (values[i] === undefined ? [] : [[k, values[i]]]))) };
  if (state) out.state = state;
  if (running && state?.running && sameKey([running.model, running.version, running.sha256], state.running)) out.running = running;
  return out;
}

/**
 * Open the SDK database and load the device identity (and, given `model`, what a start from the
 * cache needs, in the same transaction). Without IndexedDB (old private modes, Node) the client
 * still predicts, from memory, and `stats().storage` says so. Never rejects, unless IndexedDB is
 * missing and the memory fallback's chunk cannot be fetched either (the app's own files offline).
 */
export async function openClientStorage(input: { hubUrl: string; projectKey: string; logBuffer: LogBuffer | undefined; model?: string }): Promise<ClientStorage> {
  let db: OutpostDb | undefined;
  let error: string | undefined;
  let loaded: Preloaded = { meta: {} };
  try {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    db = await openOutpostDb(await dbNameFor(input.hubUrl, input.projectKey));
    loaded = await preload(db, input.model).catch(() => loaded);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const { meta, models, logs } = await storesFor(db, input, loaded);
  let deviceId = loaded.meta.deviceId;
  if (deviceId === undefined) {
    deviceId = randomId();
    await meta.put('deviceId', deviceId).catch(() => undefined);
  }
  const seq = loaded.meta.seq ?? 0;
  return {
    kind: db ? 'indexeddb' : 'memory',
    ...(error === undefined ? {} : { error }),
    db,
    models,
    logs,
    meta,
    deviceId,
    seq,
  };
}

/**
 * The stores over IndexedDB or, without it, in memory. Both log buffers are chunks of their own
 * (`import()`): the IndexedDB one is fetched on the first write, after the first prediction (predict
 * only pushes to memory); most apps never fetch the memory one. The memory meta and model stores
 * are a few lines each.
 */
async function storesFor(db: OutpostDb | undefined, input: { logBuffer: LogBuffer | undefined; model?: string }, loaded: Preloaded): Promise<Pick<ClientStorage, 'meta' | 'models' | 'logs'>> {
  if (db) {
    return {
      meta: createIdbMetaStore(db, loaded.meta),
      models: createIdbModelStore(db, input.model === undefined ? undefined : { model: input.model, ...loaded }),
      logs: input.logBuffer ?? lazyLogBuffer(async () => (await import('../log-buffer/indexeddb.ts')).createIndexedDbLogBuffer(db)),
    };
  }
  return {
    meta: createMemoryMetaStore(),
    models: createMemoryModelStore(),
    logs: input.logBuffer ?? (await import('../log-buffer/memory.ts')).createMemoryLogBuffer(),
  };
}

/** A log buffer made on first use; a failed load is retried by the next call (the write-behind keeps its records meanwhile). */
function lazyLogBuffer(load: () => Promise<LogBuffer>): LogBuffer {
  const buffer = lazyOnce(load);
  return {
    append: async (records) => (await buffer()).append(records),
    peek: async (limit) => (await buffer()).peek(limit),
    remove: async (ids, quarantine) => (await buffer()).remove(ids, quarantine),
    trim: async (bounds) => (await buffer()).trim(bounds),
    size: async () => (await buffer()).size(),
    quarantined: async (limit) => (await buffer()).quarantined(limit),
  };
}
