import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { OutpostError } from '@outpost/shared';
import type { ModelState } from '../storage/db.ts';
import { modelBytes } from '../test-support/clients.ts';
import { createFakeHub } from '../test-support/fake-hub.ts';
import { createModelCache, createMemoryModelStore, type ModelStore } from './cache.ts';
import { verifyModel } from './verify.ts';

async function verified(version: number) {
  const hub = await createFakeHub();
  const bytes = modelBytes(version);
  const signed = await hub.publish(version, bytes);
  return { hub, model: await verifyModel({ signed, bytes }, hub.trustedKeys, 'penguins') };
}
const stateFor = (version: number, sha256: string): ModelState => ({ running: ['penguins', version, sha256], issuedAt: 1, minVersion: 1 });

describe('createModelCache', () => {
  test('a QuotaExceededError keeps the model in memory, still saves the state, and says why', async () => {
    const { hub, model } = await verified(1);
    const memory = createMemoryModelStore();
    const store: ModelStore = {
      ...memory,
      async commit(name, state, file) {
        if (file) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
        return memory.commit(name, state);
      },
    };
    const cache = createModelCache({ store, trustedKeys: hub.trustedKeys, now: () => 5 });
    const state = stateFor(1, model.manifest.artifact.sha256);
    await cache.keep('penguins', model, state);
    expect(cache.info()).toEqual({ kind: 'memory', reason: 'QuotaExceededError: the quota has been exceeded' });
    expect(await memory.state('penguins')).toEqual(state);
    expect((await cache.get('penguins', state.running))?.manifest.version).toBe(1);
  });

  test('asks persist() once and skips the disk when estimate() says it will not fit', async () => {
    const { hub, model } = await verified(1);
    let asked = 0;
    const storage = { persist: async () => (asked++, false), estimate: async () => ({ quota: 100, usage: 90 }) };
    const store = createMemoryModelStore();
    const cache = createModelCache({ store, trustedKeys: hub.trustedKeys, now: () => 5, storage });
    const state = stateFor(1, model.manifest.artifact.sha256);
    await cache.keep('penguins', model, state);
    await cache.keep('penguins', model, state);
    expect(asked).toBe(1);
    expect(cache.info()).toEqual({ kind: 'memory', reason: 'storage quota: the model needs 64 bytes, 10 free', persisted: false });
    expect(await store.get(state.running!)).toBeUndefined();
  });

  test('refuses to keep a model that does not verify, and a kept one that no longer does', async () => {
    const { hub, model } = await verified(1);
    const store = createMemoryModelStore();
    const cache = createModelCache({ store, trustedKeys: hub.trustedKeys, now: () => 5 });
    const state = stateFor(1, model.manifest.artifact.sha256);
    const tampered = { ...model, bytes: modelBytes(2) };
    await expect(cache.keep('penguins', tampered, state)).rejects.toThrow(OutpostError);
    expect(await store.get(state.running!)).toBeUndefined();
    await cache.keep('penguins', model, state);
    const stranger = await createFakeHub();
    await expect(createModelCache({ store, trustedKeys: stranger.trustedKeys, now: () => 5 }).get('penguins', state.running)).rejects.toThrow(/untrusted key/);
  });
});
