import type { Env } from 'onnxruntime-web/wasm';
import { createOrtBackend } from './backend.ts';
import { chooseProvider, type ProviderMode } from './choose.ts';
import { lazyRuntime } from './lazy-runtime.ts';
import { recall } from './provider-memory.ts';
import { registerDeviceLoss } from './test-hooks.ts';
import type { Runtime } from './types.ts';

/** @example createOnnxRuntime({ executionProviders: 'auto', worker: true, wasmPaths: 'https://cdn.example.com/ort/1.30.0/' }) */
export interface OnnxRuntimeOptions {
  /**
   * `'auto'`: WebGPU when `navigator.gpu` gives an adapter and a first-run self-test matches WASM,
   * else WASM; the choice is remembered per device and model. `'wasm'`: never WebGPU (only the
   * smaller WASM build is loaded). `'webgpu'`: WebGPU without the self-test, still falling back to
   * WASM when it is unavailable or fails. Default: `'auto'`.
   */
  executionProviders?: ProviderMode;
  /**
   * Run inference in a Web Worker, off the main thread: `true` (the SDK's own worker script, which
   * Vite bundles) or `{ url }` of your build of `@outpost/edge-sdk/worker`. Ignored where there is
   * no `Worker` (the main thread runs the model). Default: false.
   */
  worker?: boolean | { url: string | URL };
  /**
   * Where onnxruntime-web fetches its .wasm/.mjs files: a URL prefix or file map
   * (`ort.env.wasm.wasmPaths`). Default: onnxruntime-web's own choice (next to its script; bundlers
   * such as Vite emit the files there when onnxruntime-web is excluded from dependency pre-bundling).
   */
  wasmPaths?: Env.WasmPrefixOrFilePaths;
  /** WASM threads (`ort.env.wasm.numThreads`). Default: onnxruntime-web's choice (1 unless crossOriginIsolated). */
  numThreads?: number;
}

const MODES: readonly ProviderMode[] = ['auto', 'wasm', 'webgpu'];

/**
 * The onnxruntime-web runtime. onnxruntime-web is loaded with `import()` on the first session, never
 * when the SDK is imported: its WASM build (75 KB JS + 14 MB wasm), or its default build with WebGPU
 * (408 KB JS + 28 MB wasm) only when a WebGPU adapter exists.
 *
 * Note: `ort.env` is global to the onnxruntime-web module and is read once, when its wasm starts;
 * the options here are applied before the first session and cannot differ between runtimes on one
 * page (a worker runtime has its own onnxruntime-web).
 * @example const runtime = createOnnxRuntime({ executionProviders: 'auto', worker: true });
 */
export function createOnnxRuntime(options: OnnxRuntimeOptions = {}): Runtime {
  const mode = options.executionProviders ?? 'auto';
  if (!MODES.includes(mode)) throw new TypeError(`executionProviders must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  const ortOptions = {
    ...(options.wasmPaths === undefined ? {} : { wasmPaths: options.wasmPaths }),
    ...(options.numThreads === undefined ? {} : { numThreads: options.numThreads }),
  };
  const worker = options.worker;
  // Where there are no Web Workers (Node, old WebViews) the main thread runs the model.
  if (worker && typeof Worker !== 'undefined') {
    const makeWorker = () =>
      typeof worker === 'object'
        ? new Worker(worker.url, { type: 'module' })
        : new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    // The worker client is a chunk of its own (import()): apps without `worker` never download it.
    return lazyRuntime(() => import('./worker-client.ts').then((m) => m.createWorkerRuntime({ mode, ...ortOptions }, makeWorker)));
  }

  const backend = createOrtBackend(ortOptions);
  const runtime: Runtime = {
    async createSession(bytes, io, sessionOptions = {}) {
      const { remembered, remember } = await recall(mode, bytes, sessionOptions);
      const chosen = await chooseProvider({ backend, bytes, io, mode, remembered });
      if (chosen.remember) remember(chosen.remember);
      const { raw, provider, reason } = chosen;
      // Only a session in onnxruntime-web's WebGPU build can need to fall back (its device can be
      // lost): that logic is a chunk of its own (import()). A WASM-build session runs as it is.
      if (!raw.fragile) return { executionProvider: provider, providerReason: reason, run: (input, dims) => raw.run(input, dims), release: () => raw.release() };
      const { createProviderSession } = await import('./provider-session.ts');
      return createProviderSession({ backend, bytes, io, raw, provider, reason, onFallback: remember });
    },
  };
  return registerDeviceLoss(runtime, () => backend.loseDevice());
}
