import type { MetaValues, OutpostDb } from './db.ts';

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
      return (await db.get('meta', key)) as MetaValues[typeof key] | undefined;
    },
    async put(key, value) {
      first.delete(key);
      const tx = db.transaction('meta', 'readwrite', { durability: 'relaxed' });
      await Promise.all([tx.store.put(value, key), tx.done]);
    },
    async update(key, change) {
      first.delete(key);
      const tx = db.transaction('meta', 'readwrite', { durability: 'relaxed' });
      const old = (await tx.store.get(key)) as MetaValues[typeof key] | undefined;
      await Promise.all([tx.store.put(change(old), key), tx.done]);
    },
  };
}

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
