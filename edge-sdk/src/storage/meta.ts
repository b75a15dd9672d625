import type { MetaValues, OutpostDb } from './db.ts';

/** Small per-device values (device id, sequence counter). */
export interface MetaStore {
  get<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined>;
  put<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void>;
}

export function createIdbMetaStore(db: OutpostDb): MetaStore {
  return {
    async get(key) {
      return (await db.get('meta', key)) as MetaValues[typeof key] | undefined;
    },
    async put(key, value) {
      const tx = db.transaction('meta', 'readwrite', { durability: 'relaxed' });
      await Promise.all([tx.store.put(value, key), tx.done]);
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
  };
}
