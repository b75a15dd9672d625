import { OutpostError, base64UrlDecode, type Manifest, type SignedManifest, type TrustedKey } from '@outpost/shared';
import type { ModelKey, ModelState, StoredModel } from '../storage/db.ts';
import type { ModelStore } from './model-store.ts';
import { verifyModel, type VerifiedModel } from './verify.ts';

export { createIdbModelStore, createMemoryModelStore, type ModelStore } from './model-store.ts';

/** The part of `navigator.storage` the cache uses. */
export type StorageManagerLike = Pick<StorageManager, 'estimate' | 'persist'>;

/** Where this client keeps model bytes: on disk, or only in memory (and why). */
export interface ModelCacheInfo {
  kind: 'indexeddb' | 'memory';
  reason?: string;
  /** The answer to `navigator.storage.persist()`, asked once, before the first model is stored. */
  persisted?: boolean;
}

/**
 * Kept model versions per name (the running one and the previous good one), verified on the way
 * in and again on the way out: storage can be edited by anything on the origin, and a trusted key
 * may have been withdrawn since. Bytes that do not fit on disk stay in memory for this page.
 */
export interface ModelCache {
  /** The model's state; a fresh one (nothing kept, no freshness seen) when none. */
  state(model: string): Promise<ModelState>;
  /** A kept version, verified; undefined when absent; throws INTEGRITY when it no longer verifies. */
  get(model: string, key: ModelKey | undefined): Promise<VerifiedModel | undefined>;
  /**
   * A kept version as stored, with its manifest decoded but not yet checked, and `verify` (the
   * check `get` makes; throws INTEGRITY). For opening a session while the check runs: nothing may
   * run on it before `verify` resolves.
   */
  read(model: string, key: ModelKey | undefined): Promise<{ unverified: VerifiedModel; verify: () => Promise<VerifiedModel> } | undefined>;
  /** Save the state (freshness, which versions are kept); files it no longer names are evicted. */
  saveState(model: string, state: ModelState): Promise<void>;
  /** Verify and keep `entry` with `state` (which should name it). Throws INTEGRITY, storing nothing, when it does not verify. */
  keep(model: string, entry: VerifiedModel, state: ModelState): Promise<void>;
  info(): ModelCacheInfo;
}

export const emptyState = (): ModelState => ({ issuedAt: 0, minVersion: 0 });

/**
 * @example const cache = createModelCache({ store: createIdbModelStore(db), trustedKeys, now: Date.now, storage: navigator.storage });
 */
export function createModelCache(input: {
  store: ModelStore;
  trustedKeys: readonly TrustedKey[];
  now: () => number;
  /** `navigator.storage`; without it, neither quota nor persistence is asked about. */
  storage?: StorageManagerLike | undefined;
  /** The store is memory anyway (no IndexedDB): say so. */
  memoryOnly?: string | undefined;
}): ModelCache {
  const { store, trustedKeys, now, storage } = input;
  const inMemory = new Map<string, StoredModel>();
  const id = (k: ModelKey) => k.join('\u0000');
  const info: ModelCacheInfo = input.memoryOnly === undefined ? { kind: 'indexeddb' } : { kind: 'memory', reason: input.memoryOnly };
  const persist = { asked: false };

  return {
    async state(model) {
      return (await store.state(model)) ?? emptyState();
    },
    async get(model, key) {
      if (!key) return undefined;
      const stored = inMemory.get(id(key)) ?? (await store.get(key));
      return stored ? verifyModel(stored, trustedKeys, model) : undefined;
    },
    async read(model, key) {
      if (!key) return undefined;
      const stored = inMemory.get(id(key)) ?? (await store.get(key));
      if (!stored) return undefined;
      const manifest = decodeUnverified(stored.signed);
      return { unverified: { signed: stored.signed, manifest, bytes: stored.bytes }, verify: () => verifyModel(stored, trustedKeys, model) };
    },
    saveState: (model, state) => store.commit(model, state),
    // Only after a download: its code (quota, persistence, the memory fallback) is a chunk of its own.
    keep: async (model, entry, state) => (await import('./keep.ts')).keepModel({ store, trustedKeys, now, storage, memoryOnly: input.memoryOnly, inMemory, id, info, persist }, model, entry, state),
    info: () => ({ ...info }),
  };
}

/** The manifest a signed envelope carries, unchecked (throws INTEGRITY when it is not even JSON). */
function decodeUnverified(signed: SignedManifest): Manifest {
  try {
    return JSON.parse(new TextDecoder().decode(base64UrlDecode(signed.payload))) as Manifest;
  } catch (e) {
    throw new OutpostError('INTEGRITY', `cached manifest does not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
}
