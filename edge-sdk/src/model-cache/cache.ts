import type { SignedManifest, TrustedKey } from '@outpost/shared';
import type { OutpostDb, StoredModel } from '../storage/db.ts';
import { verifyModel, type VerifiedModel } from './verify.ts';

/** Raw storage for the last good model per name. */
export interface ModelStore {
  get(model: string): Promise<StoredModel | undefined>;
  put(model: string, entry: StoredModel): Promise<void>;
}

/**
 * The last good model per name, verified on the way in and again on the way out: storage can be
 * edited by anything on the origin, and a trusted key may have been withdrawn since.
 */
export interface ModelCache {
  /** The cached model, verified; undefined when none; throws INTEGRITY when it no longer verifies. */
  get(model: string): Promise<VerifiedModel | undefined>;
  /** Verify, then store (replacing the previous one). Throws INTEGRITY, and stores nothing, when it does not verify. */
  put(model: string, entry: { signed: SignedManifest; bytes: Uint8Array }): Promise<void>;
}

/**
 * @example const cache = createModelCache(createIdbModelStore(db), trustedKeys, Date.now);
 */
export function createModelCache(store: ModelStore, trustedKeys: readonly TrustedKey[], now: () => number): ModelCache {
  return {
    async get(model) {
      const stored = await store.get(model);
      return stored ? verifyModel(stored, trustedKeys, model) : undefined;
    },
    async put(model, entry) {
      await verifyModel(entry, trustedKeys, model);
      await store.put(model, { signed: entry.signed, bytes: entry.bytes, storedAt: now() });
    },
  };
}

export function createIdbModelStore(db: OutpostDb): ModelStore {
  return {
    get: (model) => db.get('models', model),
    async put(model, entry) {
      // Default durability: a model is large and rarely written; we want it on disk.
      await db.put('models', entry, model);
    },
  };
}

export function createMemoryModelStore(): ModelStore {
  const models = new Map<string, StoredModel>();
  return {
    get: async (model) => models.get(model),
    put: async (model, entry) => {
      models.set(model, entry);
    },
  };
}
