import { describe, expect, test } from 'vitest';
import { OrtLoadError } from './backend.ts';
import { chooseProvider, type ProviderMode } from './choose.ts';
import { createFakeBackend, type FakeBackendScript } from './fake-backend.ts';
import type { ProviderChoice } from './types.ts';

const io = { inputName: 'x', outputName: 'y' };
const bytes = new Uint8Array([1, 2, 3]);

async function choose(script: FakeBackendScript, mode: ProviderMode = 'auto', remembered?: ProviderChoice) {
  const backend = createFakeBackend(script);
  const chosen = await chooseProvider({ backend, bytes, io, mode, remembered });
  return { ...chosen, log: backend.log };
}

describe('chooseProvider', () => {
  test.each([
    { name: 'no navigator.gpu', script: { probe: 'no navigator.gpu' }, reason: 'no navigator.gpu', log: ['probe', 'open wasm'] },
    { name: 'no adapter', script: { probe: 'no adapter' }, reason: 'no adapter', log: ['probe', 'open wasm'] },
    { name: 'the WebGPU session fails to open', script: { openFails: { webgpu: 'no kernel for Gemm' } }, reason: 'webgpu session failed: no kernel for Gemm', log: ['probe', 'open webgpu', 'open wasm (webgpu build)'] },
    {
      name: 'the self-test differs',
      script: { webgpu: (x: Float32Array) => Array.from(x, (v) => v * 2 + 1.01) },
      reason: /^self-test mismatch: max diff 1\.0e-2 at output 0/,
      log: ['probe', 'open webgpu', 'open wasm (webgpu build)', 'run wasm [0,0,0]', 'run webgpu [0,0,0]', 'release webgpu'],
    },
    {
      name: 'the self-test run fails on WebGPU',
      script: {
        webgpu: () => {
          throw new Error('GPUBuffer mapAsync failed');
        },
      },
      reason: 'self-test failed: GPUBuffer mapAsync failed',
      log: ['probe', 'open webgpu', 'open wasm (webgpu build)', 'run wasm [0,0,0]', 'run webgpu [0,0,0]', 'release webgpu'],
    },
    { name: 'the model states no input width', script: { inputWidth: undefined }, reason: 'self-test impossible: the model does not state its input width', log: ['probe', 'open webgpu', 'release webgpu', 'open wasm (webgpu build)'] },
  ])('WASM, remembered, when $name', async ({ script, reason, log }) => {
    const chosen = await choose(script);
    expect(chosen.provider).toBe('wasm');
    expect(chosen.reason).toMatch(reason);
    expect(chosen.remember).toEqual({ provider: 'wasm', reason: chosen.reason });
    expect(chosen.log).toEqual(log);
  });

  test('WebGPU when the self-test matches on the zero and the seeded input; the WASM session is released', async () => {
    const chosen = await choose({ webgpu: (x) => Array.from(x, (v) => v * 2 + 1 + 1e-6) });
    expect(chosen.provider).toBe('webgpu');
    expect(chosen.reason).toMatch(/^self-test passed: max diff 1\.0e-6$/);
    expect(chosen.remember).toEqual({ provider: 'webgpu', reason: chosen.reason });
    expect(chosen.log.filter((l) => l.startsWith('run')).length).toBe(4); // two inputs, both providers
    expect(chosen.log.at(-1)).toBe('release wasm');
    await chosen.raw.run(Float32Array.of(1, 2, 3), [1, 3]);
    expect(chosen.log.at(-1)).toBe('run webgpu [1,2,3]');
  });

  test('a WebGPU build that cannot be downloaded (offline) gives WASM, not remembered: next time may differ', async () => {
    const chosen = await choose({ openFails: { webgpu: new OrtLoadError('onnxruntime-web could not be loaded: Failed to fetch') } });
    expect(chosen).toMatchObject({ provider: 'wasm', reason: 'webgpu session failed: onnxruntime-web could not be loaded: Failed to fetch' });
    expect(chosen.remember).toBeUndefined();
  });

  test('a remembered WASM skips the WebGPU probe; nothing new to remember', async () => {
    const chosen = await choose({}, 'auto', { provider: 'wasm', reason: 'no adapter' });
    expect(chosen).toMatchObject({ provider: 'wasm', reason: 'no adapter (remembered)' });
    expect(chosen.remember).toBeUndefined();
    expect(chosen.log).toEqual(['open wasm']);
  });

  test('a remembered WebGPU skips the self-test but still needs an adapter', async () => {
    const remembered = { provider: 'webgpu', reason: 'self-test passed: max diff 0.0e+0' } as const;
    const chosen = await choose({}, 'auto', remembered);
    expect(chosen).toMatchObject({ provider: 'webgpu', reason: 'self-test passed: max diff 0.0e+0 (remembered)' });
    expect(chosen.log).toEqual(['probe', 'open webgpu']);

    const gone = await choose({ probe: 'no adapter' }, 'auto', remembered);
    expect(gone).toMatchObject({ provider: 'wasm', reason: 'no adapter', remember: { provider: 'wasm', reason: 'no adapter' } });
  });

  test("'wasm' never probes; 'webgpu' skips the self-test and still falls back; neither is remembered", async () => {
    const wasm = await choose({}, 'wasm', { provider: 'webgpu', reason: 'x' });
    expect(wasm).toMatchObject({ provider: 'wasm', reason: "executionProviders: 'wasm'" });
    expect(wasm.log).toEqual(['open wasm']);

    const webgpu = await choose({ webgpu: () => [9, 9, 9] }, 'webgpu');
    expect(webgpu).toMatchObject({ provider: 'webgpu', reason: "executionProviders: 'webgpu' (no self-test)" });
    expect(webgpu.remember).toBeUndefined();
    expect(webgpu.log).toEqual(['probe', 'open webgpu']);

    const none = await choose({ probe: 'no adapter' }, 'webgpu');
    expect(none).toMatchObject({ provider: 'wasm', reason: 'no adapter' });
    expect(none.remember).toBeUndefined();
  });

  test('a device lost during the self-test: WASM from the WASM build, remembered', async () => {
    const backend = createFakeBackend({
      wasm: (input) => {
        if (input.some((v) => v !== 0)) backend.lose(); // the second self-test input: WASM answers, WebGPU cannot
        return Array.from(input);
      },
      webgpu: (input) => Array.from(input),
    });
    const chosen = await chooseProvider({ backend, bytes, io, mode: 'auto' });
    expect(chosen).toMatchObject({ provider: 'wasm', reason: 'self-test failed: webgpu device lost: destroyed', remember: { provider: 'wasm' } });
    expect(chosen.raw.fragile).toBe(false);
    expect(await chosen.raw.run(Float32Array.of(1, 2, 3), [1, 3])).toEqual(Float32Array.of(1, 2, 3));
  });

  test('a model WASM cannot run rejects (it is not a WebGPU problem), releasing both sessions', async () => {
    const backend = createFakeBackend({
      wasm: () => {
        throw new Error('model has no output named y');
      },
    });
    await expect(chooseProvider({ backend, bytes, io, mode: 'auto' })).rejects.toThrow('model has no output named y');
    expect(backend.log).toEqual(expect.arrayContaining(['release webgpu', 'release wasm']));
  });
});
