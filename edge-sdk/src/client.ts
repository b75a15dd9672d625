import { OutpostError, encodeRecordWith, inputWidth, needsHashing, outputWidth, type Assignment, type HashedEncoder, type InferenceRecord, type Manifest, type RawRecord } from '@outpost/shared';
import { createEmitter, type OutpostEventName, type Listener } from './events.ts';
import { createModelCache, type ModelCacheInfo, type StorageManagerLike } from './model-cache/cache.ts';
import { preloadSignatureCheck } from './model-cache/verify.ts';
import { createModelDelivery, type ActiveModel, type DownloadState, type LocalModel, type ManifestCheck, type ModelDelivery, type ModelOrigin } from './model-cache/delivery.ts';
import type { GpuNavigator } from './model-cache/device-context.ts';
import type { ModelSource } from './model-cache/download.ts';
import { resolveOptions, type OutpostOptions } from './options.ts';
import { createIdSource } from './random-id.ts';
import type { ModelSession } from './runtime/types.ts';
import type { FeedbackStats } from './feedback/sender.ts';
import { lazyOnce } from './lazy-once.ts';
import { createMetaProviderMemory } from './runtime/provider-memory.ts';
import { createInputSlab } from './input-slab.ts';
import { SERVER_PROVIDER, loggedInput, serverPredict } from './server-fallback.ts';
import { openClientStorage, type ClientStorage } from './storage/open-storage.ts';
import { createLogPipeline, type LogPipeline } from './sync/log-pipeline.ts';
import { createFetchTransport } from './sync/transport.ts';

/**
 * What `ready()` resolves to: the model that will answer `predict()`, and why the hub chose it.
 * @example const { modelVersion, executionProvider, assignment } = await outpost.ready();
 */
export interface ReadyInfo {
  modelVersion: number;
  /** 'wasm' (later 'webgpu'), or 'server' when no model runs on this device and the hub predicts. */
  executionProvider: string;
  /** The hub's reason for this version (bucket 0–9999, pinned / rule / rollout / default); absent when the model came from the cache offline. */
  assignment?: Assignment;
}

/**
 * One prediction: a class with probabilities (a classifier) or a value (a regressor), told apart by
 * `task`, which comes from the model's signed manifest.
 * @example
 * const p = await outpost.predict({ island: 'Dream', bill_length_mm: 46.5 });
 * if (p.task === 'classification') show(p.label, p.probabilities); else show(p.value);
 */
export type Prediction = ClassPrediction | ValuePrediction;

export interface ClassPrediction extends PredictionBase {
  task: 'classification';
  /** The most probable class. */
  label: string;
  /** Probability per class. */
  probabilities: Record<string, number>;
}

export interface ValuePrediction extends PredictionBase {
  task: 'regression';
  /** The predicted value, in the label's units. */
  value: number;
}

interface PredictionBase {
  /** The id of the inference record logged for it (send it with a late label). */
  id: string;
  modelVersion: number;
  executionProvider: string;
  /** Time the model took to run, in ms (performance.now; excludes encoding and logging; for 'server', the round trip). */
  latencyMs: number;
}

/**
 * A snapshot of what the client did and what it could not do; cheap, synchronous.
 * @example const { pending, dropped, lastSyncError, download } = outpost.stats();
 */
export interface OutpostStats {
  /** Predictions made by this client. */
  predictions: number;
  /** Records not yet accepted by the hub: in memory plus buffered. */
  pending: number;
  /** Records the hub accepted (2xx) through this client. */
  synced: number;
  /** Records given up on, by reason: `queue_full`, `expired`, `sampled`, `too_large`, `rejected_<status>`. */
  dropped: Record<string, number>;
  /** UTF-8 JSON bytes of the records queued on the device (not counting those still in memory). */
  queueBytes: number;
  /** Records of batches the hub refused (4xx), kept in a bounded quarantine and never retried. */
  quarantined: number;
  /** Late labels (`feedback()`): queued, accepted by the hub, dropped by reason; absent until the first label. */
  feedback?: FeedbackStats;
  /** Age of the oldest record waiting for upload, in ms. */
  oldestRecordAgeMs?: number;
  /** Epoch ms of the last upload the hub accepted. */
  lastSyncAt?: number;
  lastSyncError?: string;
  modelVersion?: number;
  /** 'server' while the hub predicts for this device (no model could be opened here). */
  executionProvider?: string;
  /** Why that provider: 'no adapter', 'self-test passed: max diff 3.0e-8', 'webgpu device lost: …' (docs/sdk.md, Execution providers). */
  providerReason?: string;
  /** Where the running model's bytes came from ('network' or 'cache'); absent while the hub predicts. */
  modelSource?: ModelOrigin;
  /** Why the hub's current model is not the one running (or other trouble on the way), when there was any. */
  modelFallbackReason?: string;
  /** Where records and models are kept; 'memory' means nothing survives a reload. */
  storage?: 'indexeddb' | 'memory';
  /** Why the hub chose the version it last sent (bucket, reason, detail). */
  assignment?: Assignment;
  /** The model download in progress or the last one that failed. */
  download: DownloadState;
  /** The last time the manifest was asked for, and what came of it. */
  lastManifestCheck?: ManifestCheck;
  /** Where model bytes are kept: 'memory' when the disk cache was skipped (quota) or failed; `modelCacheReason` says why. */
  modelCache?: 'indexeddb' | 'memory';
  modelCacheReason?: string;
  /** The answer to `navigator.storage.persist()` (asked once, before the first model is stored). */
  storagePersisted?: boolean;
  /** Manifests and models refused, by reason: expired, replay, below_min_version, signature, artifact, runtime. */
  modelRefusals: Record<string, number>;
}

/**
 * The client `createOutpost` returns.
 * @example
 * const outpost: OutpostClient = createOutpost(options);
 * addEventListener('beforeunload', () => void outpost.flush());
 */
export interface OutpostClient {
  /**
   * Fetch, verify and load the model (or fall back to the last good cached one). The same promise
   * while loading and once loaded; after a rejection (MODEL_UNAVAILABLE) the next call tries again.
   */
  ready(): Promise<ReadyInfo>;
  /**
   * Predict for one raw record (awaits `ready()`). Rejects INVALID_INPUT naming the field when a
   * value cannot be encoded. Logging happens in the background: never waits on storage or network.
   */
  predict(record: RawRecord): Promise<Prediction>;
  /** Persist pending records and upload everything buffered now (late labels too). Never rejects: see `stats()` for failures. */
  flush(): Promise<{ sent: number; pending: number }>;
  /**
   * The truth about a past prediction, learned later: the true class (a string) of a classifier's
   * prediction, or the true value (a number) of a regressor's, by the prediction's `id`. Queued on
   * the device (it survives reloads and offline spells) and sent to the hub, which joins it to the
   * prediction for live accuracy. Resolves once queued; never rejects for the network. Throws a
   * TypeError, at once, for a bad argument.
   * @example const p = await outpost.predict(record); … await outpost.feedback(p.id, 'Gentoo');
   */
  feedback(predictionId: string, label: string | number): Promise<void>;
  stats(): OutpostStats;
  /**
   * Listen to `download` ({ version, loaded, total }), `model` ({ from?, to, source }) or `error`
   * ({ where, message }); returns the function that stops listening. A listener that throws is ignored.
   * @example const off = outpost.on('model', ({ to }) => console.log(`now running v${to}`));
   */
  on<E extends OutpostEventName>(event: E, listener: Listener<E>): () => void;
  /** Stop timers and listeners, persist pending records, release the model and close the database. */
  close(): Promise<void>;
}

interface Loaded {
  storage: ClientStorage;
  pipeline: LogPipeline;
  delivery: ModelDelivery<ModelSession>;
  cacheInfo: () => ModelCacheInfo;
}

/** Per running model: what predict() needs, computed once. */
interface Prepared {
  manifest: Manifest;
  width: number;
  dims: readonly number[];
  /** A fresh zeroed input of `width` floats (see input-slab.ts). */
  input: () => Float32Array;
  /** The model has hashed features: their encoder (a chunk of its own) must be loaded first. */
  hashed: boolean;
}

/**
 * The Performance object, read once: in Chromium each read of the `performance` global is a call
 * into the browser that costs twice what `now()` itself does (0.15 against 0.06 µs).
 */
const perf = globalThis.performance;

/** The hashed features' encoder, a chunk of its own (most models have none), loaded once per page. */
let hashedEncoder: HashedEncoder | undefined;
const loadHashedEncoder = lazyOnce(() =>
  import('@outpost/shared/features-hashed').then(
    (m) => void (hashedEncoder = m.encodeHashed),
    (e: unknown) => {
      throw new OutpostError('MODEL_UNAVAILABLE', `could not load the SDK's encoder of hashed features: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    },
  ),
);

/**
 * Create a client: it fetches and verifies the model, predicts on the device and logs every
 * prediction for upload to the hub. Nothing is fetched until `ready()` or `predict()`.
 * @example
 * const outpost = createOutpost({ hubUrl: 'https://hub.example.com', projectKey: 'pk_…', model: 'penguins', trustedKeys: [HUB_KEY] });
 * const { label, probabilities } = await outpost.predict({ island: 'Biscoe', bill_length_mm: 39.1 });
 */
export function createOutpost(options: OutpostOptions): OutpostClient {
  const o = resolveOptions(options);
  const hub = { hubUrl: o.hubUrl, projectKey: o.projectKey, fetch: o.fetch };
  const events = createEmitter();
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  let predictions = 0;
  const nextId = createIdSource();
  let closed = false;
  let readyPromise: Promise<ReadyInfo> | undefined;
  let closePromise: Promise<void> | undefined;
  let pollTimer: unknown;
  let prepared: Prepared | undefined;
  let webgpu: Promise<boolean | undefined> | undefined;
  /** The manifest and download code, fetched on first use (see model-cache/network.ts); a failed load is retried next time. */
  const network = lazyOnce(() =>
    import('./model-cache/network.ts').catch((e: unknown) => {
      throw new OutpostError('NETWORK', `could not load the SDK's download code: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }),
  );

  // The log queue's start-up upkeep waits for the first model start, successful or not (load()),
  // or, when the storage opened for something else (labels, flush) with no start asked for, not at all.
  let startSettled!: () => void;
  const firstStart = new Promise<void>((resolve) => (startSettled = resolve));
  let startAsked = false;

  // Storage never rejects (it falls back to memory), so this is opened once per client.
  let loaded: Promise<Loaded> | undefined;
  let current: Loaded | undefined;
  const storage = (): Promise<Loaded> =>
    (loaded ??= openClientStorage({ hubUrl: o.hubUrl, projectKey: o.projectKey, logBuffer: o.logBuffer, model: o.model }).then((s) => {
      const cache = createModelCache({
        store: s.models,
        trustedKeys: o.trustedKeys,
        now: () => o.clock.now(),
        storage: (nav as { storage?: StorageManagerLike } | undefined)?.storage,
        memoryOnly: s.kind === 'memory' ? (s.error ?? 'IndexedDB is not available') : undefined,
      });
      const delivery: ModelDelivery<ModelSession> = createModelDelivery({
        model: o.model,
        cache,
        source: lazySource(() => network().then((n) => n.createModelSource(hub, o.trustedKeys, (m, loadedBytes, total) => delivery.progress(m, loadedBytes, total)))),
        // The provider choice is remembered per device and model (a remembered one skips the WebGPU probe or self-test).
        open: (m) => o.runtime.createSession(m.bytes, { inputName: m.manifest.input.name, outputName: m.manifest.output.name }, { memory: createMetaProviderMemory(s.meta), modelSha256: m.manifest.artifact.sha256 }),
        now: () => o.clock.now(),
        query: async () => (await network()).contextQuery(s.deviceId, o.context, await probeWebGpu()),
        serverFallback: o.serverFallback,
        startup: o.startup,
        emit: events.emit,
      });
      current = {
        storage: s,
        delivery,
        cacheInfo: cache.info,
        pipeline: createLogPipeline({
          storage: s,
          transport: createFetchTransport(hub, () => o.clock.now()),
          batchSize: o.batchSize,
          flushIntervalMs: o.flushIntervalMs,
          clock: o.clock,
          lifecycleEvents: o.lifecycleEvents,
          maxQueueBytes: o.maxQueueBytes,
          maxRecordAgeMs: o.maxRecordAgeMs,
          recordPolicy: o.recordPolicy,
          upkeepAfter: firstStart,
        }),
      };
      if (!startAsked) startSettled();
      return current;
    }));

  // Asking WebGPU for an adapter can take a moment: start it alongside the database.
  const probeWebGpu = () => (webgpu ??= network().then((n) => n.hasWebGpu(nav as GpuNavigator | undefined), () => undefined));
  const startContext = () => void probeWebGpu();

  function info(m: ActiveModel<ModelSession>, delivery: ModelDelivery<ModelSession>): ReadyInfo {
    const { assignment } = delivery.stats();
    return { modelVersion: m.manifest.version, executionProvider: m.kind === 'server' ? SERVER_PROVIDER : m.session.executionProvider, ...(assignment ? { assignment } : {}) };
  }

  async function load(): Promise<ReadyInfo> {
    startAsked = true;
    // Network-first asks the hub at once, with the device context. Cache-first asks it in the
    // background: the adapter request (a trip to the GPU process) would only slow the cached start.
    if (o.startup === 'network-first') startContext();
    preloadSignatureCheck(o.trustedKeys); // fetched beside the database reads; every start verifies a manifest
    const { delivery } = await storage();
    const m = await delivery.start().finally(startSettled);
    if (closed) {
      delivery.close();
      throw new OutpostError('MODEL_UNAVAILABLE', 'client is closed');
    }
    schedulePoll();
    // Labels left from an earlier session go out after the start (one read, off the first prediction's path).
    setTimeout(sendFeedback, 0);
    return info(m, delivery);
  }

  function schedulePoll(): void {
    if (closed || o.pollIntervalMs <= 0 || pollTimer !== undefined) return;
    pollTimer = o.clock.setTimeout(() => {
      void current?.delivery.check().finally(() => {
        pollTimer = undefined;
        schedulePoll();
      });
    }, o.pollIntervalMs);
  }
  // Late labels: their code is a chunk of its own, loaded on the first label (or at start-up when
  // labels wait from an earlier session: see below).
  // If the chunk cannot be fetched (offline), a later trigger tries again.
  let feedbackStats: (() => FeedbackStats) | undefined;
  const feedbackQueue = lazyOnce(() =>
    Promise.all([storage(), import('./feedback/sender.ts')]).then(([l, m]) => {
      const sender = m.createFeedbackSender({ hub, meta: l.storage.meta, deviceId: l.storage.deviceId });
      feedbackStats = sender.stats;
      return sender;
    }),
  );
  /** Send the labels waiting in the database, if any (from an earlier session, or queued while the chunk could not load). Never rejects. */
  const sendFeedback = async (): Promise<void> => {
    if (closed) return;
    const sender = feedbackStats ? feedbackQueue() : storage().then((l) => l.storage.meta.get('pendingFeedback')).then((left) => (left?.length && !closed ? feedbackQueue() : undefined));
    await sender.then((f) => f?.flush()).catch(() => undefined);
  };
  const onOnline = () => {
    void current?.delivery.check();
    void sendFeedback();
  };
  o.lifecycleEvents?.addEventListener('online', onOnline);

  function ready(): Promise<ReadyInfo> {
    if (closed) return Promise.reject(new OutpostError('MODEL_UNAVAILABLE', 'client is closed'));
    // Same promise while loading or loaded; forgotten on failure so a later call retries.
    readyPromise ??= load().catch((e: unknown) => {
      readyPromise = undefined;
      throw e;
    });
    return readyPromise;
  }

  function prepare(manifest: Manifest): Prepared {
    if (prepared?.manifest !== manifest) {
      const width = inputWidth(manifest.features);
      prepared = { manifest, width, dims: [1, width], input: createInputSlab(width), hashed: needsHashing(manifest.features) };
    }
    return prepared;
  }

  /** Log a prediction as an inference record (a failed one with `output: { error }`). */
  function log(pipeline: LogPipeline, id: string, m: Manifest, executionProvider: string, latencyMs: number, record: RawRecord, output: InferenceRecord['output']): void {
    // `seq` (set by the pipeline) is in the literal so the record is born with every field: adding
    // one later would give each queued record a second object to hold it.
    pipeline.push({ id, seq: 0, model: o.model, modelVersion: m.version, executionProvider, latencyMs, createdAt: Math.round(o.clock.now()), input: loggedInput(record), output });
  }

  async function predictLocal(record: RawRecord, m: LocalModel<ModelSession>, pipeline: LogPipeline): Promise<Prediction> {
    const { manifest, session } = m;
    const p = prepare(manifest);
    if (p.hashed && !hashedEncoder) return loadHashedEncoder().then(() => predictLocal(record, m, pipeline));
    // Bad input is the app's, not the model's: it rejects before anything is run or logged.
    const input = encodeRecordWith(hashedEncoder, manifest.features, record, p.input());
    const label = manifest.features.label;
    const id = nextId();
    m.inFlight++;
    const started = perf.now();
    let output: Float32Array;
    let latencyMs: number;
    try {
      output = await session.run(input, p.dims);
      latencyMs = perf.now() - started;
      const width = outputWidth(label);
      if (output.length !== width) throw new OutpostError('INTERNAL', `model v${manifest.version} returned ${output.length} values, expected ${width}`);
    } catch (e) {
      // Counted by the hub's rollout guards as this version's error rate.
      log(pipeline, id, manifest, session.executionProvider, perf.now() - started, record, { error: errorText(e) });
      throw e;
    } finally {
      if (--m.inFlight === 0 && m.retired) void session.release().catch(() => undefined);
    }
    // Read after the run: a lost WebGPU device is answered by WASM, and the record says so.
    const { executionProvider } = session;
    predictions++;
    const modelVersion = manifest.version;
    if (label.task === 'regression') {
      const value = output[0]!;
      log(pipeline, id, manifest, executionProvider, latencyMs, record, { value });
      return { task: 'regression', value, id, modelVersion, executionProvider, latencyMs };
    }
    const classes = label.classes;
    const probabilities: Record<string, number> = {};
    const logged = new Array<number>(classes.length);
    let best = 0;
    for (let i = 0; i < classes.length; i++) {
      const v = output[i]!;
      probabilities[classes[i]!] = v;
      logged[i] = v;
      if (v > output[best]!) best = i;
    }
    const predicted = classes[best] ?? '';
    log(pipeline, id, manifest, executionProvider, latencyMs, record, { label: predicted, probabilities: logged });
    return { task: 'classification', label: predicted, probabilities, id, modelVersion, executionProvider, latencyMs };
  }

  async function predictOnHub(record: RawRecord, manifest: Manifest, loadedState: Loaded): Promise<Prediction> {
    const { pipeline, storage: s } = loadedState;
    if (prepare(manifest).hashed) await loadHashedEncoder();
    encodeRecordWith(hashedEncoder, manifest.features, record); // INVALID_INPUT here, as on the device
    const id = nextId();
    // The hub logs this prediction itself; it still takes this device's next sequence number.
    const seq = pipeline.nextSeq();
    const createdAt = Math.round(o.clock.now());
    // Not logged here, failed or not: the hub logs what it predicts (a request that never reached
    // it leaves a gap in this device's sequence numbers, as a lost record would).
    const prediction = await serverPredict(hub, manifest, { deviceId: s.deviceId, records: [{ id, seq, createdAt, input: loggedInput(record) }] });
    predictions++;
    return prediction;
  }

  /** The hot path: once loaded, no awaits before the model runs, and no async wrapper around predictLocal's promise. */
  function predict(record: RawRecord): Promise<Prediction> {
    const l = current;
    const m = l?.delivery.active();
    if (l && m && readyPromise !== undefined && !closed) return m.kind === 'local' ? predictLocal(record, m, l.pipeline) : predictOnHub(record, m.manifest, l);
    return predictAfterReady(record);
  }

  async function predictAfterReady(record: RawRecord): Promise<Prediction> {
    await ready();
    const l = await storage();
    const m = l.delivery.active();
    if (!m || closed) throw new OutpostError('MODEL_UNAVAILABLE', 'client is closed');
    return m.kind === 'local' ? predictLocal(record, m, l.pipeline) : predictOnHub(record, m.manifest, l);
  }

  return {
    ready,
    predict,

    async flush() {
      if (closed) return { sent: 0, pending: 0 };
      const [logs] = await Promise.all([(await storage()).pipeline.flush(), sendFeedback()]);
      return logs;
    },

    feedback(predictionId, label) {
      if (typeof predictionId !== 'string' || predictionId.length < 8 || predictionId.length > 64) throw new TypeError(`feedback: predictionId must be a prediction's id (a string of 8 to 64 characters), got ${JSON.stringify(predictionId)}`);
      const item = typeof label === 'string' && label.length > 0 && label.length <= 200 ? { predictionId, label } : typeof label === 'number' && Number.isFinite(label) ? { predictionId, value: label } : undefined;
      if (!item) throw new TypeError(`feedback: label must be a class name (1 to 200 characters) or a finite number, got ${JSON.stringify(label)}`);
      if (closed) return Promise.resolve();
      // Queued here, before the sender's chunk is fetched: a label given offline, before that chunk
      // ever loaded, must still reach the database (the chunk trims the queue to its bound).
      return storage()
        .then((l) => l.storage.meta.update('pendingFeedback', (old) => [...(old ?? []), item]))
        .then(() => void feedbackQueue().then((f) => f.flush(), () => undefined))
        .catch(() => undefined);
    },

    stats() {
      const m = current?.delivery.active();
      const d = current?.delivery.stats();
      const cache = current?.cacheInfo();
      return {
        predictions,
        pending: 0,
        synced: 0,
        dropped: {},
        queueBytes: 0,
        quarantined: 0,
        ...(current ? { ...current.pipeline.stats(), storage: current.storage.kind } : {}),
        ...(feedbackStats ? { feedback: feedbackStats() } : {}),
        ...(m
          ? {
              modelVersion: m.manifest.version,
              executionProvider: m.kind === 'server' ? SERVER_PROVIDER : m.session.executionProvider,
              ...(m.kind === 'local' ? { modelSource: m.source, ...(m.session.providerReason === undefined ? {} : { providerReason: m.session.providerReason }) } : {}),
            }
          : {}),
        ...(d && d.failures.length > 0 ? { modelFallbackReason: d.failures.join('; ') } : {}),
        ...(d?.assignment ? { assignment: d.assignment } : {}),
        download: d?.download ?? { state: 'idle' },
        ...(d?.lastManifestCheck ? { lastManifestCheck: d.lastManifestCheck } : {}),
        ...(cache ? { modelCache: cache.kind, ...(cache.reason === undefined ? {} : { modelCacheReason: cache.reason }) } : {}),
        ...(cache?.persisted === undefined ? {} : { storagePersisted: cache.persisted }),
        modelRefusals: d?.modelRefusals ?? {},
      };
    },

    on: (event, listener) => events.on(event, listener),

    close() {
      closePromise ??= (async () => {
        closed = true;
        startSettled();
        if (pollTimer !== undefined) o.clock.clearTimeout(pollTimer);
        o.lifecycleEvents?.removeEventListener('online', onOnline);
        if (loaded) {
          const { storage: s, pipeline, delivery } = await loaded;
          await pipeline.close();
          delivery.close();
          s.db?.close();
        }
      })();
      return closePromise;
    },
  };
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500) || 'prediction failed';

/** A ModelSource made on first use (its code is a chunk of its own). */
function lazySource(make: () => Promise<ModelSource>): ModelSource {
  const source = lazyOnce(make);
  return {
    fetchManifest: async (model, request) => (await source()).fetchManifest(model, request),
    fetchArtifact: async (manifest) => (await source()).fetchArtifact(manifest),
  };
}
