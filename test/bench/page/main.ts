// The SDK beside raw onnxruntime-web on the same model, in one page: predict latency (logging on;
// beside session.run on a ready tensor, and beside a raw app that encodes the record each call),
// log append throughput into IndexedDB, and cold start from the SDK's cache.
import { createOnnxRuntime, createOutpost, type TrustedKey } from '@outpost/edge-sdk';
import { createFakeRuntime } from '@outpost/edge-sdk/testing';
import { encodeRecord, verifyManifest, type SignedManifest } from '@outpost/shared';

export interface BenchConfig {
  hubUrl: string;
  projectKey: string;
  model: string;
  trustedKeys: TrustedKey[];
  calls: number;
  warmup: number;
}

export interface Series {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  calls: number;
}

const RECORD = { Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 14.2, 'Flipper Length (mm)': 217, 'Body Mass (g)': 5200, Sex: 'MALE' };

function summarize(samples: number[]): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p99Ms: at(0.99), meanMs: samples.reduce((a, b) => a + b, 0) / samples.length, calls: samples.length };
}

/** A fetch for an app whose hub is unreachable (as offline: the request fails at once). */
const unreachable = (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch (bench: hub unreachable)'));

/** The published model as a raw onnxruntime-web user gets it: manifest verified, bytes fetched. */
async function rawModel(config: BenchConfig) {
  const ort = await import('onnxruntime-web/wasm');
  const headers = { authorization: `Bearer ${config.projectKey}` };
  const signed = (await (await fetch(`${config.hubUrl}/v1/device/models/${config.model}/manifest`, { headers })).json()) as SignedManifest;
  const manifest = await verifyManifest(signed, config.trustedKeys);
  const bytes = new Uint8Array(await (await fetch(`${config.hubUrl}${manifest.artifact.path}`, { headers })).arrayBuffer());
  const input = encodeRecord(manifest.features, RECORD);
  const feeds = () => ({ [manifest.input.name]: new ort.Tensor('float32', input, [1, input.length]) });
  return { ort, manifest, bytes, feeds };
}

/** (a) predict() with logging on against session.run(), call by call, alternating which goes first. */
async function runBench(config: BenchConfig) {
  // Both sides share one onnxruntime-web module, one thread, the WASM execution provider.
  const outpost = createOutpost({ ...config, runtime: createOnnxRuntime({ numThreads: 1 }) });
  await outpost.ready();
  const { ort, manifest, bytes, feeds } = await rawModel(config);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const raw = () => session.run(feeds());
  // A raw app doing the SDK's work on each call but the logging: the record encoded with the
  // feature spec, the class read off the probabilities. What the SDK adds beyond this is its log.
  const { label } = manifest.features;
  const classes = label.task === 'regression' ? [] : label.classes;
  const rawApp = async () => {
    const x = encodeRecord(manifest.features, RECORD);
    const out = (await session.run({ [manifest.input.name]: new ort.Tensor('float32', x, [1, x.length]) }))[manifest.output.name]!.data as Float32Array;
    const probabilities: Record<string, number> = {};
    let best = 0;
    for (let i = 0; i < classes.length; i++) {
      probabilities[classes[i]!] = out[i]!;
      if (out[i]! > out[best]!) best = i;
    }
    return { label: classes[best], probabilities };
  };

  for (let i = 0; i < config.warmup; i++) {
    await raw();
    await outpost.predict(RECORD);
  }
  // Interleaved call by call so drift (GC, JIT, the background log writes and uploads) hits both
  // sides alike; the order flips every pair so neither always runs right after the other.
  const sdk: number[] = [];
  const baseline: number[] = [];
  const timeRaw = async () => {
    const t0 = performance.now();
    await raw();
    baseline.push(performance.now() - t0);
  };
  const timeSdk = async () => {
    const t0 = performance.now();
    await outpost.predict(RECORD);
    sdk.push(performance.now() - t0);
  };
  for (let i = 0; i < config.calls; i++) {
    if (i % 2 === 0) {
      await timeRaw();
      await timeSdk();
    } else {
      await timeSdk();
      await timeRaw();
    }
  }
  // The page's timer ticks every 5 µs (crossOriginIsolated), coarse beside a 20 µs call: blocks of
  // BLOCK calls, alternating sides, give each side's per-call mean to a fraction of a µs.
  const BLOCK = 25;
  const sdkBlocks: number[] = [];
  const baselineBlocks: number[] = [];
  const appBlocks: number[] = [];
  const block = async (into: number[], call: () => Promise<unknown>) => {
    const t0 = performance.now();
    for (let k = 0; k < BLOCK; k++) await call();
    into.push((performance.now() - t0) / BLOCK);
  };
  const sides: Array<[number[], () => Promise<unknown>]> = [
    [baselineBlocks, raw],
    [sdkBlocks, () => outpost.predict(RECORD)],
    [appBlocks, rawApp],
  ];
  // Each round runs the three sides in a rotated order, so none always follows another.
  for (let i = 0; i < Math.ceil(config.calls / BLOCK); i++) {
    for (let k = 0; k < sides.length; k++) {
      const [into, call] = sides[(i + k) % sides.length]!;
      await block(into, call);
    }
  }
  await outpost.flush();
  const stats = outpost.stats();
  await outpost.close();
  await session.release();
  return {
    crossOriginIsolated,
    userAgent: navigator.userAgent,
    sdk: summarize(sdk),
    baseline: summarize(baseline),
    block: BLOCK,
    sdkBlocks: summarize(sdkBlocks),
    baselineBlocks: summarize(baselineBlocks),
    appBlocks: summarize(appBlocks),
    synced: stats.synced,
    pending: stats.pending,
  };
}

/**
 * (b) Log append throughput: predict() in a loop for `seconds` (or `maxRecords`, whichever comes
 * first: a queue that falls behind would otherwise take minutes to drain), every record logged to IndexedDB
 * (uploads refused, so they stay there), then flush() until all are written. Records/s counts
 * from the first predict to the last record on disk. Once with the real model, once with the
 * SDK's fake runtime (the log pipeline's own ceiling), each in its own database.
 */
async function runAppend(config: BenchConfig & { seconds: number; maxRecords: number; yieldEvery: number }) {
  const results = [];
  // A tight loop of awaited predict() calls never yields to the event loop, so no IndexedDB write
  // runs until it ends (a burst, then the backlog). Yielding a task every `yieldEvery` calls, as an
  // app handling events does, lets the writes run between predictions: sustained throughput, and
  // predict latency with the writes really interleaved.
  const runs = [false, true].flatMap((yielding) => (['onnxruntime-web', 'fake runtime'] as const).map((runtimeName) => ({ runtimeName, yielding })));
  const nextTask = () => new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
  for (const { runtimeName, yielding } of runs) {
    const side = `${runtimeName}${yielding ? ', yielding' : ''}`;
    // Its own IndexedDB (the database is per hub URL + key): a fresh queue, nothing to upload.
    const hubUrl = `${config.hubUrl}/bench-append-${runtimeName === 'fake runtime' ? 'fake' : 'ort'}${yielding ? '-yielding' : ''}`;
    const { manifest } = await rawModel(config);
    const outputs = manifest.features.label.task === 'regression' ? 1 : manifest.features.label.classes.length;
    const runtime = runtimeName === 'fake runtime' ? createFakeRuntime({ run: () => Array.from({ length: outputs }, (_, i) => (i === 0 ? 1 : 0)) }) : createOnnxRuntime({ numThreads: 1 });
    // Uploads fail (the hub is "unreachable" to this client) except the manifest and model, from the
    // hub. The model comes from the hub too, not from rawModel's bytes: the hub may roll a newer
    // version out to this device (it buckets by device id) than the one rawModel was given.
    const fetchFor: typeof fetch = async (input) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const headers = { authorization: `Bearer ${config.projectKey}` };
      if (url.pathname.endsWith(`/models/${config.model}/manifest`)) return fetch(`${config.hubUrl}/v1/device/models/${config.model}/manifest${url.search}`, { headers });
      if (url.pathname.includes('/artifacts/')) return fetch(`${config.hubUrl}${url.pathname.slice(url.pathname.indexOf('/v1/'))}${url.search}`, { headers });
      return unreachable();
    };
    // A queue bound far above what the run logs: this measures the write path, not the drop policy.
    const outpost = createOutpost({ ...config, hubUrl, runtime, fetch: fetchFor, flushIntervalMs: 60_000, maxQueueBytes: 512 * 1024 * 1024 });
    await outpost.ready();
    for (let i = 0; i < 200; i++) await outpost.predict(RECORD);
    await outpost.flush();
    const before = outpost.stats().pending;

    const latencies: number[] = [];
    const started = performance.now();
    const until = started + config.seconds * 1000;
    let n = 0;
    while (performance.now() < until && n < config.maxRecords) {
      const t0 = performance.now();
      await outpost.predict(RECORD);
      latencies.push(performance.now() - t0);
      n++;
      if (yielding && n % config.yieldEvery === 0) await nextTask();
    }
    const predictedMs = performance.now() - started;
    await outpost.flush(); // persist the rest; the upload it tries fails at once
    const writtenMs = performance.now() - started;
    const stats = outpost.stats();
    await outpost.close();
    results.push({
      side,
      records: n,
      inIndexedDb: stats.pending - before,
      dropped: stats.dropped,
      storage: stats.storage,
      predictedPerSecond: n / (predictedMs / 1000),
      writtenPerSecond: (stats.pending - before) / (writtenMs / 1000),
      tailMs: writtenMs - predictedMs,
      predict: summarize(latencies),
    });
  }
  return results;
}

/** The bytes in a database of their own, as a raw onnxruntime-web app that caches its model keeps them. */
/** The raw app's own model cache: one IndexedDB store, one key. */
const openRawCache = () =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('bench-raw-model-cache', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('models');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** What the raw app does at start: open its database, read the bytes. */
async function readRawCache(): Promise<Uint8Array> {
  const db = await openRawCache();
  const got = await new Promise<Uint8Array>((resolve, reject) => {
    const request = db.transaction('models').objectStore('models').get('model');
    request.onsuccess = () => resolve(request.result as Uint8Array);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return got;
}

async function rawCache(bytes: Uint8Array): Promise<{ read(): Promise<Uint8Array> }> {
  const db = await openRawCache();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('models', 'readwrite');
    tx.objectStore('models').put(bytes, 'model');
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return { read: readRawCache };
}

/**
 * (c) Cold start: from createOutpost() to the first prediction with the model in the SDK's cache
 * (hub unreachable; and hub reachable, same version), against a raw onnxruntime-web app that keeps
 * its model in IndexedDB (open, read, InferenceSession.create, run), and against create + run on
 * bytes already in memory. onnxruntime-web's module and wasm are loaded beforehand on every side.
 * Interleaved repetitions.
 */
async function runColdStart(config: BenchConfig & { reps: number }) {
  const { ort, bytes, feeds } = await rawModel(config);
  const cached = await rawCache(bytes);
  const warm = createOutpost({ ...config, runtime: createOnnxRuntime({ numThreads: 1 }) });
  await warm.predict(RECORD); // the model in the SDK's cache, onnxruntime loaded
  await warm.flush();
  await warm.close();

  const sides = { raw: [] as number[], rawCached: [] as number[], cacheOffline: [] as number[], cacheOnline: [] as number[] };
  const sources = new Set<string>();
  const raw = async () => {
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    await session.run(feeds());
    sides.raw.push(performance.now() - t0);
    await session.release();
  };
  const rawCached = async () => {
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(await cached.read(), { executionProviders: ['wasm'] });
    await session.run(feeds());
    sides.rawCached.push(performance.now() - t0);
    await session.release();
  };
  const sdk = (side: 'cacheOffline' | 'cacheOnline') => async () => {
    const t0 = performance.now();
    const outpost = createOutpost({ ...config, runtime: createOnnxRuntime({ numThreads: 1 }), ...(side === 'cacheOffline' ? { fetch: unreachable } : {}), flushIntervalMs: 60_000 });
    await outpost.predict(RECORD);
    sides[side].push(performance.now() - t0);
    sources.add(`${side}: ${outpost.stats().modelSource}`);
    await outpost.close();
  };
  const order = [raw, rawCached, sdk('cacheOffline'), sdk('cacheOnline')];
  for (let i = 0; i < config.reps; i++) {
    for (let j = 0; j < order.length; j++) {
      // A pause between starts, as between page loads: the last one's closing writes and released
      // session are not charged to whichever side happens to come next.
      await new Promise((r) => setTimeout(r, 30));
      await order[(i + j) % order.length]!();
    }
  }
  return { raw: summarize(sides.raw), rawCached: summarize(sides.rawCached), cacheOffline: summarize(sides.cacheOffline), cacheOnline: summarize(sides.cacheOnline), sources: [...sources] };
}

/** What the raw app of runPageColdStart hard-codes: its model's input name and the encoded record. */
async function rawInput(config: BenchConfig) {
  const { manifest } = await rawModel(config);
  return { inputName: manifest.input.name, input: [...encodeRecord(manifest.features, RECORD)] };
}

/**
 * (d) Cold start in a fresh page, as an app opened offline: nothing of onnxruntime-web loaded yet
 * (its JS and wasm come from the browser's cache, on every side). `raw`: read the model from its
 * IndexedDB, import onnxruntime-web, create the session, run; `rawMemory`: the same with the bytes
 * already in memory (read before the clock starts: a raw session create and nothing else);
 * `sdk`: createOutpost → predict from its cache, hub unreachable. runColdStart filled both caches
 * in this origin.
 */
async function runPageColdStart(config: BenchConfig & { side: 'raw' | 'rawMemory' | 'sdk'; inputName: string; input: number[] }): Promise<number> {
  const inMemory = config.side === 'rawMemory' ? await readRawCache() : undefined;
  const t0 = performance.now();
  if (config.side !== 'sdk') {
    const bytes = inMemory ?? (await readRawCache());
    const ort = await import('onnxruntime-web/wasm');
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    await session.run({ [config.inputName]: new ort.Tensor('float32', Float32Array.from(config.input), [1, config.input.length]) });
    return performance.now() - t0;
  }
  const outpost = createOutpost({ ...config, runtime: createOnnxRuntime({ numThreads: 1 }), fetch: unreachable, flushIntervalMs: 60_000 });
  await outpost.predict(RECORD);
  const elapsed = performance.now() - t0;
  if (outpost.stats().modelSource !== 'cache') throw new Error(`expected a start from the cache, got ${outpost.stats().modelSource}`);
  await outpost.close();
  return elapsed;
}

/**
 * (e) The SDK's own cost per predict(): its runtime answers at once (a resolved promise of fixed
 * probabilities), so what is left is the SDK's work (encoding, timing the run, the log record,
 * promise hops), beside that runtime's run() alone; and what one performance.now() costs here
 * (the SDK calls it twice per prediction for latencyMs, on the Performance object read once). Logging on, uploads refused; the queued
 * records are written between rounds. Medians of 7 rounds of 20,000 calls.
 */
async function runOwnCost(config: BenchConfig) {
  const OUT = new Float32Array([0.7, 0.2, 0.1]);
  const session = { executionProvider: 'wasm', run: (_input: Float32Array) => Promise.resolve(OUT), release: async () => undefined };
  const fetchModel: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    return url.includes('/inferences') ? unreachable() : fetch(`${config.hubUrl}${url.slice(url.indexOf('/v1/'))}`, init);
  };
  // Its own database (per hub URL): a queue of its own, nothing to upload.
  const outpost = createOutpost({ ...config, hubUrl: `${config.hubUrl}/bench-own-cost`, runtime: { createSession: async () => session }, fetch: fetchModel, flushIntervalMs: 600_000, maxQueueBytes: 512 * 1024 * 1024 });
  await outpost.ready();
  const N = 20_000;
  const x = new Float32Array(10);
  const rounds = { run: [] as number[], predict: [] as number[], now: [] as number[] };
  const perCallUs = (t0: number) => ((performance.now() - t0) * 1000) / N;
  for (let round = 0; round < 7; round++) {
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await session.run(x);
    rounds.run.push(perCallUs(t0));
    t0 = performance.now();
    for (let i = 0; i < N; i++) await outpost.predict(RECORD);
    rounds.predict.push(perCallUs(t0));
    // As the SDK calls it: on the Performance object read once (each read of the global is a call
    // into the browser that costs more than now() itself).
    const perf = performance;
    let sum = 0;
    t0 = perf.now();
    for (let i = 0; i < N; i++) sum += perf.now();
    rounds.now.push(perCallUs(t0));
    if (Number.isNaN(sum)) throw new Error('performance.now() gave NaN'); // keeps the loop's work
    await outpost.flush(); // writes this round's records (the upload fails at once)
  }
  await outpost.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return { runUs: median(rounds.run), predictUs: median(rounds.predict), performanceNowUs: median(rounds.now) };
}

Object.assign(window, { runOwnCost, runBench, runAppend, runColdStart, rawInput, runPageColdStart });
document.title = 'ready';
