import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { INGEST_LIMITS } from '@outpost/shared';
import { createClientFactory, modelBytes, penguin, predictMany } from './test-support/clients.ts';
import { createFakeHub, eventually, type FakeHub } from './test-support/fake-hub.ts';

let clients: ReturnType<typeof createClientFactory>;
let hub: FakeHub;
beforeEach(async () => {
  clients = createClientFactory();
  hub = await createFakeHub();
  await hub.publish(1, modelBytes(1));
});
afterEach(() => clients.closeAll());

const ingests = () => hub.log.filter((l) => l.startsWith('ingest'));

describe('hub failures', () => {
  test('hub down: flush resolves, records are kept and counted as pending', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 2);
    hub.down = true;
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 2 });
    expect(outpost.stats()).toMatchObject({ pending: 2, synced: 0, dropped: {} });
    expect(outpost.stats().lastSyncError).toMatch(/^network: fetch failed/);
    hub.down = false;
    expect(await outpost.flush()).toEqual({ sent: 2, pending: 0 });
    expect(outpost.stats().lastSyncError).toBeUndefined();
  });

  test('500: keeps the batch and retries after a backoff', async () => {
    const outpost = clients.client(hub);
    const [id] = await predictMany(outpost, 1);
    hub.script('ingest', { status: 500 });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    expect(outpost.stats().lastSyncError).toBe('HTTP 500 INTERNAL: scripted');
    clients.clock.advance(1_000); // first backoff: 500–1000 ms
    await eventually(() => expect(hub.stored.has(id ?? '')).toBe(true));
    expect(ingests()).toEqual(['ingest 500', 'ingest 200']);
    expect(outpost.stats().dropped).toEqual({});
  });

  test('backoff grows while the hub keeps failing', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 1);
    hub.script('ingest', { status: 502 }, { status: 502 }, { status: 502 });
    await outpost.flush();
    clients.clock.advance(1_000); // retry 1 (≤ 1 s)
    await eventually(() => expect(ingests()).toHaveLength(2));
    clients.clock.advance(999); // retry 2 is due 1–2 s later: not yet…
    await eventually(() => expect(clients.clock.pendingTimers()).toBe(1));
    expect(ingests()).toHaveLength(2);
    clients.clock.advance(1_001);
    await eventually(() => expect(ingests()).toHaveLength(3));
    clients.clock.advance(4_000);
    await eventually(() => expect(ingests()).toEqual(['ingest 502', 'ingest 502', 'ingest 502', 'ingest 200']));
  });

  test('429 with Retry-After: nothing is sent before the hub allows it, not even by flush()', async () => {
    const outpost = clients.client(hub);
    const [id] = await predictMany(outpost, 1);
    hub.script('ingest', { status: 429, headers: { 'retry-after': '30' } });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    clients.clock.advance(29_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(ingests()).toEqual(['ingest 429']);
    clients.clock.advance(1_000);
    await eventually(() => expect(hub.stored.has(id ?? '')).toBe(true));
    expect(ingests()).toEqual(['ingest 429', 'ingest 200']);
  });

  test('503 with Retry-After (an HTTP date) is honoured like 429', async () => {
    const outpost = clients.client(hub);
    const [id] = await predictMany(outpost, 1);
    const at = new Date(clients.clock.now() + 90_000).toUTCString();
    hub.script('ingest', { status: 503, headers: { 'retry-after': at } });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    clients.clock.advance(80_000);
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    clients.clock.advance(10_000);
    await eventually(() => expect(hub.stored.has(id ?? '')).toBe(true));
    expect(ingests()).toEqual(['ingest 503', 'ingest 200']);
  });

  test('408 is retried like 5xx', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 1);
    hub.script('ingest', { status: 408 });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    expect(outpost.stats().dropped).toEqual({});
  });

  test('413: splits the batch until the hub takes it; nothing lost, nothing twice', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 10);
    hub.maxBodyBytes = 1_400; // three or four records of ~350 bytes
    expect(await outpost.flush()).toEqual({ sent: 10, pending: 0 });
    expect(ingests()).toContain('ingest 413');
    expect([...hub.deliveries.values()]).toEqual(Array(10).fill(1));
    expect(outpost.stats().dropped).toEqual({});
  });

  test('413 for a single record: it is dropped as too_large, the rest goes through', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 1);
    await outpost.predict({ ...penguin(9), note: 'x'.repeat(5_000) });
    await predictMany(outpost, 1, 2);
    hub.maxBodyBytes = 4_000;
    expect(await outpost.flush()).toEqual({ sent: 2, pending: 0 });
    expect(outpost.stats().dropped).toEqual({ too_large: 1 });
  });

  test('a record larger than the ingest limit is dropped without being sent', async () => {
    const outpost = clients.client(hub);
    await outpost.predict({ ...penguin(1), note: 'x'.repeat(INGEST_LIMITS.maxBodyBytes) });
    const [ok] = await predictMany(outpost, 1);
    expect(await outpost.flush()).toEqual({ sent: 1, pending: 0 });
    expect(outpost.stats().dropped).toEqual({ too_large: 1 });
    expect(hub.stored.has(ok ?? '')).toBe(true);
    expect(ingests()).toEqual(['ingest 200']);
  });

  test('other 4xx: the batch is quarantined (dropped and counted), later records still go', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 3);
    hub.script('ingest', { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'records.0.seq: bad' } } });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 0 });
    expect(outpost.stats()).toMatchObject({ dropped: { rejected_400: 3 }, quarantined: 3, lastSyncError: 'HTTP 400 VALIDATION_FAILED: records.0.seq: bad' });
    const [later] = await predictMany(outpost, 1);
    expect(await outpost.flush()).toEqual({ sent: 1, pending: 0 });
    expect(hub.stored.has(later ?? '')).toBe(true);
    expect(outpost.stats().dropped).toEqual({ rejected_400: 3 });
  });

  test('401: the project key was refused; the records wait (no drop) and go once the hub takes them', async () => {
    const outpost = clients.client(hub);
    const ids = await predictMany(outpost, 2);
    hub.script('ingest', { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'send a project key' } } });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 2 });
    expect(outpost.stats().dropped).toEqual({});
    expect(outpost.stats().lastSyncError).toContain('401');
    expect(await outpost.flush()).toEqual({ sent: 2, pending: 0 });
    for (const id of ids) expect(hub.stored.has(id ?? '')).toBe(true);
  });
});
