import { inStore, store, type ModelKey, type ModelState, type OutpostDb, type StoredModel } from '../storage/db.ts';
import { done, result } from '../storage/idb-requests.ts';

/**
 * Raw storage of kept model versions and per-model state. `commit` writes a file (when given) and
 * the new state together, and evicts the model's files the state no longer names.
 */
export interface ModelStore {
  state(model: string): Promise<ModelState | undefined>;
  get(key: ModelKey): Promise<StoredModel | undefined>;
  commit(model: string, state: ModelState, file?: StoredModel): Promise<void>;
}

const sameKey = (a: ModelKey | undefined, b: ModelKey | undefined) => !!a && !!b && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
/** Whether `state` still names `key` (running or previous). */
export const keeps = (state: ModelState, key: ModelKey) => sameKey(state.running, key) || sameKey(state.previous, key);
export const keyOf = (f: { model: string; version: number; sha256: string }): ModelKey => [f.model, f.version, f.sha256];
export { sameKey };

/**
 * @param preloaded the state and running file of one model, read at open (openClientStorage): the
 * first read of each is answered from it; later reads, and any after a commit, go to IndexedDB.
 */
export function createIdbModelStore(db: OutpostDb, preloaded?: { model: string; state?: ModelState; running?: StoredModel }): ModelStore {
  let warm = preloaded;
  return {
    async state(model) {
      if (warm?.model !== model || !('state' in warm)) return inStore(db, 'modelState', (s) => s.get(model));
      const { state, ...rest } = warm;
      warm = rest;
      return state;
    },
    async get(key) {
      const file = warm?.running;
      if (!file || !sameKey(key, keyOf(file))) return inStore(db, 'modelFiles', (s) => s.get(key));
      warm = { ...warm!, running: undefined };
      return file;
    },
    async commit(model, state, file) {
      warm = undefined;
      // Default durability: a model is large and rarely written; we want it on disk.
      const tx = db.transaction(['modelFiles', 'modelState'], 'readwrite');
      const files = store(tx, 'modelFiles');
      store(tx, 'modelState').put(state, model);
      if (file) files.put(file, keyOf(file));
      // Deletes are made in the success event of the key read: the same transaction.
      const stale = (await result(files.index('model').getAllKeys(model))).filter((k) => !keeps(state, k) && !(file && sameKey(k, keyOf(file))));
      for (const k of stale) files.delete(k);
      await done(tx);
    },
  };
}

/**
 * Without IndexedDB, and in tests.
 * @example const models = createMemoryModelStore(); await models.commit('penguins', state, file);
 */
export function createMemoryModelStore(): ModelStore {
  const states = new Map<string, ModelState>();
  const files = new Map<string, StoredModel>();
  const id = (k: ModelKey) => k.join('\u0000');
  return {
    state: async (model) => states.get(model),
    get: async (key) => files.get(id(key)),
    async commit(model, state, file) {
      states.set(model, state);
      if (file) files.set(id(keyOf(file)), file);
      for (const [k, f] of files) if (f.model === model && !keeps(state, keyOf(f))) files.delete(k);
    },
  };
}
