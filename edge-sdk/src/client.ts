import { OutpostError, encodeRecord, outputWidth, type RawRecord } from '@outpost/shared';
import { createModelCache } from './model-cache/cache.ts';
import { createModelSource } from './model-cache/download.ts';
import { resolveModel, type ModelOrigin, type ResolvedModel } from './model-cache/resolve.ts';
import { resolveOptions, type OutpostOptions } from './options.ts';
import { randomId } from './random-id.ts';
import type { ModelSession } from './runtime/types.ts';
import { openClientStorage, type ClientStorage } from './storage/open-storage.ts';
import { createLogPipeline, type LogPipeline } from './sync/log-pipeline.ts';
import { createFetchTransport } from './sync/transport.ts';

/**
 * What `ready()` resolves to: the model that will answer `predict()`.
 * @example const { modelVersion, executionProvider } = await outpost.ready();
 */
export interface ReadyInfo {
  modelVersion: number;
  executionProvider: string;
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
  /** Time the model took to run, in ms (performance.now; excludes encoding and logging). */
  latencyMs: number;
}

/**
 * A snapshot of what the client did and what it could not do; cheap, synchronous.
 * @example const { pending, dropped, lastSyncError } = outpost.stats();
 */
export interface OutpostStats {
  /** Predictions made by this client. */
  predictions: number;
  /** Records not yet accepted by the hub: in memory plus buffered. */
  pending: number;
  /** Records the hub accepted (2xx) through this client. */
  synced: number;
  /** Records given up on, by reason (`too_large`, `rejected_<status>`). */
  dropped: Record<string, number>;
  lastSyncError?: string;
  modelVersion?: number;
  executionProvider?: string;
  /** Where the running model's bytes came from. */
  modelSource?: ModelOrigin;
  /** Why the hub's current model is not the one running (or other trouble on the way), when there was any. */
  modelFallbackReason?: string;
  /** Where records and models are kept; 'memory' means nothing survives a reload. */
  storage?: 'indexeddb' | 'memory';
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
  /** Persist pending records and upload everything buffered now. Never rejects: see `stats()` for failures. */
  flush(): Promise<{ sent: number; pending: number }>;
  stats(): OutpostStats;
  /** Stop timers and listeners, persist pending records, release the model and close the database. */
  close(): Promise<void>;
}

interface Loaded {
  storage: ClientStorage;
  pipeline: LogPipeline;
}

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
  let predictions = 0;
  let closed = false;
  let model: ResolvedModel<ModelSession> | undefined;
  let readyPromise: Promise<ReadyInfo> | undefined;
  let closePromise: Promise<void> | undefined;

  // Storage never rejects (it falls back to memory), so this is opened once per client.
  let loaded: Promise<Loaded> | undefined;
  let current: Loaded | undefined;
  const storage = (): Promise<Loaded> =>
    (loaded ??= openClientStorage({ hubUrl: o.hubUrl, projectKey: o.projectKey, logBuffer: o.logBuffer }).then((s) => {
      current = {
        storage: s,
        pipeline: createLogPipeline({
          storage: s,
          transport: createFetchTransport(hub, () => o.clock.now()),
          batchSize: o.batchSize,
          flushIntervalMs: o.flushIntervalMs,
          clock: o.clock,
          lifecycleEvents: o.lifecycleEvents,
        }),
      };
      return current;
    }));

  async function load(): Promise<ReadyInfo> {
    const { storage: s } = await storage();
    const resolved = await resolveModel({
      model: o.model,
      cache: createModelCache(s.models, o.trustedKeys, () => o.clock.now()),
      source: createModelSource(hub, o.trustedKeys),
      open: (m) => o.runtime.createSession(m.bytes, { inputName: m.manifest.input.name, outputName: m.manifest.output.name }),
    });
    if (closed) {
      await resolved.session.release().catch(() => undefined);
      throw new OutpostError('MODEL_UNAVAILABLE', 'client is closed');
    }
    model = resolved;
    return { modelVersion: resolved.manifest.version, executionProvider: resolved.session.executionProvider };
  }

  function ready(): Promise<ReadyInfo> {
    if (closed) return Promise.reject(new OutpostError('MODEL_UNAVAILABLE', 'client is closed'));
    // Same promise while loading or loaded; forgotten on failure so a later call retries.
    readyPromise ??= load().catch((e: unknown) => {
      readyPromise = undefined;
      throw e;
    });
    return readyPromise;
  }

  return {
    ready,

    async predict(record) {
      await ready();
      const { pipeline } = await storage();
      const m = model;
      if (!m) throw new OutpostError('MODEL_UNAVAILABLE', 'client is closed');
      const input = encodeRecord(m.manifest.features, record);
      const started = performance.now();
      const output = await m.session.run(input, [1, input.length]);
      const latencyMs = performance.now() - started;

      const label = m.manifest.features.label;
      const width = outputWidth(label);
      if (output.length !== width) {
        throw new OutpostError('INTERNAL', `model v${m.manifest.version} returned ${output.length} values, expected ${width}`);
      }
      const id = randomId();
      const modelVersion = m.manifest.version;
      const { executionProvider } = m.session;
      const base = { id, modelVersion, executionProvider, latencyMs };
      const logged = { ...base, model: o.model, createdAt: Math.round(o.clock.now()), input: loggedInput(record) };
      predictions++;
      if (label.task === 'regression') {
        const value = output[0]!;
        pipeline.push({ ...logged, output: { value } });
        return { task: 'regression', value, ...base };
      }
      const probabilities: Record<string, number> = {};
      let best = 0;
      label.classes.forEach((c, i) => {
        probabilities[c] = output[i] ?? 0;
        if ((output[i] ?? 0) > (output[best] ?? 0)) best = i;
      });
      const predicted = label.classes[best] ?? '';
      pipeline.push({ ...logged, output: { label: predicted, probabilities: Array.from(output) } });
      return { task: 'classification', label: predicted, probabilities, ...base };
    },

    async flush() {
      if (closed) return { sent: 0, pending: 0 };
      return (await storage()).pipeline.flush();
    },

    stats() {
      return {
        predictions,
        pending: 0,
        synced: 0,
        dropped: {},
        ...(current ? { ...current.pipeline.stats(), storage: current.storage.kind } : {}),
        ...(model
          ? {
              modelVersion: model.manifest.version,
              executionProvider: model.session.executionProvider,
              modelSource: model.source,
              ...(model.failures.length > 0 ? { modelFallbackReason: model.failures.join('; ') } : {}),
            }
          : {}),
      };
    },

    close() {
      closePromise ??= (async () => {
        closed = true;
        if (loaded) {
          const { storage: s, pipeline } = await loaded;
          await pipeline.close();
          await model?.session.release().catch(() => undefined);
          model = undefined;
          s.db?.close();
        }
      })();
      return closePromise;
    },
  };
}

/** The record as logged: a copy (the app may reuse its object) without undefined fields. */
function loggedInput(record: RawRecord): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
