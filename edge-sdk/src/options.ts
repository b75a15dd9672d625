import { INGEST_LIMITS, type TrustedKey } from '@outpost/shared';
import { systemClock, type Clock } from './clock.ts';
import type { FetchLike } from './http.ts';
import type { LogBuffer } from './log-buffer/types.ts';
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
  /** Most records per upload (also per IndexedDB write), capped at the hub's 500. Default: 100. */
  batchSize?: number;
  /** Turns model bytes into a session. Default: onnxruntime-web, WASM execution provider. */
  runtime?: Runtime;
  /** Where onnxruntime-web loads its wasm files from (`ort.env.wasm.wasmPaths`); only used by the default runtime. Default: unset. */
  wasmPaths?: OnnxRuntimeOptions['wasmPaths'];
  /** Where inference records wait for upload. Default: IndexedDB, or memory where IndexedDB cannot be opened. */
  logBuffer?: LogBuffer;
  /** Wall clock and timers. Default: `Date.now` and the global `setTimeout`. */
  clock?: Clock;
  /** Where `online`, `pagehide` and `visibilitychange` are heard. Default: the global scope (`window`) when it is an event target. */
  lifecycleEvents?: EventTarget;
}

export interface ResolvedOptions {
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
    clock: options.clock ?? systemClock,
    lifecycleEvents: options.lifecycleEvents ?? (typeof global.addEventListener === 'function' ? (globalThis as unknown as EventTarget) : undefined),
  };
}
