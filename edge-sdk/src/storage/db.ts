import { base64UrlDecode, sha256Hex, type InferenceRecord, type SignedManifest } from '@outpost/shared';
import { recordBytes } from '../log-buffer/types.ts';
import { done, openDatabase, result } from './idb-requests.ts';

/** Schema 1's `models` store: the last good model per name. Migration 2 moves it to `modelFiles`. */
export interface LegacyStoredModel {
  signed: SignedManifest;
  bytes: Uint8Array;
  storedAt: number;
}

/** Key of a kept model file: model name, version and the artifact's SHA-256. */
export type ModelKey = [model: string, version: number, sha256: string];

/** One kept model version: the signed manifest and the bytes it vouches for (verified again on every read). */
export interface StoredModel {
  model: string;
  version: number;
  sha256: string;
  signed: SignedManifest;
  bytes: Uint8Array;
  storedAt: number;
}

/**
 * What the device remembers per model: the versions it keeps (the one running and the previous
 * good one, for instant fallback) and the manifest freshness it has seen, so a reload cannot be
 * made to accept a replayed or expired manifest.
 */
export interface ModelState {
  running?: ModelKey;
  previous?: ModelKey;
  /** issuedAt (epoch ms) of the newest manifest accepted from the network; 0 when none. */
  issuedAt: number;
  /** The highest minVersion seen in an accepted manifest; 0 when none. */
  minVersion: number;
}

/**
 * Up to a hundred records of the log queue written together, stored as one value: IndexedDB costs
 * per request far more than per byte. Never empty; the two arrays run in parallel, in queue order.
 */
export interface LogChunk {
  records: InferenceRecord[];
  /** Each record's `recordBytes`, so removing or trimming never serialises a record again. */
  bytes: number[];
}

/** Everything small the SDK remembers per device. */
export interface MetaValues {
  deviceId: string;
  /** The highest inference sequence number handed out so far. */
  seq: number;
  /** The execution provider chosen per model SHA-256, and why (runtime/provider-memory.ts; newest last, bounded). */
  executionProviders: Array<{ model: string; provider: 'wasm' | 'webgpu'; reason: string }>;
  /** Late labels not yet accepted by the hub, oldest first (feedback/sender.ts; bounded). */
  pendingFeedback: Array<{ predictionId: string; label?: string; value?: number }>;
}

/**
 * The one IndexedDB schema of the SDK. Other modules take an `OutpostDb` and never create stores.
 * - models: schema 1 only (last good model per name); moved to modelFiles and deleted by migration 2
 * - modelFiles: kept model versions, keyed by [model, version, sha256], indexed by model
 * - modelState: per model name, which files are kept and the manifest freshness seen
 * - logs: schemas 1–3 only (one buffered record per value); moved to logChunks and deleted by migration 4
 * - logChunks: the log queue in LogChunks, keyed by an auto-increment number (insertion order =
 *   upload order). No index on record ids: the buffer maps ids to chunks in memory (an index made
 *   every append several times slower, log-buffer/indexeddb.ts)
 * - meta: device id and sequence counter
 * - quarantine: records from batches the hub refused with a 4xx, auto-increment key (oldest first),
 *   bounded by the log buffer (log-buffer/types.ts QUARANTINE_LIMIT)
 */
export interface OutpostSchema {
  models: { key: string; value: LegacyStoredModel };
  modelFiles: { key: ModelKey; value: StoredModel };
  modelState: { key: string; value: ModelState };
  logs: { key: number; value: InferenceRecord };
  logChunks: { key: number; value: LogChunk };
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
  quarantine: { key: number; value: { record: InferenceRecord; reason: string; at: number } };
}

/** The SDK database: plain IndexedDB (storage/idb-requests.ts), its stores typed by `store`. */
export type OutpostDb = IDBDatabase;

/** An object store seen through the schema: the requests the SDK makes, with its key and value types. */
export interface TypedStore<S extends { key: IDBValidKey; value: unknown }> {
  get(key: S['key']): IDBRequest<S['value'] | undefined>;
  getAll(): IDBRequest<S['value'][]>;
  getAllKeys(): IDBRequest<S['key'][]>;
  put(value: S['value'], key: S['key']): IDBRequest<IDBValidKey>;
  add(value: S['value']): IDBRequest<IDBValidKey>;
  delete(key: S['key']): IDBRequest<undefined>;
  /** Keys of the `model` index (modelFiles only). */
  index(name: 'model'): { getAllKeys(query: string): IDBRequest<S['key'][]> };
}

/**
 * A store of a transaction, typed by the schema (a cast: no wrapper object at run time).
 * @example const state = await result(store(db.transaction('modelState'), 'modelState').get('penguins'));
 */
export const store = <N extends keyof OutpostSchema>(tx: IDBTransaction, name: N): TypedStore<OutpostSchema[N]> => tx.objectStore(name) as never;

/**
 * One request in a transaction of its own; resolves to its result once the transaction commits.
 * Default durability: for the SDK's own relaxed writes, open the transaction yourself.
 * @example const keys = await inStore(db, 'modelFiles', (s) => s.getAllKeys());
 * @example await inStore(db, 'modelFiles', (s) => s.put(file, key), 'readwrite');
 */
export async function inStore<N extends keyof OutpostSchema, T>(db: OutpostDb, name: N, op: (s: TypedStore<OutpostSchema[N]>) => IDBRequest<T>, mode: IDBTransactionMode = 'readonly'): Promise<T> {
  const tx = db.transaction(name, mode);
  const request = op(store(tx, name));
  await done(tx);
  return request.result;
}

/**
 * Migrations by target version: entry i upgrades a database at version i to version i + 1.
 * Append only; never edit a shipped step (devices hold databases at every past version).
 */
const MIGRATIONS: ReadonlyArray<(db: OutpostDb, tx: IDBTransaction) => void> = [
  (db) => {
    db.createObjectStore('models');
    db.createObjectStore('logs', { autoIncrement: true }).createIndex('id', 'id', { unique: true });
    db.createObjectStore('meta');
  },
  // 2: models keyed by model, version and SHA-256 (keep the running and the previous version), and
  // per-model state (freshness). Schema 1's last good model per name becomes the running one.
  (db, tx) => {
    db.createObjectStore('modelFiles').createIndex('model', 'model');
    db.createObjectStore('modelState');
    const legacy = store(tx, 'models');
    // Only IDB requests are awaited between these steps, so the upgrade transaction stays active.
    void Promise.all([result(legacy.getAllKeys()), result(legacy.getAll())]).then(async ([names, entries]) => {
      for (const [i, name] of names.entries()) {
        const entry = entries[i];
        const head = entry && legacyHead(entry);
        if (!head) continue;
        const key: ModelKey = [name, head.version, head.sha256];
        await result(store(tx, 'modelFiles').put({ model: name, ...head, signed: entry.signed, bytes: entry.bytes, storedAt: entry.storedAt }, key));
        await result(store(tx, 'modelState').put({ running: key, issuedAt: 0, minVersion: 0 }, name));
      }
      db.deleteObjectStore('models');
    });
  },
  // 3: a bounded quarantine for refused upload batches: inspectable, never retried.
  (db) => {
    db.createObjectStore('quarantine', { autoIncrement: true });
  },
  // 4: the log queue in chunks: a request per record capped appends near 9,000 records/s. Queued
  // records of schema 3 move over in order, LEGACY_CHUNK to a chunk, keeping their place in line.
  (db, tx) => {
    db.createObjectStore('logChunks', { autoIncrement: true });
    const chunks = store(tx, 'logChunks');
    let records: InferenceRecord[] = [];
    const flush = () => {
      if (records.length > 0) chunks.add({ records, bytes: records.map(recordBytes) } satisfies LogChunk);
      records = [];
    };
    // Plain request callbacks: the upgrade transaction must stay active until the old store is gone.
    const cursor = tx.objectStore('logs').openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at) {
        records.push(at.value as InferenceRecord);
        if (records.length === LEGACY_CHUNK) flush();
        at.continue();
        return;
      }
      flush();
      db.deleteObjectStore('logs');
    };
  },
];

/** Records per chunk when migration 4 moves schema 3's queue (as many as the log buffer writes). */
const LEGACY_CHUNK = 100;

/** Version and artifact hash of a schema-1 entry (unverified: every read verifies again). */
function legacyHead(entry: LegacyStoredModel): { version: number; sha256: string } | undefined {
  try {
    const m = JSON.parse(new TextDecoder().decode(base64UrlDecode(entry.signed.payload))) as { version?: unknown; artifact?: { sha256?: unknown } };
    return typeof m.version === 'number' && typeof m.artifact?.sha256 === 'string' ? { version: m.version, sha256: m.artifact.sha256 } : undefined;
  } catch {
    return undefined;
  }
}

export const DB_VERSION = MIGRATIONS.length;

/**
 * One database per hub and project, so two apps (or two projects of one app) on an origin never
 * share models or logs. The project key is hashed: it should not show up in devtools' storage list.
 */
export async function dbNameFor(hubUrl: string, projectKey: string): Promise<string> {
  // WebCrypto's digest (the client exists only where WebCrypto does: random-id.ts): some 20 µs, where
  // the script's own SHA-256 (sync/sha256.ts, the same digest), interpreted at start-up, takes 150.
  const keyHash = (await sha256Hex(new TextEncoder().encode(projectKey))).slice(0, 12);
  return `outpost:${hubUrl.replace(/\/+$/, '')}:${keyHash}`;
}

/**
 * Open (creating or migrating) the SDK database.
 * @example const db = await openOutpostDb(await dbNameFor('https://hub.example', 'pk_live_…'));
 */
export async function openOutpostDb(name: string): Promise<OutpostDb> {
  const db = await openDatabase(name, DB_VERSION, (database, oldVersion, tx) => {
    for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v]?.(database, tx);
  });
  // Another tab wants a newer schema: step aside instead of blocking its upgrade forever.
  // https://developer.mozilla.org/docs/Web/API/IDBDatabase/versionchange_event
  db.addEventListener('versionchange', () => db.close());
  return db;
}
