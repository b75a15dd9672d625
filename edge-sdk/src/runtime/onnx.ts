import type { Env } from 'onnxruntime-web/wasm';
import type { ModelSession, Runtime } from './types.ts';

type Ort = typeof import('onnxruntime-web/wasm');

/** @example createOnnxRuntime({ wasmPaths: 'https://cdn.example.com/ort/1.30.0/', numThreads: 1 }) */
export interface OnnxRuntimeOptions {
  /**
   * Where onnxruntime-web fetches its .wasm/.mjs files: a URL prefix or file map
   * (`ort.env.wasm.wasmPaths`). Default: onnxruntime-web's own choice (next to its script; bundlers
   * such as Vite emit the files there when onnxruntime-web is excluded from dependency pre-bundling).
   */
  wasmPaths?: Env.WasmPrefixOrFilePaths;
  /** WASM threads (`ort.env.wasm.numThreads`). Default: onnxruntime-web's choice (1 unless crossOriginIsolated). */
  numThreads?: number;
}

/**
 * The onnxruntime-web runtime, WASM execution provider. The 75 KB JS + 14 MB wasm are loaded with
 * `import()` on the first session, not when the SDK is imported.
 *
 * Note: `ort.env` is global to the onnxruntime-web module and is read once, when its wasm starts;
 * the options here are applied before the first session and cannot differ between runtimes.
 * @example const runtime = createOnnxRuntime({ wasmPaths: '/ort/' });
 */
export function createOnnxRuntime(options: OnnxRuntimeOptions = {}): Runtime {
  let loading: Promise<Ort> | undefined;

  function load(): Promise<Ort> {
    loading ??= import('onnxruntime-web/wasm').then(
      (ort) => {
        if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
        if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
        return ort;
      },
      (e: unknown) => {
        loading = undefined; // a failed chunk load (offline) may succeed later
        throw e;
      },
    );
    return loading;
  }

  return {
    async createSession(bytes, io) {
      const ort = await load();
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
      // One run at a time per session: onnxruntime-web does not promise re-entrant runs.
      let queue: Promise<unknown> = Promise.resolve();
      const model: ModelSession = {
        executionProvider: 'wasm',
        run(input, dims) {
          const result = queue.then(async () => {
            const feeds = { [io.inputName]: new ort.Tensor('float32', input, dims) };
            const outputs = await session.run(feeds);
            const output = outputs[io.outputName];
            if (!output) throw new Error(`model has no output named ${io.outputName}`);
            return output.data as Float32Array;
          });
          queue = result.catch(() => undefined);
          return result;
        },
        release: () => session.release(),
      };
      return model;
    },
  };
}
