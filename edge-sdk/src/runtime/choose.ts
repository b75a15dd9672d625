import { messageOf, type OrtBackend, type Provider, type RawSession, type SessionIo } from './backend.ts';
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

export interface ChooseInput {
  backend: OrtBackend;
  bytes: Uint8Array;
  io: SessionIo;
  mode: ProviderMode;
  remembered?: ProviderChoice | undefined;
}

/**
 * Open the model on the best provider, as a priority list with the reason recorded (onnxruntime's
 * backend-impl.ts does the same for its backends): WebGPU if `navigator.gpu` gives an adapter, the
 * session opens and, on first run, a self-test on deterministic inputs matches WASM; else WASM.
 * A remembered WASM skips the probe; a remembered WebGPU skips the self-test.
 * @example const { raw, provider, reason } = await chooseProvider({ backend, bytes, io, mode: 'auto', remembered });
 */
export async function chooseProvider(input: ChooseInput): Promise<Chosen> {
  const { mode, remembered } = input;
  if (mode === 'wasm') return onWasm(input, "executionProviders: 'wasm'", false);
  if (mode === 'auto' && remembered?.provider === 'wasm') return onWasm(input, `${remembered.reason} (remembered)`, false);
  const unavailable = await input.backend.probeWebGpu();
  if (unavailable !== undefined) return onWasm(input, unavailable);
  // Only devices with a WebGPU adapter go on: the WebGPU choice and its self-test are a chunk of their
  // own (import()), small next to the WebGPU build of onnxruntime-web these devices load anyway.
  const loaded = await import('./choose-webgpu.ts').catch((e: unknown) => new Error(messageOf(e)));
  // A chunk that could not be fetched (offline) may be next time: WASM now, not remembered.
  return loaded instanceof Error ? onWasm(input, `webgpu not tried: ${loaded.message}`, false) : loaded.chooseWebGpu(input);
}

/** What to remember of a choice: only in 'auto' mode. */
export function remember(mode: ProviderMode, provider: Provider, reason: string): Pick<Chosen, 'remember'> {
  return mode === 'auto' ? { remember: { provider, reason } } : {};
}

/** The model on WASM, for `reason`; remembered (in 'auto') unless it was a remembered or forced choice. */
export async function onWasm({ backend, bytes, io, mode }: ChooseInput, reason: string, fresh = true): Promise<Chosen> {
  return { raw: await backend.open(bytes, io, 'wasm'), provider: 'wasm', reason, ...(fresh ? remember(mode, 'wasm', reason) : {}) };
}
