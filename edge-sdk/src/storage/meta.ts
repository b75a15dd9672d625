import { inStore, store, type MetaValues, type OutpostDb } from './db.ts';
import { done, result } from './idb-requests.ts';

/** Small per-device values (device id, sequence counter). */
export interface MetaStore {
  get<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined>;
  put<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void>;
  /** Read and write one value in a single transaction: updates apply in the order they were asked for. */
  update<K extends keyof MetaValues>(key: K, change: (old: MetaValues[K] | undefined) => MetaValues[K]): Promise<void>;
}

/**
 * @param preloaded values read at open (openClientStorage): the first `get` of each is answered
 * from it without a transaction; later ones, and every key written since, read IndexedDB.
 */
export function createIdbMetaStore(db: OutpostDb, preloaded: Partial<MetaValues> = {}): MetaStore {
  const first = new Map<keyof MetaValues, unknown>(Object.entries(preloaded) as Array<[keyof MetaValues, unknown]>);
  return {
    async get(key) {
      if (first.has(key)) {
        const value = first.get(key) as MetaValues[typeof key];
        first.delete(key);
        return value;
      }
      return (await inStore(db, 'meta', (s) => s.get(key))) as MetaValues[typeof key] | undefined;
    },
    async put(key, value) {
      first.delete(key);
      const tx = db.transaction('meta', 'readwrite', { durability: 'relaxed' });
      store(tx, 'meta').put(value, key);
      await done(tx);
    },
    async update(key, change) {
      first.delete(key);
      const tx = db.transaction('meta', 'readwrite', { durability: 'relaxed' });
      const meta = store(tx, 'meta');
      // The put is made in the get's success event, so both are in this one transaction.
      const old = (await result(meta.get(key))) as MetaValues[typeof key] | undefined;
      meta.put(change(old), key);
      await done(tx);
    },
  };
}

/**
 * Without IndexedDB, and in tests.
 * @example const meta = createMemoryMetaStore(); await meta.put('seq', 1);
 */
export function createMemoryMetaStore(): MetaStore {
  const values: Partial<MetaValues> = {};
  return {
    get: async (key) => values[key],
    put: async (key, value) => {
      values[key] = value;
    },
    update: async (key, change) => {
      values[key] = change(values[key]);
    },
  };
}
