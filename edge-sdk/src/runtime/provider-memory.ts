import { sha256Hex } from '@outpost/shared';
import type { MetaValues } from '../storage/db.ts';
import type { MetaStore } from '../storage/meta.ts';
import type { ProviderMode } from './choose.ts';
import type { ProviderChoice, ProviderMemory, SessionOptions } from './types.ts';

/** Models remembered per device; the oldest choice is forgotten first (a forgotten model just tests again). */
export const REMEMBERED_MODELS = 16;

/**
 * The provider choices in the SDK database's meta store (`executionProviders`: one small array).
 * @example createSession(bytes, io, { memory: createMetaProviderMemory(storage.meta), modelSha256 })
 */
export function createMetaProviderMemory(meta: Pick<MetaStore, 'get' | 'update'>): ProviderMemory {
  const listed = (stored: unknown) => (Array.isArray(stored) ? (stored as MetaValues['executionProviders']) : []);
  const all = async () => listed(await meta.get('executionProviders'));
  return {
    async get(key) {
      const entry = (await all()).find((e) => e.model === key);
      // Written by an older or newer SDK, or edited by hand: only a well-formed choice counts.
      if (!entry || (entry.provider !== 'wasm' && entry.provider !== 'webgpu') || typeof entry.reason !== 'string') return undefined;
      return { provider: entry.provider, reason: entry.reason };
    },
    // One transaction: a WASM fallback remembered just after the WebGPU choice is never overwritten by it.
    async set(key, choice) {
      await meta.update('executionProviders', (stored) => [...listed(stored).filter((e) => e.model !== key), { model: key, provider: choice.provider, reason: choice.reason }].slice(-REMEMBERED_MODELS));
    },
  };
}

/**
 * What is remembered for these bytes, and how to remember a new choice (only in 'auto' mode, and
 * only with a memory). Memory failures never fail a session: the device just tests again.
 */
export async function recall(mode: ProviderMode, bytes: Uint8Array, options: SessionOptions): Promise<{ remembered?: ProviderChoice; remember: (choice: ProviderChoice) => void }> {
  const { memory } = options;
  if (mode !== 'auto' || !memory) return { remember: () => undefined };
  const key = options.modelSha256 ?? (await sha256Hex(bytes));
  const remembered = await memory.get(key).catch(() => undefined);
  return { ...(remembered ? { remembered } : {}), remember: (choice) => void memory.set(key, choice).catch(() => undefined) };
}
