import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { OutpostError, base64UrlDecode, base64UrlEncode, encodeRecord, type FeatureSpec, type Manifest, type SignedManifest } from '@outpost/shared';
import { dbNameFor, inStore, openOutpostDb } from './storage/db.ts';
import { createOnnxRuntime } from './runtime/onnx.ts';
import { createFakeRuntime } from './testing/fake-runtime.ts';
import { tinyClassifierBytes } from './testing/fixtures/tiny-classifier.ts';
import { classOf, createClientFactory, modelBytes } from './test-support/clients.ts';
import { FEATURES, MODEL, PROJECT_KEY, createFakeHub, createSigner, type FakeHub } from './test-support/fake-hub.ts';

let clients: ReturnType<typeof createClientFactory>;
let hub: FakeHub;
beforeEach(async () => {
  clients = createClientFactory();
  hub = await createFakeHub();
});
afterEach(() => clients.closeAll());

/** These tests are about asking the hub before the first prediction (the default, 'cache-first', has its own tests). */
const networkFirst = { startup: 'network-first' } as const;

async function rejection(promise: Promise<unknown>): Promise<OutpostError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OutpostError);
  return e as OutpostError;
}

const manifestOf = (signed: SignedManifest): Manifest => JSON.parse(new TextDecoder().decode(base64UrlDecode(signed.payload))) as Manifest;

/** Flip one bit of the running model's cached bytes, as a disk fault or a script on the origin could. */
async function alterCachedBytes(): Promise<void> {
  const db = await openOutpostDb(await dbNameFor(hub.url, PROJECT_KEY));
  const running = (await inStore(db, 'modelState', (s) => s.get(MODEL)))?.running;
  const stored = running && (await inStore(db, 'modelFiles', (s) => s.get(running)));
  if (!running || !stored) throw new Error('expected a cached model');
  const bytes = stored.bytes.slice();
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  await inStore(db, 'modelFiles', (s) => s.put({ ...stored, bytes }, running), 'readwrite');
  db.close();
}

/** Load v1 into the cache through a first client, then close it. */
async function cacheVersion1(): Promise<void> {
  await hub.publish(1, modelBytes(1));
  const first = clients.client(hub);
  expect(await first.ready()).toEqual({ modelVersion: 1, executionProvider: 'fake' });
  await first.close();
}

describe('ready', () => {
  test('downloads, verifies and opens the published model', async () => {
    await hub.publish(3, modelBytes(3));
    const outpost = clients.client(hub);
    expect(await outpost.ready()).toEqual({ modelVersion: 3, executionProvider: 'fake' });
    expect(outpost.stats()).toMatchObject({ modelVersion: 3, executionProvider: 'fake', modelSource: 'network', storage: 'indexeddb' });
    expect(outpost.stats().modelFallbackReason).toBeUndefined();
  });

  test('is idempotent: one promise, one download', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub);
    const a = outpost.ready();
    expect(outpost.ready()).toBe(a);
    await Promise.all([a, outpost.predict({ bill_length_mm: 40 })]);
    expect(outpost.ready()).toBe(a);
    expect(hub.log.filter((l) => l.startsWith('artifact'))).toEqual(['artifact 200']);
  });

  test('uses the cached bytes when the hub still serves the same version', async () => {
    await cacheVersion1();
    const outpost = clients.client(hub);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats()).toMatchObject({ modelSource: 'cache' });
    expect(outpost.stats().modelFallbackReason).toBeUndefined();
    expect(hub.log.filter((l) => l.startsWith('artifact'))).toHaveLength(1); // only the first client's
  });

  test('replaces the cached model when the hub publishes a new version', async () => {
    await cacheVersion1();
    await hub.publish(2, modelBytes(2));
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 2 });
    expect(outpost.stats().modelSource).toBe('network');
  });

  test('tampered manifest signature → INTEGRITY recorded, the cached model still serves', async () => {
    await cacheVersion1();
    const v2 = await hub.publish(2, modelBytes(2));
    const sig = v2.signature;
    hub.manifestOverride = { ...v2, signature: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) };
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats()).toMatchObject({ modelSource: 'cache', modelVersion: 1 });
    expect(outpost.stats().modelFallbackReason).toMatch(/network: manifest signature does not match/);
    expect((await outpost.predict({ bill_length_mm: 40 })).modelVersion).toBe(1);
  });

  test('tampered manifest payload (version bumped, old signature) → INTEGRITY', async () => {
    await cacheVersion1();
    const v1 = await hub.publish(1, modelBytes(1));
    const forged = { ...manifestOf(v1), version: 9 };
    hub.manifestOverride = { ...v1, payload: base64UrlEncode(new TextEncoder().encode(JSON.stringify(forged))) };
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats().modelFallbackReason).toMatch(/signature/);
  });

  test('manifest signed by a key the app does not trust → INTEGRITY', async () => {
    const stranger = await createSigner();
    hub.manifestOverride = await stranger.sign(manifestOf(await hub.publish(1, modelBytes(1))));
    const e = await rejection(clients.client(hub).ready());
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect(e.message).toMatch(/untrusted key/);
    expect((e.cause as OutpostError).code).toBe('INTEGRITY');
  });

  test('artifact hash mismatch → INTEGRITY, the last good model stays cached and serves', async () => {
    await cacheVersion1();
    await hub.publish(2, modelBytes(2));
    const corrupted = modelBytes(2);
    corrupted[10] = (corrupted[10] ?? 0) ^ 0xff; // same size, different hash
    hub.artifactOverride = corrupted;
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats().modelFallbackReason).toMatch(/network: model v2 has SHA-256 [0-9a-f]{64}, manifest says/);

    // The bad download did not replace v1: with the hub gone, v1 is still there.
    hub.down = true;
    const offline = clients.client(hub, networkFirst);
    expect(await offline.ready()).toMatchObject({ modelVersion: 1 });
  });

  test('artifact of the wrong size → INTEGRITY, nothing cached → MODEL_UNAVAILABLE', async () => {
    await hub.publish(1, modelBytes(1));
    hub.artifactOverride = modelBytes(1).slice(1);
    const e = await rejection(clients.client(hub).ready());
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect(e.message).toMatch(/is 63 bytes, manifest says 64/);
    expect((e.cause as OutpostError).code).toBe('INTEGRITY');
  });

  test('hub down at start with a cached model → works from cache', async () => {
    await cacheVersion1();
    hub.down = true;
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats()).toMatchObject({ modelSource: 'cache' });
    expect(outpost.stats().modelFallbackReason).toMatch(/network: manifest of "penguins": hub unreachable/);
    const prediction = await outpost.predict({ bill_length_mm: 40, island: 'Dream' });
    expect(prediction).toMatchObject({ task: 'classification', label: 'Gentoo' });
  });

  test('hub answering 5xx for the manifest → falls back to cache', async () => {
    await cacheVersion1();
    hub.script('manifest', { status: 503 });
    const outpost = clients.client(hub, networkFirst);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats().modelFallbackReason).toMatch(/HTTP 503 INTERNAL/);
  });

  test('hub down and nothing cached → MODEL_UNAVAILABLE; a later ready() retries', async () => {
    await hub.publish(1, modelBytes(1));
    hub.down = true;
    const outpost = clients.client(hub);
    const e = await rejection(outpost.ready());
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect((e.cause as OutpostError).code).toBe('NETWORK');
    expect((await rejection(outpost.predict({ bill_length_mm: 40 }))).code).toBe('MODEL_UNAVAILABLE');
    hub.down = false;
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
  });

  test('cached bytes altered on the device + hub down → MODEL_UNAVAILABLE (cache re-verified)', async () => {
    await cacheVersion1();
    await alterCachedBytes();
    hub.down = true;
    const e = await rejection(clients.client(hub).ready());
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect(e.message).toMatch(/cache: model v1 has SHA-256/);
  });

  test('a cached model signed by a key no longer trusted is not used', async () => {
    await cacheVersion1();
    hub.down = true;
    const rotated = await createSigner();
    const e = await rejection(clients.client(hub, { trustedKeys: [rotated.trustedKey] }).ready());
    expect(e.message).toMatch(/cache: manifest signed by untrusted key/);
  });

  test('a model the runtime cannot open does not replace the cached one', async () => {
    await cacheVersion1();
    await hub.publish(2, modelBytes(2));
    const v2 = modelBytes(2);
    const picky = createFakeRuntime({
      run: () => [1, 0, 0],
      load: (bytes) => {
        if (bytes.every((b, i) => b === v2[i])) throw new Error('unsupported opset');
      },
    });
    const outpost = clients.client(hub, { ...networkFirst, runtime: picky });
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats().modelFallbackReason).toMatch(/network v2: runtime: unsupported opset/);
    hub.down = true;
    expect(await clients.client(hub, { ...networkFirst, runtime: picky }).ready()).toMatchObject({ modelVersion: 1 });
  });
});

describe("startup: 'cache-first' (the default)", () => {
  test('runs the cached version at once, then swaps in the hub\'s new version in the background', async () => {
    await cacheVersion1();
    await hub.publish(2, modelBytes(2));
    const outpost = clients.client(hub);
    const models: unknown[] = [];
    outpost.on('model', (e) => models.push(e));
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats().modelSource).toBe('cache');
    await vi.waitFor(() => expect(outpost.stats()).toMatchObject({ modelVersion: 2, modelSource: 'network', lastManifestCheck: { outcome: 'updated' } }), { timeout: 5_000 });
    expect(models).toEqual([{ to: 1, source: 'cache' }, { from: 1, to: 2, source: 'network' }]);
    expect((await outpost.predict({ bill_length_mm: 40 })).modelVersion).toBe(2);
  });

  test('does not wait for the hub: a manifest request that never answers leaves the cached model running', async () => {
    await cacheVersion1();
    let asked = 0;
    const hanging: typeof hub.fetch = (input, init) => (String(input).includes('/manifest') ? (asked++, new Promise<Response>(() => undefined)) : hub.fetch(input, init));
    const outpost = clients.client(hub, { fetch: hanging });
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    await vi.waitFor(() => expect(asked).toBe(1), { timeout: 5_000 }); // asked, in the background
    expect((await outpost.predict({ bill_length_mm: 40 })).modelVersion).toBe(1);
  });

  test('hub down: the cached model runs, the failed check is recorded and reported as an error event', async () => {
    await cacheVersion1();
    hub.down = true;
    const outpost = clients.client(hub);
    const errors: unknown[] = [];
    outpost.on('error', (e) => errors.push(e));
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    await vi.waitFor(() => expect(outpost.stats().lastManifestCheck).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/hub unreachable/) }), { timeout: 5_000 });
    expect(errors).toEqual([{ where: 'manifest', message: expect.stringMatching(/hub unreachable/) }]);
  });

  test('a replayed older manifest is refused in the background and the cached newer version keeps running', async () => {
    const v1 = await hub.publish(1, modelBytes(1));
    await cacheVersion1();
    await hub.publish(2, modelBytes(2));
    const second = clients.client(hub, networkFirst);
    expect(await second.ready()).toMatchObject({ modelVersion: 2 });
    await second.close();
    hub.manifestOverride = v1;
    const outpost = clients.client(hub);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 2 });
    await vi.waitFor(() => expect(outpost.stats()).toMatchObject({ modelRefusals: { replay: 1 }, lastManifestCheck: { outcome: 'refused' } }), { timeout: 5_000 });
    expect(outpost.stats()).toMatchObject({ modelVersion: 2, modelFallbackReason: expect.stringMatching(/manifest v1 is a replay/) });
  });

  test('a cached model that no longer verifies is not run: the hub is asked first', async () => {
    await cacheVersion1();
    await alterCachedBytes();
    const outpost = clients.client(hub);
    expect(await outpost.ready()).toMatchObject({ modelVersion: 1 });
    expect(outpost.stats()).toMatchObject({ modelSource: 'network', modelFallbackReason: expect.stringMatching(/^cache: model v1 has SHA-256/) });
  });

  test("rejects an unknown startup option, naming it", () => {
    expect(() => clients.client(hub, { startup: 'cache-only' as never })).toThrow(/options.startup must be 'cache-first' or 'network-first', got "cache-only"/);
  });
});

describe('predict', () => {
  test('returns the label and per-class probabilities', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub);
    const p = classOf(await outpost.predict({ bill_length_mm: 39.1, island: 'Biscoe' }));
    expect(p).toMatchObject({ task: 'classification', label: 'Gentoo', modelVersion: 1, executionProvider: 'fake' });
    expect(p.probabilities.Adelie).toBeCloseTo(0.1);
    expect(p.probabilities.Chinstrap).toBeCloseTo(0.2);
    expect(p.probabilities.Gentoo).toBeCloseTo(0.7);
    expect(p.id).toMatch(/^[0-9a-f]{32}\.[0-9a-z]+$/);
    expect(p.latencyMs).toBeGreaterThanOrEqual(0);
    expect(outpost.stats()).toMatchObject({ predictions: 1 });
  });

  test('returns the value of a regressor, and logs it', async () => {
    await hub.publish(1, modelBytes(1), {
      input: { name: 'input', shape: [-1, 4], type: 'float32' },
      output: { name: 'value', shape: [-1, 1], type: 'float32' },
      features: { ...FEATURES, label: { name: 'body_mass_g', task: 'regression' } },
    });
    const outpost = clients.client(hub, { runtime: createFakeRuntime({ run: () => [4321.5] }) });
    const p = await outpost.predict({ bill_length_mm: 39.1, island: 'Biscoe' });
    expect(p).toMatchObject({ task: 'regression', value: 4321.5, modelVersion: 1 });
    expect(p).not.toHaveProperty('label');
    await outpost.flush();
    expect(hub.stored.get(p.id)).toMatchObject({ output: { value: 4321.5 } });
  });

  test('refuses a regressor output of the wrong width', async () => {
    await hub.publish(1, modelBytes(1), {
      input: { name: 'input', shape: [-1, 4], type: 'float32' },
      output: { name: 'value', shape: [-1, 1], type: 'float32' },
      features: { ...FEATURES, label: { name: 'body_mass_g', task: 'regression' } },
    });
    const outpost = clients.client(hub, { runtime: createFakeRuntime({ run: () => [1, 2] }) });
    const e = await rejection(outpost.predict({ bill_length_mm: 39.1, island: 'Biscoe' }));
    expect(e.message).toMatch(/returned 2 values, expected 1/);
  });

  test('feeds the model the shared encoding of the record', async () => {
    await hub.publish(1, modelBytes(1));
    const inputs: number[][] = [];
    const runtime = createFakeRuntime({ run: (x) => (inputs.push(Array.from(x)), [1, 0, 0]) });
    await clients.client(hub, { runtime }).predict({ bill_length_mm: 49, island: 'Dream' });
    expect(inputs).toEqual([[1, 0, 1, 0]]);
  });

  test('invalid input rejects with INVALID_INPUT naming the field, and logs nothing', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub);
    const e = await rejection(outpost.predict({ bill_length_mm: 'long', island: 'Dream' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/bill_length_mm/);
    expect(e.issues?.[0]?.path).toBe('bill_length_mm');
    expect(outpost.stats()).toMatchObject({ predictions: 0, pending: 0 });
  });

  test('runs a real ONNX model with onnxruntime-web and logs the provider that ran', async () => {
    await hub.publish(1, tinyClassifierBytes());
    const outpost = clients.client(hub, { runtime: createOnnxRuntime({ numThreads: 1 }) });
    expect(await outpost.ready()).toEqual({ modelVersion: 1, executionProvider: 'wasm' });
    // x = [0, 1, 0, 0] → logits [0.5, 0, 1.5] (see the fixture)
    const p = classOf(await outpost.predict({ bill_length_mm: 44, island: 'Biscoe' }));
    expect(p.label).toBe('Gentoo');
    const z = Math.exp(0.5) + Math.exp(0) + Math.exp(1.5);
    expect(p.probabilities.Adelie).toBeCloseTo(Math.exp(0.5) / z, 6);
    expect(p.probabilities.Gentoo).toBeCloseTo(Math.exp(1.5) / z, 6);
    expect(await outpost.predict({ bill_length_mm: 30, island: 'Torgersen' })).toMatchObject({ label: 'Adelie' });
    await outpost.flush();
    expect(hub.stored.get(p.id)).toMatchObject({ executionProvider: 'wasm', output: { label: 'Gentoo' } });
  });

  test('rejects after close', async () => {
    await hub.publish(1, modelBytes(1));
    const outpost = clients.client(hub);
    await outpost.ready();
    await outpost.close();
    expect((await rejection(outpost.predict({ bill_length_mm: 40 }))).code).toBe('MODEL_UNAVAILABLE');
  });
});

describe('hashed features', () => {
  test('a model with hashed features predicts; its encoder (a chunk of its own) gives the hub encodeRecord\'s numbers', async () => {
    const features: FeatureSpec = {
      features: [
        { name: 'bill_length_mm', kind: 'numeric', mean: 44, std: 5 },
        { name: 'note', kind: 'hashed', buckets: 8, seed: 7, tokens: 'words' },
      ],
      label: { name: 'species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
    };
    await hub.publish(1, modelBytes(1), { features, input: { name: 'input', shape: [-1, 9], type: 'float32' } });
    const inputs: Float32Array[] = [];
    const outpost = clients.client(hub, { runtime: createFakeRuntime({ run: (x) => (inputs.push(x.slice()), [0.1, 0.2, 0.7]) }) });
    const record = { bill_length_mm: 49, note: 'seen near the shore seen' };
    expect(await outpost.predict(record)).toMatchObject({ task: 'classification', label: 'Gentoo' });
    await outpost.predict(record); // the encoder loaded: the same numbers
    expect(inputs).toEqual([encodeRecord(features, record), encodeRecord(features, record)]);
    expect([...inputs[0]!.slice(1)].filter((v) => v > 0).length).toBeGreaterThan(1);
  });
});

