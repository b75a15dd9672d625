import { afterEach, describe, expect, test } from 'vitest';
import { TINY_CLASSIFIER, tinyClassifierBytes } from '../testing/fixtures/tiny-classifier.ts';
import { createOrtBackend, type OrtBackend } from './backend.ts';
import { createFakeBackend, type FakeBackend } from './fake-backend.ts';
import { createOnnxRuntime } from './onnx.ts';
import { loseWebGpuDevice } from './test-hooks.ts';
import type { ProviderChoice, ProviderMemory } from './types.ts';
import { createWorkerRuntime, type WorkerLike } from './worker-client.ts';
import { serveRuntime, type HostPort } from './worker-host.ts';

// The worker protocol end to end, with a MessageChannel standing in for the Worker (Node has no
// Web Workers but has MessageChannel; the Chromium test in test/e2e/runtime runs the real one).
const io = { inputName: TINY_CLASSIFIER.inputName, outputName: TINY_CLASSIFIER.outputName };
const channels: MessageChannel[] = [];
afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

function connected(makeBackend: () => OrtBackend) {
  let started = 0;
  let terminated = 0;
  const makeWorker = (): WorkerLike => {
    started++;
    const channel = new MessageChannel();
    channels.push(channel);
    serveRuntime(channel.port2 as unknown as HostPort, makeBackend);
    const port = channel.port1 as unknown as WorkerLike & { close(): void };
    return {
      postMessage: (m, transfer) => port.postMessage(m, transfer),
      addEventListener: port.addEventListener.bind(port) as WorkerLike['addEventListener'],
      terminate: () => (terminated++, port.close()),
    };
  };
  return { makeWorker, counts: () => ({ started, terminated }) };
}

function mapMemory(): ProviderMemory & { map: Map<string, ProviderChoice> } {
  const map = new Map<string, ProviderChoice>();
  return { map, get: async (k) => map.get(k), set: async (k, c) => void map.set(k, c) };
}

describe('worker runtime', () => {
  test('predicts the same numbers as the in-thread runtime (real onnxruntime-web), input transferred', async () => {
    const link = connected(() => createOrtBackend({ numThreads: 1 }));
    const runtime = createWorkerRuntime({ mode: 'auto', numThreads: 1 }, link.makeWorker);
    const local = createOnnxRuntime({ numThreads: 1 });
    const memory = mapMemory();
    const [remote, here] = await Promise.all([runtime.createSession(tinyClassifierBytes(), io, { memory, modelSha256: 'tiny' }), local.createSession(tinyClassifierBytes(), io)]);
    expect(remote.executionProvider).toBe('wasm');
    expect(remote.providerReason).toBe('no navigator.gpu');
    expect(memory.map.get('tiny')).toEqual({ provider: 'wasm', reason: 'no navigator.gpu' });

    for (const row of [[0, 1, 0, 0], [1.5, 0, 1, 0], [-2, 0, 0, 1]]) {
      const input = Float32Array.from(row);
      const fromWorker = await remote.run(input, [1, 4]);
      expect(input.byteLength).toBe(0); // moved, not copied
      expect(Array.from(fromWorker)).toEqual(Array.from(await here.run(Float32Array.from(row), [1, 4])));
    }
    // Concurrent runs queue in the worker and each gets its own answer.
    const rows = Array.from({ length: 10 }, (_, i) => Float32Array.of(i / 3 - 1, i % 2, 0, 1 - (i % 2)));
    const expected = await Promise.all(rows.map((r) => here.run(r.slice(), [1, 4])));
    expect((await Promise.all(rows.map((r) => remote.run(r, [1, 4])))).map((o) => Array.from(o))).toEqual(expected.map((o) => Array.from(o)));

    await Promise.all([remote.release(), here.release()]);
    expect(link.counts()).toEqual({ started: 1, terminated: 1 }); // the last release ends the worker
  });

  test('errors cross as rejections naming the problem; a view into a larger buffer is copied, not detached', async () => {
    const link = connected(() => createOrtBackend({ numThreads: 1 }));
    const runtime = createWorkerRuntime({ mode: 'wasm', numThreads: 1 }, link.makeWorker);
    await expect(runtime.createSession(new Uint8Array([1, 2, 3, 4]), io)).rejects.toThrow(/protobuf parsing failed/);
    const session = await runtime.createSession(tinyClassifierBytes(), { ...io, outputName: 'logits' });
    const big = new Float32Array(8);
    await expect(session.run(big.subarray(0, 4), [1, 4])).rejects.toThrow(/logits/);
    expect(big.byteLength).toBe(32);
    await session.release();
  });

  test('a fallback in the worker reaches the main thread: provider, reason and memory', async () => {
    let backend: FakeBackend | undefined;
    const link = connected(() => (backend = createFakeBackend({ inputWidth: 3 })));
    const runtime = createWorkerRuntime({ mode: 'auto' }, link.makeWorker);
    const memory = mapMemory();
    const session = await runtime.createSession(new Uint8Array([1]), io, { memory, modelSha256: 'm' });
    expect(session.executionProvider).toBe('webgpu');
    expect(memory.map.get('m')?.provider).toBe('webgpu');

    expect(await loseWebGpuDevice(runtime)).toBe(true);
    await expect.poll(() => session.executionProvider).toBe('wasm');
    expect(session.providerReason).toBe('webgpu device lost: destroyed');
    expect(memory.map.get('m')).toEqual({ provider: 'wasm', reason: 'webgpu device lost: destroyed' });
    expect(Array.from(await session.run(Float32Array.of(1, 2, 3), [1, 3]))).toEqual([3, 5, 7]);
    expect(backend!.log.at(-1)).toBe('run wasm [1,2,3]');
    await session.release();
    expect(await loseWebGpuDevice(runtime)).toBe(false); // no worker, no device
  });
});

describe('createOnnxRuntime', () => {
  test('an unknown executionProviders value is refused, naming the option', () => {
    expect(() => createOnnxRuntime({ executionProviders: 'gpu' as never })).toThrow(/executionProviders must be one of 'auto', 'wasm', 'webgpu', got "gpu"/);
  });

  test('in the main thread: the reason is recorded and remembered; a remembered WASM is used as is', async () => {
    const memory = mapMemory();
    const runtime = createOnnxRuntime({ numThreads: 1 });
    const first = await runtime.createSession(tinyClassifierBytes(), io, { memory, modelSha256: 'tiny' });
    expect([first.executionProvider, first.providerReason]).toEqual(['wasm', 'no navigator.gpu']);
    expect(memory.map.get('tiny')).toEqual({ provider: 'wasm', reason: 'no navigator.gpu' });
    const again = await runtime.createSession(tinyClassifierBytes(), io, { memory, modelSha256: 'tiny' });
    expect(again.providerReason).toBe('no navigator.gpu (remembered)');
    expect(await loseWebGpuDevice(runtime)).toBe(false);
    await Promise.all([first.release(), again.release()]);
  });
});
