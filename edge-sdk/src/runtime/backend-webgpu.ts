import { openedSession, page, WebGpuDeviceLostError, type BuildLoader, type Ort, type WebGpuPart } from './backend.ts';

type GpuDevice = { lost: Promise<{ reason?: string; message?: string }>; destroy(): void };

/**
 * onnxruntime-web's default (JSEP) build is one module per page, with one WebGPU device for all its
 * sessions and one run at a time across all of them, WASM ones included (a second throws "Session
 * already started"). A run in flight when the device is lost may never settle and then blocks every
 * later run of the module. So this state is page-wide, like the module (and this one): one run
 * queue, one device, and once the device is lost (`page.lost`) the WebGPU build is not used again.
 */
const webgpuBuild: { tail?: Promise<unknown>; device?: Promise<GpuDevice> } = {};

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

const lostError = page.deviceLost.then((why) => Promise.reject(new WebGpuDeviceLostError(`webgpu device lost: ${why}`)));
lostError.catch(() => undefined);

/**
 * The part of createOrtBackend that only devices trying WebGPU load (with `import()`, backend.ts):
 * the default build of onnxruntime-web, its page-wide run queue and device. Its sessions are
 * `fragile`: WASM ones too, as they share the build's module and its device.
 * @example const part = createWebGpuPart(load); const raw = await part.open(bytes, io, 'webgpu');
 */
export function createWebGpuPart(load: BuildLoader): WebGpuPart {
  let fullBuild: Promise<Ort> | undefined;
  const full = () => (fullBuild ??= load(() => import('onnxruntime-web') as Promise<Ort>, () => (fullBuild = undefined)));
  return {
    hasBuild: () => fullBuild !== undefined,

    async open(bytes, io, provider) {
      const ort = await full();
      const session = await queued(() => ort.InferenceSession.create(bytes, { executionProviders: [provider] }));
      if (provider === 'webgpu' && !webgpuBuild.device) {
        // Only after the first WebGPU session: before it, reading env.webgpu.device makes a device.
        // Typed as a Promise; 1.30's JSEP build hands the GPUDevice itself once it has one.
        webgpuBuild.device = Promise.resolve(ort.env.webgpu.device as unknown as GpuDevice);
        void webgpuBuild.device.then(
          (d) => d.lost.then((info) => page.lose(info.message || info.reason || 'unknown reason')),
          () => undefined,
        );
      }
      const { inputWidth, run, release } = openedSession(ort, session, io);
      return {
        inputWidth,
        fragile: true,
        // Raced against the loss: after it, a queued or running call would never settle.
        run: (input, dims) => Promise.race([queued(() => run(input, dims)), lostError]),
        release: () => Promise.race([release(), page.deviceLost.then(() => undefined)]),
      };
    },
  };
}

/**
 * Destroy the page's WebGPU device (OrtBackend.loseDevice, for tests). False when no WebGPU session was opened.
 * @example await loseDevice(); // every fragile session's runs now reject with WebGpuDeviceLostError
 */
export async function loseDevice(): Promise<boolean> {
  if (!webgpuBuild.device) return false;
  (await webgpuBuild.device).destroy();
  return true;
}
