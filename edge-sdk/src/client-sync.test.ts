import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { INGEST_LIMITS } from '@outpost/shared';
import { createOutpost } from './client.ts';
import type { LogBuffer } from './log-buffer/types.ts';
import { createMemoryLogBuffer } from './log-buffer/memory.ts';
import { createClientFactory, fakeRuntime, modelBytes } from './test-support/clients.ts';
import { MODEL, PROJECT_KEY, createFakeHub, eventually, type FakeHub } from './test-support/fake-hub.ts';

let clients: ReturnType<typeof createClientFactory>;
let hub: FakeHub;
beforeEach(async () => {
  clients = createClientFactory();
  hub = await createFakeHub();
  await hub.publish(1, modelBytes(1));
});
afterEach(() => clients.closeAll());

const ingests = () => hub.log.filter((l) => l.startsWith('ingest'));
const penguin = (i: number) => ({ bill_length_mm: 40 + i, island: 'Dream' });

async function predictMany(outpost: ReturnType<typeof clients.client>, n: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + n; i++) ids.push((await outpost.predict(penguin(i))).id);
  return ids;
}

describe('logging and upload', () => {
  test('flush uploads each prediction as an inference record', async () => {
    const outpost = clients.client(hub);
    const p = await outpost.predict({ bill_length_mm: 39.1, island: 'Biscoe', sex: undefined });
    expect(await outpost.flush()).toEqual({ sent: 1, pending: 0 });
    const record = hub.stored.get(p.id);
    expect(record).toEqual({
      id: p.id,
      seq: 1,
      model: MODEL,
      modelVersion: 1,
      executionProvider: 'fake',
      latencyMs: p.latencyMs,
      createdAt: clients.clock.now(),
      input: { bill_length_mm: 39.1, island: 'Biscoe' },
      output: { label: 'Gentoo', probabilities: [expect.closeTo(0.1), expect.closeTo(0.2), expect.closeTo(0.7)] },
    });
    expect(hub.deviceIds.size).toBe(1);
    expect(outpost.stats()).toMatchObject({ predictions: 1, pending: 0, synced: 1, dropped: {} });
  });

  test('sequence numbers run from 1 without gaps', async () => {
    const outpost = clients.client(hub);
    const ids = await predictMany(outpost, 5);
    await outpost.flush();
    expect(ids.map((id) => hub.stored.get(id)?.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  test('uploads on its own flushIntervalMs after a prediction', async () => {
    const outpost = clients.client(hub, { flushIntervalMs: 2_000 });
    const { id } = await outpost.predict(penguin(1));
    await eventually(() => expect(clients.clock.pendingTimers()).toBe(1));
    clients.clock.advance(1_999);
    expect(ingests()).toEqual([]);
    clients.clock.advance(1);
    await eventually(() => expect(hub.stored.has(id)).toBe(true));
    await eventually(() => expect(outpost.stats()).toMatchObject({ pending: 0, synced: 1 }));
  });

  test('uploads in batches of batchSize', async () => {
    const outpost = clients.client(hub, { batchSize: 4 });
    await predictMany(outpost, 10);
    expect(await outpost.flush()).toEqual({ sent: 10, pending: 0 });
    expect(ingests()).toEqual(['ingest 200', 'ingest 200', 'ingest 200']);
  });

  test('predict does not wait for the log buffer', async () => {
    const stuck: LogBuffer = { ...createMemoryLogBuffer(), append: () => new Promise<void>(() => undefined) };
    // Not closed at the end: close() persists, and this buffer never finishes a write.
    const outpost = createOutpost({
      hubUrl: hub.url,
      projectKey: PROJECT_KEY,
      model: MODEL,
      trustedKeys: hub.trustedKeys,
      fetch: hub.fetch,
      runtime: fakeRuntime,
      clock: clients.clock,
      logBuffer: stuck,
    });
    const p = await outpost.predict(penguin(1));
    expect(p.label).toBe('Gentoo');
    await outpost.predict(penguin(2));
    expect(outpost.stats()).toMatchObject({ predictions: 2, pending: 2 });
  });

  test('predict does not wait for the network', async () => {
    const outpost = clients.client(hub);
    await outpost.ready();
    let release: (() => void) | undefined;
    const slowFetch: typeof hub.fetch = (input, init) => new Promise((resolve) => (release = () => resolve(hub.fetch(input, init))));
    const slow = clients.client(hub, { fetch: (input, init) => (input.endsWith('/inferences') ? slowFetch(input, init) : hub.fetch(input, init)) });
    await slow.predict(penguin(1));
    const flushing = slow.flush();
    await eventually(() => expect(release).toBeTypeOf('function'));
    expect((await slow.predict(penguin(2))).label).toBe('Gentoo');
    release?.();
    await flushing;
  });

  test('records survive a reload and are uploaded exactly once', async () => {
    const first = clients.client(hub);
    const ids = await predictMany(first, 3);
    hub.script('ingest', 'network-error');
    expect(await first.flush()).toEqual({ sent: 0, pending: 3 });
    await first.close();
    expect(hub.stored.size).toBe(0);

    const second = clients.client(hub);
    expect(await second.flush()).toEqual({ sent: 3, pending: 0 });
    const [more] = await predictMany(second, 1);
    console.log(JSON.stringify(second.stats()), hub.log);
    const r = await second.flush();
    console.log(JSON.stringify(second.stats()), hub.log, r);
    expect(await second.flush()).toEqual({ sent: 1, pending: 0 });
    await second.close();

    const third = clients.client(hub);
    expect(await third.flush()).toEqual({ sent: 0, pending: 0 });
    expect([...hub.deliveries.values()]).toEqual([1, 1, 1, 1]);
    expect([...ids, more].map((id) => hub.stored.get(id ?? '')?.seq)).toEqual([1, 2, 3, 4]);
    expect(hub.deviceIds.size).toBe(1);
  });

  test('close persists records still in memory', async () => {
    const first = clients.client(hub);
    const ids = await predictMany(first, 2);
    await first.close(); // no flush, no timer
    expect(clients.clock.pendingTimers()).toBe(0);
    const second = clients.client(hub);
    await second.flush();
    expect(ids.every((id) => hub.stored.has(id))).toBe(true);
  });

  test('a client whose model is unavailable still uploads what earlier page loads buffered', async () => {
    const first = clients.client(hub);
    const [id] = await predictMany(first, 1);
    hub.script('ingest', { status: 503 });
    await first.flush();
    await first.close();
    hub.script('manifest', 'network-error');
    const second = clients.client(hub, { model: 'no-such-model' });
    await expect(second.ready()).rejects.toThrow(/no usable model/);
    expect(await second.flush()).toEqual({ sent: 1, pending: 0 });
    expect(hub.stored.has(id ?? '')).toBe(true);
  });

  test('two clients on one page do not interfere', async () => {
    const other = await createFakeHub();
    await other.publish(7, modelBytes(7));
    const a = clients.client(hub);
    const b = clients.client(other);
    await predictMany(a, 2);
    await predictMany(b, 1);
    other.down = true;
    expect(await a.flush()).toEqual({ sent: 2, pending: 0 });
    expect(await b.flush()).toEqual({ sent: 0, pending: 1 });
    expect(a.stats()).toMatchObject({ synced: 2, modelVersion: 1 });
    expect(b.stats()).toMatchObject({ synced: 0, modelVersion: 7 });
    expect(b.stats().lastSyncError).toMatch(/network/);
    expect(a.stats().lastSyncError).toBeUndefined();
  });
});

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

  test('408 is retried like 5xx', async () => {
    const outpost = clients.client(hub);
    await predictMany(outpost, 1);
    hub.script('ingest', { status: 408 });
    expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
    expect(outpost.stats().dropped).toEqual({});
  });

  test('413: splits the batch until the hub takes it; nothing lost, nothing twice', async () => {
    const outpost = clients.client(hub);
    const ids = await predictMany(outpost, 10);
    const one = new TextEncoder().encode(JSON.stringify(hub.stored.get(ids[0] ?? '') ?? {})).length;
    hub.maxBodyBytes = 1_400; // about three records
    expect(one).toBe(2); // nothing stored yet: '{}'
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
    expect(outpost.stats()).toMatchObject({ dropped: { rejected_400: 3 }, lastSyncError: 'HTTP 400 VALIDATION_FAILED: records.0.seq: bad' });
    const [later] = await predictMany(outpost, 1);
    expect(await outpost.flush()).toEqual({ sent: 1, pending: 0 });
    expect(hub.stored.has(later ?? '')).toBe(true);
    expect(outpost.stats().dropped).toEqual({ rejected_400: 3 });
  });
});

describe('triggers', () => {
  test('"online" skips the backoff and uploads at once', async () => {
    const events = new EventTarget();
    const outpost = clients.client(hub, { lifecycleEvents: events });
    const [id] = await predictMany(outpost, 1);
    hub.script('ingest', { status: 503 });
    await outpost.flush();
    events.dispatchEvent(new Event('online'));
    await eventually(() => expect(hub.stored.has(id ?? '')).toBe(true));
  });

  test('"pagehide" persists and uploads', async () => {
    const events = new EventTarget();
    const outpost = clients.client(hub, { lifecycleEvents: events });
    const [id] = await predictMany(outpost, 1);
    events.dispatchEvent(new Event('pagehide'));
    await eventually(() => expect(hub.stored.has(id ?? '')).toBe(true));
  });

  test('close removes listeners and timers', async () => {
    const events = new EventTarget();
    const outpost = clients.client(hub, { lifecycleEvents: events });
    await predictMany(outpost, 1);
    await eventually(() => expect(clients.clock.pendingTimers()).toBe(1));
    await outpost.close();
    expect(clients.clock.pendingTimers()).toBe(0);
    events.dispatchEvent(new Event('pagehide'));
    events.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 20));
    expect(ingests()).toEqual([]);
  });
});
