import { loseWebGpuDevice, registerDeviceLoss } from './test-hooks.ts';
import type { Runtime } from './types.ts';

/**
 * A runtime that `load` makes on the first session, so its module can be loaded with `import()`:
 * an app's bundler puts it in a chunk of its own, which apps that never use it never download.
 * A failed load (a chunk that could not be fetched offline) is forgotten: the next session tries again.
 * @example const runtime = lazyRuntime(() => import('./worker-client.ts').then((m) => m.createWorkerRuntime(options, makeWorker)));
 */
export function lazyRuntime(load: () => Promise<Runtime>): Runtime {
  let loading: Promise<Runtime> | undefined;
  const loaded = () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    }));
  const runtime: Runtime = { createSession: (bytes, io, options) => loaded().then((inner) => inner.createSession(bytes, io, options)) };
  // edge-sdk/testing's loseWebGpuDevice(runtime) reaches the runtime once it is loaded.
  return registerDeviceLoss(runtime, () => (loading ? loading.then(loseWebGpuDevice, () => false) : Promise.resolve(false)));
}
