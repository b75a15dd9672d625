import type { TrustedKey } from '@outpost/shared';
import type { ModelKey, ModelState, StoredModel } from '../storage/db.ts';
import type { ModelCacheInfo, StorageManagerLike } from './cache.ts';
import { keeps, keyOf, type ModelStore } from './model-store.ts';
import { verifyModel, type VerifiedModel } from './verify.ts';

/** The model cache's parts that `keep` uses (cache.ts): a chunk of its own, loaded after a download. */
export interface KeepContext {
  store: ModelStore;
  trustedKeys: readonly TrustedKey[];
  now: () => number;
  storage: StorageManagerLike | undefined;
  memoryOnly: string | undefined;
  /** Bytes kept for this page only (they did not fit on disk), by `id(key)`. */
  inMemory: Map<string, StoredModel>;
  id: (key: ModelKey) => string;
  info: ModelCacheInfo;
  /** Whether `navigator.storage.persist()` was asked already (once per cache). */
  persist: { asked: boolean };
}

/** Why the model cannot go to disk (the storage quota), or undefined when it fits or nobody says. */
async function roomFor(ctx: KeepContext, bytes: number): Promise<string | undefined> {
  const { storage, info, persist } = ctx;
  if (!persist.asked && storage?.persist) {
    persist.asked = true;
    info.persisted = await storage.persist().catch(() => false);
  }
  const estimate = await storage?.estimate?.().catch(() => undefined);
  if (estimate?.quota === undefined) return undefined;
  const free = estimate.quota - (estimate.usage ?? 0);
  return bytes > free ? `storage quota: the model needs ${bytes} bytes, ${Math.max(0, free)} free` : undefined;
}

/**
 * ModelCache.keep: verify `entry`, then store it with `state` on disk or, when it does not fit (the
 * quota, or a write refused), in memory for this page, saying why in `info`.
 * @example await keepModel(ctx, 'penguins', downloaded, { ...state, running: key });
 */
export async function keepModel(ctx: KeepContext, model: string, entry: VerifiedModel, state: ModelState): Promise<void> {
  await verifyModel(entry, ctx.trustedKeys, model);
  const file: StoredModel = { model, version: entry.manifest.version, sha256: entry.manifest.artifact.sha256, signed: entry.signed, bytes: entry.bytes, storedAt: ctx.now() };
  for (const [k, f] of ctx.inMemory) if (f.model === model && !keeps(state, keyOf(f))) ctx.inMemory.delete(k);
  const full = ctx.memoryOnly ?? (await roomFor(ctx, entry.bytes.byteLength));
  if (full === undefined) {
    try {
      await ctx.store.commit(model, state, file);
      if (ctx.info.kind === 'memory') {
        ctx.info.kind = 'indexeddb';
        delete ctx.info.reason;
      }
      return;
    } catch (e) {
      // https://developer.mozilla.org/docs/Web/API/Storage_API/Storage_quotas_and_eviction_criteria#what_happens_when_an_origin_fills_its_quota
      ctx.info.kind = 'memory';
      ctx.info.reason = `${e instanceof DOMException ? e.name : 'write failed'}: ${e instanceof Error ? e.message : String(e)}`;
    }
  } else {
    ctx.info.kind = 'memory';
    ctx.info.reason = full;
  }
  // Bytes in memory for this page; the state (freshness, what is kept) still goes to disk.
  ctx.inMemory.set(ctx.id(keyOf(file)), file);
  await ctx.store.commit(model, state).catch(() => undefined);
}
