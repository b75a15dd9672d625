import type { Env } from 'onnxruntime-web/wasm';
import { inputWidthOf } from './self-test.ts';

export type Ort = typeof import('onnxruntime-web/wasm');
export type Provider = 'wasm' | 'webgpu';
export type SessionIo = { inputName: string; outputName: string };

/** One onnxruntime-web session on one execution provider, without fallback. */
export interface RawSession {
  /** The input's column count from the model's metadata, when the model states it. */
  readonly inputWidth: number | undefined;
  /** True when it lives in the WebGPU build: it stops answering (WebGpuDeviceLostError) if the device is lost, whatever its provider. */
  readonly fragile: boolean;
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/** What the provider logic needs from onnxruntime-web and the browser; unit tests pass a fake. */
export interface OrtBackend {
  /** Why WebGPU cannot be used ('no navigator.gpu', 'no adapter', …), or undefined when an adapter exists. */
  probeWebGpu(): Promise<string | undefined>;
  open(bytes: Uint8Array, io: SessionIo, provider: Provider): Promise<RawSession>;
  /** Resolves, with what the browser said, once the WebGPU device the sessions run on is lost. */
  readonly deviceLost: Promise<string>;
  /** For tests: destroy the WebGPU device (`GPUDevice.destroy()`). False when no WebGPU session was opened. */
  loseDevice(): Promise<boolean>;
}

export interface OrtBackendOptions {
  wasmPaths?: Env.WasmPrefixOrFilePaths;
  numThreads?: number;
}

/** A run that ended because the WebGPU device is gone (it would otherwise never settle). */
export class WebGpuDeviceLostError extends Error {}

/** onnxruntime-web's script could not be fetched (offline, say): a passing problem, never remembered. */
export class OrtLoadError extends Error {}

/**
 * Page-wide, like onnxruntime-web's module: whether its WebGPU device was lost (then the WebGPU
 * build is not used again on this page) and a promise that resolves with why. Set by the WebGPU
 * part (backend-webgpu.ts), read here so a backend that never loaded that part still knows.
 */
let onLost: (reason: string) => void = () => undefined;
export const page: { lost?: string; readonly deviceLost: Promise<string>; lose(reason: string): void } = {
  deviceLost: new Promise<string>((resolve) => (onLost = resolve)),
  lose: (reason) => onLost((page.lost = reason)),
};

/** The WebGPU build's part of a backend, loaded with `import()` the first time WebGPU is asked for. */
export interface WebGpuPart {
  /** Whether this backend's WebGPU build was loaded (then it serves WASM sessions too). */
  readonly hasBuild: () => boolean;
  open(bytes: Uint8Array, io: SessionIo, provider: Provider): Promise<RawSession>;
}

/** backend-webgpu.ts once any backend on the page loaded it: its device is page-wide too. */
let webgpuModule: typeof import('./backend-webgpu.ts') | undefined;

/**
 * onnxruntime-web's WASM build, imported once per page: `import()` of a module already loaded still
 * resolves a task later (behind whatever the page queued meanwhile), so a second client's first
 * session would wait on it. Forgotten when the import failed (offline), to be tried again.
 */
let wasmImport: Promise<Ort> | undefined;
const importWasmBuild = () => (wasmImport ??= import('onnxruntime-web/wasm'));

/** Apply the backend's options to a freshly loaded onnxruntime-web build; a failed load is an OrtLoadError. */
export type BuildLoader = (importer: () => Promise<Ort>, forget: () => void) => Promise<Ort>;

/**
 * The real backend. Two onnxruntime-web builds, each loaded with `import()` on first need: the WASM
 * build (`onnxruntime-web/wasm`: 14 MB wasm, 75 KB JS) unless WebGPU is tried, then the default
 * build (`onnxruntime-web`: WebGPU via JSEP + WASM, 28 MB wasm, 408 KB JS), which then serves the
 * WASM sessions too (one wasm download, not two) until its device is lost. The default build, not
 * `onnxruntime-web/webgpu`: after a lost device the latter crashed the page in Chromium 156.
 * Everything about the default build (its run queue, its device) is in backend-webgpu.ts, a chunk
 * that only devices trying WebGPU load.
 */
export function createOrtBackend(options: OrtBackendOptions = {}): OrtBackend {
  let wasmBuild: Promise<Ort> | undefined;
  let gpuPart: Promise<WebGpuPart> | undefined;
  let gpu: WebGpuPart | undefined;

  const load: BuildLoader = (importer, forget) =>
    importer().then(
      (ort) => {
        // ort.env is global to the module: read once, when its wasm starts (docs/sdk.md).
        if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
        if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
        return ort;
      },
      (e: unknown) => {
        forget(); // a failed chunk load (offline) may succeed later
        throw new OrtLoadError(`onnxruntime-web could not be loaded: ${messageOf(e)}`, { cause: e });
      },
    );
  const wasmOnly = () => (wasmBuild ??= load(importWasmBuild, () => (wasmBuild = wasmImport = undefined)));
  const webgpu = () =>
    (gpuPart ??= import('./backend-webgpu.ts').then(
      (m) => (gpu = (webgpuModule = m).createWebGpuPart(load)),
      (e: unknown) => {
        gpuPart = undefined; // a failed chunk load (offline) may succeed later
        throw new OrtLoadError(`the SDK's WebGPU backend could not be loaded: ${messageOf(e)}`, { cause: e });
      },
    ));

  return {
    async probeWebGpu() {
      if (page.lost !== undefined) return `webgpu device lost earlier on this page: ${page.lost}`;
      const gpuApi = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
      if (!gpuApi) return 'no navigator.gpu';
      try {
        return (await gpuApi.requestAdapter()) ? undefined : 'no adapter';
      } catch (e) {
        return `requestAdapter failed: ${messageOf(e)}`;
      }
    },

    async open(bytes, io, provider) {
      // The default build serves WASM sessions too once this backend asked for it (from then on, even
      // while it still loads) until the device is lost or the build failed to load.
      if (provider === 'webgpu' || (gpuPart !== undefined && (gpu?.hasBuild() ?? true) && page.lost === undefined)) return (await webgpu()).open(bytes, io, provider);
      const ort = await wasmOnly();
      // The WASM build runs each call synchronously inside onnxruntime: nothing to queue.
      return { ...openedSession(ort, await ort.InferenceSession.create(bytes, { executionProviders: [provider] }), io), fragile: false };
    },

    deviceLost: page.deviceLost,

    loseDevice: async () => (webgpuModule ? webgpuModule.loseDevice() : false),
  };
}

/** A session's input width and a run that takes and gives Float32Arrays (either build). */
export function openedSession(ort: Ort, session: import('onnxruntime-web/wasm').InferenceSession, io: SessionIo): Omit<RawSession, 'fragile'> {
  const meta = session.inputMetadata.find((m) => m.name === io.inputName);
  return {
    inputWidth: meta?.isTensor ? inputWidthOf(meta.shape) : undefined,
    run: (input, dims) =>
      session.run({ [io.inputName]: new ort.Tensor('float32', input, dims) }).then((outputs) => {
        const output = outputs[io.outputName];
        if (!output) throw new Error(`model has no output named ${io.outputName}`);
        return output.data as Float32Array;
      }),
    release: () => session.release(),
  };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
