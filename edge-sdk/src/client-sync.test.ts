import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createOutpost } from './client.ts';
import type { LogBuffer } from './log-buffer/types.ts';
import { createMemoryLogBuffer } from './log-buffer/memory.ts';
import { createClientFactory, fakeRuntime, modelBytes, penguin, predictMany } from './test-support/clients.ts';
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
    expect(p).toMatchObject({ label: 'Gentoo' });
    await outpost.predict(penguin(2));
    expect(outpost.stats()).toMatchObject({ predictions: 2, pending: 2 });
  });

  test('predict does not wait for the network', async () => {
    let open: () => void = () => undefined;
    let uploading = false;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = clients.client(hub, {
      fetch: async (input, init) => {
        if (input.endsWith('/inferences')) {
          uploading = true;
          await gate;
        }
        return hub.fetch(input, init);
      },
    });
    await slow.predict(penguin(1));
    const flushing = slow.flush();
    await eventually(() => expect(uploading).toBe(true));
    expect(await slow.predict(penguin(2))).toMatchObject({ label: 'Gentoo' });
    open();
    expect((await flushing).sent).toBeGreaterThanOrEqual(1);
    await slow.flush();
    expect(hub.stored.size).toBe(2);
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

  test('a client that only sends labels (no model start) still uploads what earlier page loads buffered, after flushIntervalMs', async () => {
    const first = clients.client(hub);
    const [id] = await predictMany(first, 1);
    hub.script('ingest', 'network-error');
    await first.flush();
    await first.close();
    const second = clients.client(hub, { flushIntervalMs: 2_000 });
    await second.feedback(id ?? '', 'Gentoo');
    await eventually(() => expect(hub.log.filter((l) => l.startsWith('feedback'))).toHaveLength(1));
    clients.clock.advance(2_000);
    await eventually(() => expect(hub.stored.has(id ?? '')).toBe(true));
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

  test('"pagehide" sends records still in memory with a keepalive fetch; a retry carries the same batch id', async () => {
    const events = new EventTarget();
    const uploads: Array<{ keepalive: boolean; batchId: string; ids: string[] }> = [];
    const outpost = clients.client(hub, {
      lifecycleEvents: events,
      fetch: async (input, init) => {
        if (input.endsWith('/inferences')) {
          const body = JSON.parse(String(init?.body)) as { batchId: string; records: Array<{ id: string }> };
          uploads.push({ keepalive: init?.keepalive === true, batchId: body.batchId, ids: body.records.map((r) => r.id) });
          if (init?.keepalive) throw new TypeError('page unloaded'); // its answer is never seen
        }
        return hub.fetch(input, init);
      },
    });
    const { id } = await outpost.predict(penguin(1));
    events.dispatchEvent(new Event('pagehide'));
    await eventually(() => expect(hub.stored.has(id)).toBe(true));
    expect(uploads[0]).toMatchObject({ keepalive: true, ids: [id] });
    expect(uploads[1]).toMatchObject({ keepalive: false, ids: [id], batchId: uploads[0]?.batchId });
    await eventually(() => expect(outpost.stats()).toMatchObject({ pending: 0, synced: 1 }));
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
