import type { Env } from 'onnxruntime-web/wasm';
import { inputWidthOf } from './self-test.ts';

type Ort = typeof import('onnxruntime-web/wasm');
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

type GpuDevice = { lost: Promise<{ reason?: string; message?: string }>; destroy(): void };

/**
 * onnxruntime-web's default (JSEP) build is one module per page, with one WebGPU device for all its
 * sessions and one run at a time across all of them, WASM ones included (a second throws "Session
 * already started"). A run in flight when the device is lost may never settle and then blocks every
 * later run of the module. So this state is page-wide, like the module: one run queue, one device,
 * and once the device is lost the WebGPU build is not used again on this page.
 */
let onLost: (reason: string) => void = () => undefined;
const webgpuBuild: { tail?: Promise<unknown>; device?: Promise<GpuDevice>; lost?: string; deviceLost: Promise<string> } = {
  deviceLost: new Promise<string>((resolve) => (onLost = resolve)),
};

/** Run `task` after the build's earlier runs settled (or at once when idle): the cheapest queue, no hop when idle. */
function queued<T>(task: () => Promise<T>): Promise<T> {
  const result = webgpuBuild.tail ? webgpuBuild.tail.then(task) : task();
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  webgpuBuild.tail = settled;
  void settled.then(() => {
    if (webgpuBuild.tail === settled) webgpuBuild.tail = undefined;
  });
  return result;
}

const lostError = webgpuBuild.deviceLost.then((why) => Promise.reject(new WebGpuDeviceLostError(`webgpu device lost: ${why}`)));
lostError.catch(() => undefined);

/**
 * The real backend. Two onnxruntime-web builds, each loaded with `import()` on first need: the WASM
 * build (`onnxruntime-web/wasm`: 14 MB wasm, 75 KB JS) unless WebGPU is tried, then the default
 * build (`onnxruntime-web`: WebGPU via JSEP + WASM, 28 MB wasm, 408 KB JS), which then serves the
 * WASM sessions too (one wasm download, not two) until its device is lost. The default build, not
 * `onnxruntime-web/webgpu`: after a lost device the latter crashed the page in Chromium 156.
 */
export function createOrtBackend(options: OrtBackendOptions = {}): OrtBackend {
  let wasmBuild: Promise<Ort> | undefined;
  let fullBuild: Promise<Ort> | undefined;

  function load(importer: () => Promise<Ort>, forget: () => void): Promise<Ort> {
    return importer().then(
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
  }
  const full = () => (fullBuild ??= load(() => import('onnxruntime-web') as Promise<Ort>, () => (fullBuild = undefined)));
  const wasmOnly = () => (wasmBuild ??= load(() => import('onnxruntime-web/wasm'), () => (wasmBuild = undefined)));

  return {
    async probeWebGpu() {
      if (webgpuBuild.lost !== undefined) return `webgpu device lost earlier on this page: ${webgpuBuild.lost}`;
      const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
      if (!gpu) return 'no navigator.gpu';
      try {
        return (await gpu.requestAdapter()) ? undefined : 'no adapter';
      } catch (e) {
        return `requestAdapter failed: ${messageOf(e)}`;
      }
    },

    async open(bytes, io, provider) {
      const fragile = provider === 'webgpu' || (fullBuild !== undefined && webgpuBuild.lost === undefined);
      const ort = await (fragile ? full() : wasmOnly());
      const create = () => ort.InferenceSession.create(bytes, { executionProviders: [provider] });
      const session = await (fragile ? queued(create) : create());
      if (provider === 'webgpu' && !webgpuBuild.device) {
        // Only after the first WebGPU session: before it, reading env.webgpu.device makes a device.
        // Typed as a Promise; 1.30's JSEP build hands the GPUDevice itself once it has one.
        webgpuBuild.device = Promise.resolve(ort.env.webgpu.device as unknown as GpuDevice);
        void webgpuBuild.device.then(
          (d) => d.lost.then((info) => onLost((webgpuBuild.lost = info.message || info.reason || 'unknown reason'))),
          () => undefined,
        );
      }
      const meta = session.inputMetadata.find((m) => m.name === io.inputName);
      const inputWidth = meta?.isTensor ? inputWidthOf(meta.shape) : undefined;
      const run = (input: Float32Array, dims: readonly number[]) =>
        session.run({ [io.inputName]: new ort.Tensor('float32', input, dims) }).then((outputs) => {
          const output = outputs[io.outputName];
          if (!output) throw new Error(`model has no output named ${io.outputName}`);
          return output.data as Float32Array;
        });
      // The WASM build runs each call synchronously inside onnxruntime: nothing to queue.
      if (!fragile) return { inputWidth, fragile, run, release: () => session.release() };
      return {
        inputWidth,
        fragile,
        // Raced against the loss: after it, a queued or running call would never settle.
        run: (input, dims) => Promise.race([queued(() => run(input, dims)), lostError]),
        release: () => Promise.race([session.release(), webgpuBuild.deviceLost.then(() => undefined)]),
      };
    },

    deviceLost: webgpuBuild.deviceLost,

    async loseDevice() {
      if (!webgpuBuild.device) return false;
      (await webgpuBuild.device).destroy();
      return true;
    },
  };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
