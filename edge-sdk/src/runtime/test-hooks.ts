import type { Runtime } from './types.ts';

// Hooks that only edge-sdk/testing reaches: a runtime registers how to simulate its failures.
const deviceLoss = new WeakMap<Runtime, () => Promise<boolean>>();

export function registerDeviceLoss(runtime: Runtime, lose: () => Promise<boolean>): Runtime {
  deviceLoss.set(runtime, lose);
  return runtime;
}

/**
 * Destroy the WebGPU device that `runtime`'s sessions run on (`GPUDevice.destroy()`, in its worker
 * when it has one), as a driver reset or a GPU process crash would. Resolves false when the runtime
 * has no WebGPU device (it never opened a WebGPU session, or is not onnxruntime's).
 * @example
 * const runtime = createOnnxRuntime();
 * const outpost = createOutpost({ ...options, runtime });
 * await outpost.ready();
 * await loseWebGpuDevice(runtime); // the next predict() answers on WASM
 */
export function loseWebGpuDevice(runtime: Runtime): Promise<boolean> {
  return deviceLoss.get(runtime)?.() ?? Promise.resolve(false);
}
