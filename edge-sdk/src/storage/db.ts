import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { sha256Hex, type InferenceRecord, type SignedManifest } from '@outpost/shared';

/** The last good model of one name: the signed manifest and the bytes it vouches for. */
export interface StoredModel {
  signed: SignedManifest;
  bytes: Uint8Array;
  storedAt: number;
}

/** Everything small the SDK remembers per device. */
export interface MetaValues {
  deviceId: string;
  /** The highest inference sequence number handed out so far. */
  seq: number;
}

/**
 * The one IndexedDB schema of the SDK. Other modules take an `OutpostDb` and never create stores.
 * - models: last good model per model name (out-of-line key: the model name)
 * - logs: buffered inference records, keyed by an auto-increment number (insertion order = upload
 *   order) with a unique index on the record id (removal after the hub answered 2xx)
 * - meta: device id and sequence counter
 */
export interface OutpostSchema extends DBSchema {
  models: { key: string; value: StoredModel };
  logs: { key: number; value: InferenceRecord; indexes: { id: string } };
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
}

export type OutpostDb = IDBPDatabase<OutpostSchema>;

type UpgradeTx = IDBPTransaction<OutpostSchema, StoreNames<OutpostSchema>[], 'versionchange'>;

/**
 * Migrations by target version: entry i upgrades a database at version i to version i + 1.
 * Append only; never edit a shipped step (devices hold databases at every past version).
 */
const MIGRATIONS: ReadonlyArray<(db: OutpostDb, tx: UpgradeTx) => void> = [
  (db) => {
    db.createObjectStore('models');
    db.createObjectStore('logs', { autoIncrement: true }).createIndex('id', 'id', { unique: true });
    db.createObjectStore('meta');
  },
];

export const DB_VERSION = MIGRATIONS.length;

/**
 * One database per hub and project, so two apps (or two projects of one app) on an origin never
 * share models or logs. The project key is hashed: it should not show up in devtools' storage list.
 */
export async function dbNameFor(hubUrl: string, projectKey: string): Promise<string> {
  const keyHash = (await sha256Hex(new TextEncoder().encode(projectKey))).slice(0, 12);
  return `outpost:${hubUrl.replace(/\/+$/, '')}:${keyHash}`;
}

/**
 * Open (creating or migrating) the SDK database.
 * @example const db = await openOutpostDb(await dbNameFor('https://hub.example', 'pk_live_…'));
 */
export async function openOutpostDb(name: string): Promise<OutpostDb> {
  const db = await openDB<OutpostSchema>(name, DB_VERSION, {
    upgrade(database, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v]?.(database, tx);
    },
  });
  // Another tab wants a newer schema: step aside instead of blocking its upgrade forever.
  // https://developer.mozilla.org/docs/Web/API/IDBDatabase/versionchange_event
  db.addEventListener('versionchange', () => db.close());
  return db;
}
