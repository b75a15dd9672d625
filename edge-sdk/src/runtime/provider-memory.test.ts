import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { sha256Hex } from '@outpost/shared';
import { openOutpostDb } from '../storage/db.ts';
import { createIdbMetaStore, createMemoryMetaStore } from '../storage/meta.ts';
import { REMEMBERED_MODELS, createMetaProviderMemory, recall } from './provider-memory.ts';
import type { ProviderChoice, ProviderMemory } from './types.ts';

describe('provider memory in the meta store', () => {
  test('remembers per model key, replaces a model’s choice, and forgets the oldest past the bound', async () => {
    const meta = createMemoryMetaStore();
    const memory = createMetaProviderMemory(meta);
    await memory.set('a', { provider: 'webgpu', reason: 'self-test passed' });
    await memory.set('b', { provider: 'wasm', reason: 'no adapter' });
    expect(await memory.get('a')).toEqual({ provider: 'webgpu', reason: 'self-test passed' });
    await memory.set('a', { provider: 'wasm', reason: 'webgpu device lost: destroyed' });
    expect(await memory.get('a')).toEqual({ provider: 'wasm', reason: 'webgpu device lost: destroyed' });
    expect(await memory.get('c')).toBeUndefined();

    for (let i = 0; i < REMEMBERED_MODELS; i++) await memory.set(`m${i}`, { provider: 'wasm', reason: 'no adapter' });
    expect(await memory.get('a')).toBeUndefined();
    expect(await memory.get(`m${REMEMBERED_MODELS - 1}`)).toBeDefined();
    expect((await meta.get('executionProviders'))!.length).toBe(REMEMBERED_MODELS);
  });

  test('in IndexedDB, choices set back to back (not awaited) land in the order they were made', async () => {
    const db = await openOutpostDb(`outpost:provider-memory-${Math.random()}`);
    const memory = createMetaProviderMemory(createIdbMetaStore(db));
    const writes = [
      memory.set('a', { provider: 'webgpu', reason: 'self-test passed' }),
      memory.set('b', { provider: 'wasm', reason: 'no adapter' }),
      memory.set('a', { provider: 'wasm', reason: 'webgpu device lost: destroyed' }),
    ];
    await Promise.all(writes);
    expect(await memory.get('a')).toEqual({ provider: 'wasm', reason: 'webgpu device lost: destroyed' });
    expect(await memory.get('b')).toEqual({ provider: 'wasm', reason: 'no adapter' });
    db.close();
  });

  test('a malformed stored value counts as nothing remembered', async () => {
    const meta = createMemoryMetaStore();
    const memory = createMetaProviderMemory(meta);
    await meta.put('executionProviders', 'garbage' as never);
    expect(await memory.get('a')).toBeUndefined();
    await meta.put('executionProviders', [{ model: 'a', provider: 'gpu', reason: 'x' }] as never);
    expect(await memory.get('a')).toBeUndefined();
    await memory.set('b', { provider: 'wasm', reason: 'no adapter' });
    expect(await memory.get('b')).toEqual({ provider: 'wasm', reason: 'no adapter' });
  });
});

describe('recall', () => {
  const bytes = new Uint8Array([7, 7, 7]);
  function recording(initial?: ProviderChoice) {
    const calls: string[] = [];
    const memory: ProviderMemory = {
      get: async (key) => (calls.push(`get ${key}`), initial),
      set: async (key, c) => void calls.push(`set ${key} ${c.provider}`),
    };
    return { memory, calls };
  }

  test("in 'auto' it keys by the model's SHA-256, given or computed", async () => {
    const given = recording({ provider: 'wasm', reason: 'no adapter' });
    const r = await recall('auto', bytes, { memory: given.memory, modelSha256: 'abc' });
    expect(r.remembered).toEqual({ provider: 'wasm', reason: 'no adapter' });
    r.remember({ provider: 'webgpu', reason: 'ok' });
    expect(given.calls).toEqual(['get abc', 'set abc webgpu']);

    const computed = recording();
    await recall('auto', bytes, { memory: computed.memory });
    expect(computed.calls).toEqual([`get ${await sha256Hex(bytes)}`]);
  });

  test("forced modes and a missing memory neither read nor write; a failing memory is ignored", async () => {
    const forced = recording({ provider: 'wasm', reason: 'x' });
    const r = await recall('webgpu', bytes, { memory: forced.memory });
    r.remember({ provider: 'wasm', reason: 'y' });
    expect(r.remembered).toBeUndefined();
    expect(forced.calls).toEqual([]);

    const broken: ProviderMemory = { get: () => Promise.reject(new Error('db closed')), set: () => Promise.reject(new Error('db closed')) };
    const b = await recall('auto', bytes, { memory: broken, modelSha256: 'k' });
    expect(b.remembered).toBeUndefined();
    expect(() => b.remember({ provider: 'wasm', reason: 'z' })).not.toThrow();
  });
});
