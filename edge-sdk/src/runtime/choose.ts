import { OrtLoadError, WebGpuDeviceLostError, messageOf, type OrtBackend, type Provider, type RawSession, type SessionIo } from './backend.ts';
import { compareOutputs, selfTestInputs } from './self-test.ts';
import type { ProviderChoice } from './types.ts';

/** `'auto'`: WebGPU when it exists and passes the self-test, else WASM. The others force one (WebGPU still falls back). */
export type ProviderMode = 'auto' | 'wasm' | 'webgpu';

export interface Chosen {
  raw: RawSession;
  provider: Provider;
  reason: string;
  /** What to remember for this model on this device (only in 'auto', and only when newly decided). */
  remember?: ProviderChoice;
}

/**
 * Open the model on the best provider, as a priority list with the reason recorded (onnxruntime's
 * backend-impl.ts does the same for its backends): WebGPU if `navigator.gpu` gives an adapter, the
 * session opens and, on first run, a self-test on deterministic inputs matches WASM; else WASM.
 * A remembered WASM skips the probe; a remembered WebGPU skips the self-test.
 */
export async function chooseProvider(input: { backend: OrtBackend; bytes: Uint8Array; io: SessionIo; mode: ProviderMode; remembered?: ProviderChoice | undefined }): Promise<Chosen> {
  const { backend, bytes, io, mode, remembered } = input;
  const remember = (provider: Provider, reason: string) => (mode === 'auto' ? { remember: { provider, reason } } : {});
  const onWasm = async (reason: string, fresh = true): Promise<Chosen> => ({
    raw: await backend.open(bytes, io, 'wasm'),
    provider: 'wasm',
    reason,
    ...(fresh ? remember('wasm', reason) : {}),
  });

  if (mode === 'wasm') return onWasm("executionProviders: 'wasm'", false);
  if (mode === 'auto' && remembered?.provider === 'wasm') return onWasm(`${remembered.reason} (remembered)`, false);
  const unavailable = await backend.probeWebGpu();
  if (unavailable !== undefined) return onWasm(unavailable);

  let gpu: RawSession;
  try {
    gpu = await backend.open(bytes, io, 'webgpu');
  } catch (e) {
    // A build that did not download (offline) may next time: that is not remembered.
    return onWasm(`webgpu session failed: ${messageOf(e)}`, !(e instanceof OrtLoadError));
  }
  if (mode === 'webgpu') return { raw: gpu, provider: 'webgpu', reason: "executionProviders: 'webgpu' (no self-test)" };
  if (remembered?.provider === 'webgpu') return { raw: gpu, provider: 'webgpu', reason: `${remembered.reason} (remembered)` };

  const width = gpu.inputWidth;
  if (width === undefined) {
    void gpu.release().catch(() => undefined);
    return onWasm('self-test impossible: the model does not state its input width');
  }
  const cpu = await backend.open(bytes, io, 'wasm').catch((e: unknown) => {
    void gpu.release().catch(() => undefined);
    throw e;
  });
  let maxDiff = 0;
  for (const x of selfTestInputs(width)) {
    // WASM first: if it fails, the model is at fault, not WebGPU, and opening it must fail.
    let expected: Float32Array;
    try {
      expected = await cpu.run(x, [1, width]);
    } catch (e) {
      void gpu.release().catch(() => undefined);
      void cpu.release().catch(() => undefined);
      // The device went away mid-test (the reference run shares the WebGPU build): WASM, from the WASM build.
      if (e instanceof WebGpuDeviceLostError) return onWasm(`self-test failed: ${e.message}`);
      throw e;
    }
    let verdict: { maxDiff: number; mismatch?: string };
    try {
      verdict = compareOutputs(await gpu.run(x, [1, width]), expected);
    } catch (e) {
      if (e instanceof WebGpuDeviceLostError) {
        void gpu.release().catch(() => undefined);
        void cpu.release().catch(() => undefined); // it shares the lost WebGPU build
        return onWasm(`self-test failed: ${e.message}`);
      }
      verdict = { maxDiff: NaN, mismatch: `self-test failed: ${messageOf(e)}` };
    }
    if (verdict.mismatch !== undefined) {
      void gpu.release().catch(() => undefined); // not awaited: on a lost device it may never settle
      return { raw: cpu, provider: 'wasm', reason: verdict.mismatch, ...remember('wasm', verdict.mismatch) };
    }
    maxDiff = Math.max(maxDiff, verdict.maxDiff);
  }
  await cpu.release().catch(() => undefined);
  const reason = `self-test passed: max diff ${maxDiff.toExponential(1)}`;
  return { raw: gpu, provider: 'webgpu', reason, ...remember('webgpu', reason) };
}
