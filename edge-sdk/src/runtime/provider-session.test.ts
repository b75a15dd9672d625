import { describe, expect, test } from 'vitest';
import type { Provider } from './backend.ts';
import { createFakeBackend, type FakeBackend, type FakeBackendScript } from './fake-backend.ts';
import { createProviderSession } from './provider-session.ts';
import type { ProviderChoice } from './types.ts';

const io = { inputName: 'x', outputName: 'y' };
const x = () => Float32Array.of(1, 2, 3);
const runs = (b: FakeBackend) => b.log.filter((l) => l.startsWith('run'));

async function open(script: FakeBackendScript = {}, provider: Provider = 'webgpu', reason = 'self-test passed') {
  const backend: FakeBackend = createFakeBackend(script);
  if (provider === 'wasm') await backend.open(new Uint8Array(1), io, 'webgpu'); // the WebGPU build is in use
  const raw = await backend.open(new Uint8Array(1), io, provider);
  const remembered: ProviderChoice[] = [];
  const session = createProviderSession({ backend, bytes: new Uint8Array(1), io, raw, provider, reason, onFallback: (c) => remembered.push(c) });
  backend.log.length = 0;
  return { backend, session, remembered };
}

describe('a WebGPU session that falls back to WASM', () => {
  test('a lost device switches to a WASM-build session before the next run; remembered once', async () => {
    const { backend, session, remembered } = await open();
    expect(await session.run(x(), [1, 3])).toEqual(Float32Array.of(3, 5, 7));
    backend.lose('destroyed');
    await expect.poll(() => session.executionProvider).toBe('wasm');
    expect(session.providerReason).toBe('webgpu device lost: destroyed');
    expect(await session.run(x(), [1, 3])).toEqual(Float32Array.of(3, 5, 7));
    expect(remembered).toEqual([{ provider: 'wasm', reason: 'webgpu device lost: destroyed' }]);
    expect(backend.log).toEqual(['run webgpu [1,2,3]', 'open wasm', 'release webgpu', 'run wasm [1,2,3]']);
  });

  test('runs in flight when the device is lost are answered on WASM, none fails', async () => {
    const { backend, session, remembered } = await open();
    backend.hold = true;
    const inFlight = [session.run(x(), [1, 3]), session.run(Float32Array.of(0, 0, 0), [1, 3])];
    await expect.poll(() => runs(backend).length).toBe(2);
    backend.hold = false;
    backend.lose();
    backend.proceed();
    expect(await Promise.all(inFlight)).toEqual([Float32Array.of(3, 5, 7), Float32Array.of(1, 1, 1)]);
    expect(session.executionProvider).toBe('wasm');
    expect(remembered).toHaveLength(1);
    expect(backend.log.filter((l) => l.startsWith('open'))).toEqual(['open wasm']); // one WASM session, shared
  });

  test('a run failing with a WebGPU error is retried on WASM and the session stays there', async () => {
    const { backend, session, remembered } = await open({
      webgpu: () => {
        throw new Error('GPUDevice is lost');
      },
    });
    expect(await session.run(x(), [1, 3])).toEqual(Float32Array.of(3, 5, 7));
    expect([session.executionProvider, session.providerReason]).toEqual(['wasm', 'webgpu run failed: GPUDevice is lost']);
    expect(remembered).toEqual([{ provider: 'wasm', reason: 'webgpu run failed: GPUDevice is lost' }]);
    await session.run(x(), [1, 3]);
    expect(runs(backend)).toEqual(['run webgpu [1,2,3]', 'run wasm [1,2,3]', 'run wasm [1,2,3]']);
  });

  test('when WASM fails on the same input too, the error is the caller’s and WebGPU stays', async () => {
    const fail = () => {
      throw new Error('input has 2 columns, expected 3');
    };
    const { session, remembered } = await open({ webgpu: fail, wasm: fail });
    await expect(session.run(x(), [1, 3])).rejects.toThrow('expected 3');
    expect(session.executionProvider).toBe('webgpu');
    expect(remembered).toEqual([]);
  });
});

describe('a WASM session', () => {
  test('in the WebGPU build, it moves to the WASM build when the device is lost; provider, reason and memory unchanged', async () => {
    const { backend, session, remembered } = await open({}, 'wasm', 'self-test mismatch: max diff 2.0e-2');
    backend.lose();
    await expect.poll(() => backend.log).toEqual(['open wasm', 'release wasm']);
    expect(await session.run(x(), [1, 3])).toEqual(Float32Array.of(3, 5, 7));
    expect([session.executionProvider, session.providerReason]).toEqual(['wasm', 'self-test mismatch: max diff 2.0e-2']);
    expect(remembered).toEqual([]);
  });

  test('in the WASM build: no queue, every call goes straight to onnxruntime; its errors reach the caller', async () => {
    const backend = createFakeBackend({
      wasm: (input) => {
        if (input[0] === -1) throw new Error('bad row');
        return [input[0]!];
      },
    });
    const raw = await backend.open(new Uint8Array(1), io, 'wasm');
    const session = createProviderSession({ backend, bytes: new Uint8Array(1), io, raw, provider: 'wasm', reason: 'no adapter' });
    backend.hold = true;
    const calls = [1, 2, 3].map((v) => session.run(Float32Array.of(v, 0, 0), [1, 3]));
    await expect.poll(() => runs(backend).length).toBe(3); // all started, none waits for another
    backend.hold = false;
    backend.proceed();
    expect((await Promise.all(calls)).map((o) => o[0])).toEqual([1, 2, 3]);
    await expect(session.run(Float32Array.of(-1, 0, 0), [1, 3])).rejects.toThrow('bad row');
    expect(backend.log.filter((l) => l.startsWith('open'))).toEqual(['open wasm']); // no retry elsewhere
  });

  test('release frees the session and the WASM standby', async () => {
    const { backend, session } = await open({
      webgpu: () => {
        throw new Error('lost');
      },
    });
    await session.run(x(), [1, 3]);
    await session.release();
    expect(backend.log.filter((l) => l.startsWith('release'))).toEqual(['release webgpu', 'release wasm']);
  });
});
