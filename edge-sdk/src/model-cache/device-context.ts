import { deviceContextToQuery, type DeviceContext } from '@outpost/shared';

/** What the app says about the device (rollout targeting rules match on it). */
export type AppContext = Omit<DeviceContext, 'installId' | 'webgpu'>;

export type GpuNavigator = { gpu?: { requestAdapter(): Promise<unknown> } };

/**
 * Whether a WebGPU adapter is available: asked once per client, and given up on after `timeoutMs`
 * (some drivers take long to answer; the manifest request should not wait on them).
 * @example const webgpu = await hasWebGpu(navigator);
 */
export async function hasWebGpu(nav: GpuNavigator | undefined, timeoutMs = 500): Promise<boolean | undefined> {
  if (!nav?.gpu) return false;
  let timer: unknown;
  const timeout = new Promise<undefined>((r) => (timer = globalThis.setTimeout(r, timeoutMs)));
  try {
    return await Promise.race([nav.gpu.requestAdapter().then((a) => a !== null && a !== undefined), timeout]);
  } catch {
    return false;
  } finally {
    globalThis.clearTimeout(timer as number);
  }
}

/** The manifest request's query: the app's context plus the install id and WebGPU availability. */
export function contextQuery(installId: string, app: AppContext | undefined, webgpu: boolean | undefined): string {
  return deviceContextToQuery({ ...app, installId, ...(webgpu === undefined ? {} : { webgpu }) });
}
