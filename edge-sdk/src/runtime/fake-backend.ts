import { WebGpuDeviceLostError, type OrtBackend, type Provider, type RawSession } from './backend.ts';

// A scripted OrtBackend for the provider tests (not exported), keeping the real one's contract:
// WebGPU sessions, and WASM ones opened while the WebGPU build is in use, are fragile: once the
// device is lost their runs reject with WebGpuDeviceLostError (in flight ones too), and WASM
// sessions opened after the loss are not fragile. Every probe, open, run and release is logged.

export interface FakeBackendScript {
  /** What probeWebGpu answers. Default: undefined (an adapter exists). */
  probe?: string | undefined;
  /** Output per provider for an input; throw to fail the run. Default: x * 2 + 1 on both. */
  wasm?: (input: Float32Array) => number[];
  webgpu?: (input: Float32Array) => number[];
  /** Throw from open(…, provider): this message, or this error. */
  openFails?: Partial<Record<Provider, string | Error>>;
  /** The model's stated input width. Default: 3. */
  inputWidth?: number | undefined;
}

export interface FakeBackend extends OrtBackend {
  log: string[];
  /** Lose the device now. */
  lose(reason?: string): void;
  /** While true, runs wait until `proceed()`. */
  hold: boolean;
  proceed(): void;
}

export function createFakeBackend(script: FakeBackendScript = {}): FakeBackend {
  const double = (x: Float32Array) => Array.from(x, (v) => v * 2 + 1);
  let gpuOpened = false;
  let lost = false;
  let onLost: (reason: string) => void = () => undefined;
  const deviceLost = new Promise<string>((resolve) => (onLost = resolve));
  const lostError = deviceLost.then((why) => Promise.reject(new WebGpuDeviceLostError(`webgpu device lost: ${why}`)));
  lostError.catch(() => undefined);
  const waiting: Array<() => void> = [];
  const backend: FakeBackend = {
    log: [],
    hold: false,
    proceed: () => waiting.splice(0).forEach((go) => go()),
    async probeWebGpu() {
      backend.log.push('probe');
      return lost ? 'webgpu device lost earlier on this page' : script.probe;
    },
    async open(_bytes, _io, provider) {
      const fragile = provider === 'webgpu' || (gpuOpened && !lost);
      backend.log.push(`open ${provider}${fragile && provider === 'wasm' ? ' (webgpu build)' : ''}`);
      if (provider === 'webgpu') gpuOpened = true; // the WebGPU build is loaded, even if the session fails
      const failure = script.openFails?.[provider];
      if (failure) throw typeof failure === 'string' ? new Error(failure) : failure;
      const compute = (provider === 'wasm' ? script.wasm : script.webgpu) ?? double;
      const run = async (input: Float32Array) => {
        backend.log.push(`run ${provider} [${Array.from(input).map((v) => +v.toFixed(3)).join(',')}]`);
        if (backend.hold) await new Promise<void>((go) => waiting.push(go));
        return Float32Array.from(compute(input));
      };
      const session: RawSession = {
        inputWidth: 'inputWidth' in script ? script.inputWidth : 3,
        fragile,
        run: fragile ? (input) => (lost ? lostError : Promise.race([run(input), lostError])) : run,
        async release() {
          backend.log.push(`release ${provider}`);
        },
      };
      return session;
    },
    deviceLost,
    async loseDevice() {
      if (!gpuOpened) return false;
      backend.lose();
      return true;
    },
    lose(reason = 'destroyed') {
      lost = true;
      onLost(reason);
    },
  };
  return backend;
}
