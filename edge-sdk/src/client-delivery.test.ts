import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { OutpostError } from '@outpost/shared';
import type { OutpostEvents } from './events.ts';
import type { ModelSession, Runtime } from './runtime/types.ts';
import { dbNameFor, inStore, openOutpostDb } from './storage/db.ts';
import { createFakeRuntime } from './testing/fake-runtime.ts';
import { classOf, createClientFactory, modelBytes, penguin } from './test-support/clients.ts';
import { MODEL, PROJECT_KEY, createFakeHub, eventually, type FakeHub } from './test-support/fake-hub.ts';

let clients: ReturnType<typeof createClientFactory>;
let hub: FakeHub;
beforeEach(async () => {
  clients = createClientFactory();
  hub = await createFakeHub();
});
afterEach(async () => {
  await clients.closeAll();
  vi.unstubAllGlobals();
});

/** These tests are about asking the hub before the first prediction (the default, 'cache-first', has its own tests). */
const networkFirst = { startup: 'network-first' } as const;

const DAY = 86_400_000;
const artifacts = () => hub.log.filter((l) => l.startsWith('artifact'));
const rejection = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as OutpostError);

/** Every event of a client, in order. */
function record(outpost: { on: <E extends keyof OutpostEvents>(e: E, l: (x: OutpostEvents[E]) => void) => () => void }) {
  const seen: Array<[keyof OutpostEvents, unknown]> = [];
  for (const e of ['download', 'model', 'error'] as const) outpost.on(e, (x) => seen.push([e, x]));
  return seen;
}

/** A runtime whose sessions say which bytes they run, and count releases. */
function trackingRuntime(options: { refuse?: (bytes: Uint8Array) => boolean } = {}) {
  const released: string[] = [];
  let hold: Promise<void> | undefined;
  const runtime: Runtime = {
    async createSession(bytes) {
      const name = new TextDecoder().decode(bytes).trim().replace(/\.+$/, '');
      if (options.refuse?.(bytes)) throw new Error(`cannot open ${name}`);
      const session: ModelSession = {
        executionProvider: 'fake',
        run: async () => {
          await hold;
          return Float32Array.from([0.1, 0.2, 0.7]);
        },
        release: async () => void released.push(name),
      };
      return session;
    },
  };
  return {
    runtime,
    released,
    /** Runs wait until the returned function is called. */
    holdRuns() {
      let open!: () => void;
      hold = new Promise<void>((r) => (open = r));
      return () => {
        hold = undefined;
        open();
      };
    },
  };
}

describe('device context and assignment', () => {
  test('the manifest request carries the install id, WebGPU and the app context; the assignment is shown', async () => {
    await hub.publish(1, modelBytes(1));
    hub.assignment = { version: 1, bucket: 4242, reason: 'rollout', detail: 'stage 1 of 4: 10 %' };
    const outpost = clients.client(hub, { context: { platform: 'android', appVersion: '2.1.0', locale: 'de-CH', attributes: { plan: 'pro' } } });
    expect(await outpost.ready()).toEqual({ modelVersion: 1, executionProvider: 'fake', assignment: hub.assignment });
    expect(outpost.stats().assignment).toEqual(hub.assignment);
    const q = hub.manifestQueries[0]!;
    expect(Object.fromEntries(q)).toEqual({ installId: expect.any(String), platform: 'android', appVersion: '2.1.0', locale: 'de-CH', webgpu: '0', 'attr.plan': 'pro' });
    // The install id is the device id of the inference records.
    await outpost.predict(penguin(1));
    await outpost.flush();
    expect([...hub.deviceIds]).toEqual([q.get('installId')]);
  });

  test('a context the hub would refuse is refused at once, naming the field', () => {
    let error: unknown;
    try {
      clients.client(hub, { context: { attributes: { 'no spaces': 'x' } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutpostError);
    expect((error as OutpostError).code).toBe('INVALID_INPUT');
    expect((error as OutpostError).issues?.[0]?.path).toBe('context.attributes.no spaces');
  });
});

describe('manifest freshness', () => {
  test('a replayed older manifest is refused, counted, and v2 keeps running, across a reload', async () => {
    const v1 = await hub.publish(1, modelBytes(1));
    const first = clients.client(hub, networkFirst);
    await first.ready();
    await first.close();
    await hub.publish(2, modelBytes(2));
    const second = clients.client(hub, networkFirst);
    expect(await second.ready()).toMatchObject({ modelVersion: 2 });
    await second.close();

    hub.manifestOverride = v1; // a replay of what the hub once said
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 2 });
    const s = outpost.stats();
    expect(s).toMatchObject({ modelVersion: 2, modelSource: 'cache', modelRefusals: { replay: 1 }, lastManifestCheck: { outcome: 'refused' } });
    expect(s.modelFallbackReason).toMatch(/manifest refused: manifest v1 is a replay/);
  });

  test('an expired manifest is refused; with nothing cached that means MODEL_UNAVAILABLE', async () => {
    await hub.publish(1, modelBytes(1), { expiresAt: new Date(clients.clock.now() - 1).toISOString() });
    const e = await rejection(clients.client(hub).ready());
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect(e.message).toMatch(/manifest v1 expired at/);
    expect(artifacts()).toEqual([]);
  });

  test('a version below the highest minVersion seen is refused even when newly signed', async () => {
    await hub.publish(3, modelBytes(3), { minVersion: 3 });
    const first = clients.client(hub, networkFirst);
    await first.ready();
    await first.close();
    await hub.publish(2, modelBytes(2), { minVersion: 1 }); // later issuedAt, lower version
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 3 });
    expect(outpost.stats().modelRefusals).toEqual({ below_min_version: 1 });
    expect(outpost.stats().modelFallbackReason).toMatch(/v2 is below the minimum version 3/);
  });
});

describe('polling and replacing the running model', () => {
  test('a new version is downloaded with progress, verified, loaded, then replaces the old one', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub, { pollIntervalMs: 60_000 });
    const events = record(outpost);
    await outpost.ready();
    expect(events).toEqual([...[16, 32, 48, 64].map((loaded) => ['download', { version: 1, loaded, total: 64 }]), ['model', { to: 1, source: 'network' }]]);
    events.length = 0;

    await hub.publish(2, modelBytes(2));
    clients.clock.advance(60_000);
    await eventually(() => expect(outpost.stats().modelVersion).toBe(2));
    expect(events).toEqual([
      ...[16, 32, 48, 64].map((loaded) => ['download', { version: 2, loaded, total: 64 }]),
      ['model', { from: 1, to: 2, source: 'network' }],
    ]);
    expect(outpost.stats()).toMatchObject({ download: { state: 'idle' }, lastManifestCheck: { outcome: 'updated' }, modelSource: 'network' });
    expect((await outpost.predict(penguin(1))).modelVersion).toBe(2);

    // Nothing new: the hub answers 304 to the ETag and nothing is downloaded.
    clients.clock.advance(60_000);
    await eventually(() => expect(outpost.stats().lastManifestCheck?.outcome).toBe('not_modified'));
    expect(hub.log.filter((l) => l.startsWith('manifest'))).toEqual(['manifest 200', 'manifest 200', 'manifest 304']);
    expect(artifacts()).toEqual(['artifact 200', 'artifact 200']);
  });

  test('`online` triggers a check; the swap waits for in-flight predictions before releasing', async () => {
    await hub.publish(1, modelBytes(1));
    const t = trackingRuntime();
    const lifecycle = new EventTarget();
    const outpost = clients.client(hub, { runtime: t.runtime, lifecycleEvents: lifecycle });
    await outpost.ready();
    const release = t.holdRuns();
    const inFlight = outpost.predict(penguin(1));
    await hub.publish(2, modelBytes(2));
    lifecycle.dispatchEvent(new Event('online'));
    await eventually(() => expect(outpost.stats().modelVersion).toBe(2));
    expect(t.released).toEqual([]); // v1 still has a prediction running
    release();
    expect((await inFlight).modelVersion).toBe(1);
    await eventually(() => expect(t.released).toEqual(['fake onnx model v1']));
    expect((await outpost.predict(penguin(2))).modelVersion).toBe(2);
  });

  test('a version the runtime cannot open never replaces the running one, and is not tried again', async () => {
    await hub.publish(1, modelBytes(1));
    const t = trackingRuntime({ refuse: (b) => new TextDecoder().decode(b).includes('v2') });
    const outpost = clients.client(hub, { runtime: t.runtime, pollIntervalMs: 1_000 });
    const errors: OutpostEvents['error'][] = [];
    outpost.on('error', (e) => errors.push(e));
    outpost.on('error', () => {
      throw new Error('a listener with a bug');
    });
    await outpost.ready();
    await hub.publish(2, modelBytes(2));
    clients.clock.advance(1_000);
    await eventually(() => expect(outpost.stats().download.state).toBe('failed'));
    expect(errors).toEqual([{ where: 'model', message: expect.stringMatching(/network v2: runtime: cannot open fake onnx model v2/) }]);
    expect(outpost.stats()).toMatchObject({ modelVersion: 1, modelRefusals: { runtime: 1 }, download: { state: 'failed', version: 2 } });
    expect((await outpost.predict(penguin(1))).modelVersion).toBe(1);
    clients.clock.advance(1_000);
    await eventually(() => expect(hub.log.filter((l) => l.startsWith('manifest'))).toHaveLength(3));
    expect(artifacts()).toHaveLength(2); // v2 was not downloaded again
  });

  test('corrupted bytes in a poll are refused; the running model goes on', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub, { pollIntervalMs: 1_000 });
    await outpost.ready();
    await hub.publish(2, modelBytes(2));
    const bad = modelBytes(2);
    bad[3] = (bad[3] ?? 0) ^ 0xff;
    hub.artifactOverride = bad;
    clients.clock.advance(1_000);
    await eventually(() => expect(outpost.stats().download.state).toBe('failed'));
    expect(outpost.stats()).toMatchObject({ modelVersion: 1, modelRefusals: { artifact: 1 } });
    expect(outpost.stats().download.error).toMatch(/SHA-256/);
    expect(outpost.stats().modelFallbackReason).toMatch(/network: model v2 has SHA-256/);
  });

  test('one download per version even when ready() and a poll race', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub, { pollIntervalMs: 10 });
    await Promise.all([outpost.ready(), outpost.predict(penguin(1))]);
    clients.clock.advance(10);
    clients.clock.advance(10);
    await eventually(() => expect(hub.log.filter((l) => l.startsWith('manifest')).length).toBeGreaterThanOrEqual(2));
    expect(artifacts()).toEqual(['artifact 200']);
  });
});

describe('the model cache', () => {
  const keptVersions = async () => {
    const db = await openOutpostDb(await dbNameFor(hub.url, PROJECT_KEY));
    const keys = await inStore(db, 'modelFiles', (s) => s.getAllKeys());
    const state = await inStore(db, 'modelState', (s) => s.get(MODEL));
    db.close();
    return { versions: keys.map((k) => k[1]).sort(), running: state?.running?.[1], previous: state?.previous?.[1] };
  };

  test('keeps the running and the previous version, evicts older; a rollback to the previous is instant', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub, { pollIntervalMs: 1_000 });
    await outpost.ready();
    for (const v of [2, 3]) {
      await hub.publish(v, modelBytes(v));
      clients.clock.advance(1_000);
      await eventually(() => expect(outpost.stats().modelVersion).toBe(v));
    }
    await eventually(async () => expect(await keptVersions()).toEqual({ versions: [2, 3], running: 3, previous: 2 }));

    await hub.publish(2, modelBytes(2)); // the hub rolls back (re-signed, later issuedAt)
    const downloads = artifacts().length;
    clients.clock.advance(1_000);
    await eventually(() => expect(outpost.stats()).toMatchObject({ modelVersion: 2, modelSource: 'cache' }));
    expect(artifacts()).toHaveLength(downloads);
    await eventually(async () => expect(await keptVersions()).toEqual({ versions: [2, 3], running: 2, previous: 3 }));
  });

  test('cache-first: a session opened beside a failing re-check is released and never answers; the hub\'s copy runs', async () => {
    await hub.publish(1, modelBytes(1));
    const first = clients.client(hub);
    await first.ready();
    await first.close();
    // The cached manifest now names a key this app no longer trusts (a rotated-away key).
    const db = await openOutpostDb(await dbNameFor(hub.url, PROJECT_KEY));
    const running = (await inStore(db, 'modelState', (s) => s.get(MODEL)))?.running;
    const stored = running && (await inStore(db, 'modelFiles', (s) => s.get(running)));
    if (!running || !stored) throw new Error('expected a cached model');
    await inStore(db, 'modelFiles', (s) => s.put({ ...stored, signed: { ...stored.signed, keyId: 'gone' } }, running), 'readwrite');
    db.close();

    const tracking = trackingRuntime();
    const outpost = clients.client(hub, { runtime: tracking.runtime });
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats()).toMatchObject({ modelSource: 'network', modelFallbackReason: expect.stringMatching(/^cache: manifest signed by untrusted key/) });
    await eventually(() => expect(tracking.released).toEqual(['fake onnx model v1'])); // the early session, from the cache
    expect((await outpost.predict(penguin(1))).modelVersion).toBe(1);
  });

  test('when the quota is too small the model runs from memory, and stats say why', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persist, estimate: async () => ({ quota: 1_000, usage: 990 }) } });
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats()).toMatchObject({ modelCache: 'memory', modelCacheReason: 'storage quota: the model needs 64 bytes, 10 free', storagePersisted: true });
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await keptVersions()).toMatchObject({ versions: [], running: 1 });
    // Nothing on disk: offline, a new client has no model.
    await outpost.close();
    hub.down = true;
    expect((await rejection(clients.client(hub).ready())).code).toBe('MODEL_UNAVAILABLE');
  });
});

describe('server-side fallback', () => {
  const broken = createFakeRuntime({ run: () => [1, 0, 0], load: () => {
    throw new Error('no WebAssembly');
  } });

  test('when no model opens here, predict() asks the hub, which logs it (the device does not)', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub, { runtime: broken });
    expect(await outpost.ready()).toEqual({ modelVersion: 1, executionProvider: 'server' });
    expect(outpost.stats().modelFallbackReason).toMatch(/runtime: no WebAssembly/);
    const p = classOf(await outpost.predict(penguin(1)));
    expect(p).toMatchObject({ task: 'classification', label: 'Gentoo', executionProvider: 'server', modelVersion: 1 });
    expect(p.probabilities).toEqual({ Adelie: 0.1, Chinstrap: 0.2, Gentoo: 0.7 });
    const second = await outpost.predict(penguin(2));
    expect(hub.stored.get(p.id)).toMatchObject({ seq: 1, executionProvider: 'server' });
    expect(hub.stored.get(second.id)).toMatchObject({ seq: 2 });
    await outpost.flush();
    expect(hub.log.filter((l) => l.startsWith('ingest'))).toEqual([]); // nothing logged on the device
    expect(outpost.stats()).toMatchObject({ predictions: 2, pending: 0, executionProvider: 'server' });
    expect((await rejection(outpost.predict({ bill_length_mm: 'long' }))).code).toBe('INVALID_INPUT');
  });

  test('serverFallback: false, or the hub unreachable with nothing cached → MODEL_UNAVAILABLE', async () => {
    await hub.publish(1, modelBytes(1));
    expect((await rejection(clients.client(hub, { runtime: broken, serverFallback: false }).ready())).code).toBe('MODEL_UNAVAILABLE');
    hub.down = true;
    expect((await rejection(clients.client(hub, { runtime: broken }).ready())).code).toBe('MODEL_UNAVAILABLE');
  });

  test('the hub going away later rejects predict with MODEL_UNAVAILABLE', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub, { runtime: broken });
    await outpost.ready();
    hub.script('predict', 'network-error', { status: 501, body: new OutpostError('NOT_IMPLEMENTED', 'this hub cannot run models').toBody() });
    expect((await rejection(outpost.predict(penguin(1)))).message).toMatch(/hub is unreachable/);
    expect((await rejection(outpost.predict(penguin(1)))).message).toMatch(/HTTP 501 NOT_IMPLEMENTED/);
  });
});

describe('failed predictions', () => {
  test('are logged with output { error } and rejected; bad input is not logged', async () => {
    await hub.publish(1, modelBytes(1));
    let fail = true;
    const runtime = createFakeRuntime({
      run: () => {
        if (fail) throw new Error('out of memory');
        return [0.2, 0.3, 0.5];
      },
    });
    const outpost = clients.client(hub, { runtime });
    expect((await rejection(outpost.predict(penguin(1)))).message).toBe('out of memory');
    await rejection(outpost.predict({ bill_length_mm: 'long' }));
    fail = false;
    await outpost.predict(penguin(2));
    await outpost.flush();
    const outputs = [...hub.stored.values()].sort((a, b) => a.seq - b.seq).map((r) => r.output);
    expect(outputs).toEqual([{ error: 'out of memory' }, { label: 'Gentoo', probabilities: [expect.closeTo(0.2), expect.closeTo(0.3), expect.closeTo(0.5)] }]);
    expect(outpost.stats().predictions).toBe(1);
  });
});
