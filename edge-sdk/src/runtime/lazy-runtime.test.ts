import { describe, expect, test } from 'vitest';
import { createFakeRuntime } from '../testing/fake-runtime.ts';
import { lazyRuntime } from './lazy-runtime.ts';
import { loseWebGpuDevice, registerDeviceLoss } from './test-hooks.ts';
import type { Runtime } from './types.ts';

const io = { inputName: 'x', outputName: 'y' };
const bytes = new Uint8Array([1, 2, 3]);

describe('lazyRuntime', () => {
  test('loads on the first session, once, and its sessions are the loaded runtime’s', async () => {
    let loads = 0;
    const runtime = lazyRuntime(async () => {
      loads++;
      return createFakeRuntime({ run: () => [0.25, 0.75], executionProvider: 'inner' });
    });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([runtime.createSession(bytes, io), runtime.createSession(bytes, io)]);
    expect(loads).toBe(1);
    expect(a.executionProvider).toBe('inner');
    expect([...(await b.run(new Float32Array(3), [1, 3]))]).toEqual([0.25, 0.75]);
  });

  test('a failed load (a chunk not fetched offline) fails the session and is tried again by the next', async () => {
    let loads = 0;
    const runtime = lazyRuntime(async () => {
      if (++loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return createFakeRuntime({ run: () => [1] });
    });
    await expect(runtime.createSession(bytes, io)).rejects.toThrow('Failed to fetch dynamically imported module');
    await expect(runtime.createSession(bytes, io)).resolves.toMatchObject({ executionProvider: 'fake' });
    expect(loads).toBe(2);
  });

  test('loseWebGpuDevice reaches the loaded runtime, and answers false before it loads', async () => {
    let lost = 0;
    const inner: Runtime = registerDeviceLoss(createFakeRuntime({ run: () => [1] }), async () => ++lost > 0);
    const runtime = lazyRuntime(async () => inner);
    expect(await loseWebGpuDevice(runtime)).toBe(false);
    await runtime.createSession(bytes, io);
    expect(await loseWebGpuDevice(runtime)).toBe(true);
    expect(lost).toBe(1);
  });
});
