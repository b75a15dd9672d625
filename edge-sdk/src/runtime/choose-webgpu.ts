import { OrtLoadError, WebGpuDeviceLostError, messageOf, type RawSession } from './backend.ts';
import { onWasm, remember, type ChooseInput, type Chosen } from './choose.ts';
import { compareOutputs, selfTestInputs } from './self-test.ts';

/**
 * chooseProvider's WebGPU half, for a device with an adapter (loaded with import() there only): the
 * WebGPU session, then unless forced or remembered, the first-run self-test against WASM.
 * @example const chosen = await chooseWebGpu({ backend, bytes, io, mode: 'auto' });
 */
export async function chooseWebGpu(input: ChooseInput): Promise<Chosen> {
  const { backend, bytes, io, mode, remembered } = input;
  let gpu: RawSession;
  try {
    gpu = await backend.open(bytes, io, 'webgpu');
  } catch (e) {
    // A build that did not download (offline) may next time: that is not remembered.
    return onWasm(input, `webgpu session failed: ${messageOf(e)}`, !(e instanceof OrtLoadError));
  }
  if (mode === 'webgpu') return { raw: gpu, provider: 'webgpu', reason: "executionProviders: 'webgpu' (no self-test)" };
  if (remembered?.provider === 'webgpu') return { raw: gpu, provider: 'webgpu', reason: `${remembered.reason} (remembered)` };

  const width = gpu.inputWidth;
  if (width === undefined) {
    void gpu.release().catch(() => undefined);
    return onWasm(input, 'self-test impossible: the model does not state its input width');
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
      if (e instanceof WebGpuDeviceLostError) return onWasm(input, `self-test failed: ${e.message}`);
      throw e;
    }
    let verdict: { maxDiff: number; mismatch?: string };
    try {
      verdict = compareOutputs(await gpu.run(x, [1, width]), expected);
    } catch (e) {
      if (e instanceof WebGpuDeviceLostError) {
        void gpu.release().catch(() => undefined);
        void cpu.release().catch(() => undefined); // it shares the lost WebGPU build
        return onWasm(input, `self-test failed: ${e.message}`);
      }
      verdict = { maxDiff: NaN, mismatch: `self-test failed: ${messageOf(e)}` };
    }
    if (verdict.mismatch !== undefined) {
      void gpu.release().catch(() => undefined); // not awaited: on a lost device it may never settle
      return { raw: cpu, provider: 'wasm', reason: verdict.mismatch, ...remember(mode, 'wasm', verdict.mismatch) };
    }
    maxDiff = Math.max(maxDiff, verdict.maxDiff);
  }
  await cpu.release().catch(() => undefined);
  const reason = `self-test passed: max diff ${maxDiff.toExponential(1)}`;
  return { raw: gpu, provider: 'webgpu', reason, ...remember(mode, 'webgpu', reason) };
}
