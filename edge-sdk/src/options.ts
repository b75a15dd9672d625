import { INGEST_LIMITS, OutpostError, checkAppContext, type TrustedKey } from '@outpost/shared';
import { systemClock, type Clock } from './clock.ts';
import type { FetchLike } from './http.ts';
import type { AppContext } from './model-cache/device-context.ts';
import type { LogBuffer } from './log-buffer/types.ts';
import { resolveLogQueueOptions, type ResolvedLogQueueOptions } from './sync/queue-options.ts';
import type { LoggingOptions } from './sync/record-policy.ts';
import { createOnnxRuntime, type OnnxRuntimeOptions } from './runtime/onnx.ts';
import type { Runtime } from './runtime/types.ts';

/**
 * Options of `createOutpost`. Only the first four are required.
 * @example const options: OutpostOptions = { hubUrl: 'https://hub.example.com', projectKey: 'pk_…', model: 'penguins', trustedKeys: [HUB_KEY], wasmPaths: '/ort/' };
 */
export interface OutpostOptions {
  /** Base URL of the hub, e.g. `'https://hub.example.com'`. */
  hubUrl: string;
  /** The project's device key, sent as `Authorization: Bearer <projectKey>`. */
  projectKey: string;
  /** The model name to fetch, verify and run. */
  model: string;
  /** Hub public keys the app was built with; a manifest signed by any other key is refused. */
  trustedKeys: readonly TrustedKey[];
  /** The fetch used for every request. Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Longest time a logged prediction waits before an upload is attempted, in ms. Default: 5000. */
  flushIntervalMs?: number;
  /** Most records per upload, capped at the hub's 500. Default: 100. (IndexedDB writes take up to 1,000 records each, in chunks of 100.) */
  batchSize?: number;
  /** Turns model bytes into a session. Default: onnxruntime-web, WASM execution provider. */
  runtime?: Runtime;
  /** Where onnxruntime-web loads its wasm files from (`ort.env.wasm.wasmPaths`); only used by the default runtime. Default: unset. */
  wasmPaths?: OnnxRuntimeOptions['wasmPaths'];
  /** Where inference records wait for upload. Default: IndexedDB, or memory where IndexedDB cannot be opened. */
  logBuffer?: LogBuffer;
  /** Most UTF-8 JSON bytes of records queued on the device; past it the oldest are dropped (`dropped.queue_full`). Default: 5 MiB. */
  maxQueueBytes?: number;
  /** Records older than this (by `createdAt`, device clock) are dropped unsent (`dropped.expired`), in ms. Default: 7 days. */
  maxRecordAgeMs?: number;
  /** Sampling and field redaction of logged predictions. Default: every prediction, every field as given. */
  logging?: LoggingOptions;
  /** Wall clock and timers. Default: `Date.now` and the global `setTimeout`. */
  clock?: Clock;
  /** Where `online`, `pagehide` and `visibilitychange` are heard. Default: the global scope (`window`) when it is an event target. */
  lifecycleEvents?: EventTarget;
  /**
   * What the app says about the device, for the hub's rollout targeting rules: `platform`,
   * `appVersion` (semver), `locale` (BCP 47) and up to 16 `attributes`. The SDK adds its install id
   * and whether a WebGPU adapter exists. Default: none.
   */
  context?: AppContext;
  /** How often the manifest is asked for again (with its ETag), in ms; 0 = only at start and on `online`. Default: 900000 (15 min). */
  pollIntervalMs?: number;
  /** When no model can be opened on this device but the hub answers, `predict()` asks the hub to predict. Default: true. */
  serverFallback?: boolean;
  /**
   * Where the first model comes from. `'cache-first'`: the version this device ran last, from its
   * cache, verified again, as soon as it opens; the hub is asked in the background and a newer
   * version replaces it once downloaded, verified and loaded (a `model` event). `'network-first'`:
   * the hub is asked before the first prediction (the cache is used when it does not answer or its
   * choice cannot be loaded). A device with nothing cached always asks the hub. Default: `'cache-first'`.
   */
  startup?: 'cache-first' | 'network-first';
}

export interface ResolvedOptions extends ResolvedLogQueueOptions {
  hubUrl: string;
  projectKey: string;
  model: string;
  trustedKeys: readonly TrustedKey[];
  fetch: FetchLike;
  flushIntervalMs: number;
  batchSize: number;
  runtime: Runtime;
  logBuffer: LogBuffer | undefined;
  clock: Clock;
  lifecycleEvents: EventTarget | undefined;
  context: AppContext | undefined;
  pollIntervalMs: number;
  serverFallback: boolean;
  startup: 'cache-first' | 'network-first';
}

/** Every default, resolved once. */
export function resolveOptions(options: OutpostOptions): ResolvedOptions {
  const global = globalThis as Partial<EventTarget>;
  return {
    hubUrl: options.hubUrl.replace(/\/+$/, ''),
    projectKey: options.projectKey,
    model: options.model,
    trustedKeys: options.trustedKeys,
    // Called through a wrapper: browsers throw "Illegal invocation" for a detached fetch.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    flushIntervalMs: options.flushIntervalMs ?? 5_000,
    batchSize: Math.max(1, Math.min(options.batchSize ?? 100, INGEST_LIMITS.maxRecordsPerBatch)),
    runtime: options.runtime ?? createOnnxRuntime(options.wasmPaths === undefined ? {} : { wasmPaths: options.wasmPaths }),
    logBuffer: options.logBuffer,
    ...resolveLogQueueOptions(options),
    clock: options.clock ?? systemClock,
    lifecycleEvents: options.lifecycleEvents ?? (typeof global.addEventListener === 'function' ? (globalThis as unknown as EventTarget) : undefined),
    context: checkContext(options.context),
    pollIntervalMs: Math.max(0, options.pollIntervalMs ?? 15 * 60_000),
    serverFallback: options.serverFallback ?? true,
    startup: checkStartup(options.startup),
  };
}

function checkStartup(startup: OutpostOptions['startup']): ResolvedOptions['startup'] {
  if (startup === undefined || startup === 'cache-first' || startup === 'network-first') return startup ?? 'cache-first';
  throw new OutpostError('INVALID_INPUT', `options.startup must be 'cache-first' or 'network-first', got ${JSON.stringify(startup)}`);
}

/** The app's device context, checked now: the hub would refuse every manifest request with a bad one. */
function checkContext(context: AppContext | undefined): AppContext | undefined {
  if (context === undefined) return undefined;
  const checked = checkAppContext(context);
  // A copy, as zod's parse made: the app changing its object later does not change the requests.
  if (checked.ok) return { ...context, ...(context.attributes ? { attributes: { ...context.attributes } } : {}) };
  throw new OutpostError('INVALID_INPUT', `options.context: ${checked.error}`, { issues: [checked.issue] });
}
