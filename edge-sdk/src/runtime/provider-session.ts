import { WebGpuDeviceLostError, messageOf, type OrtBackend, type Provider, type RawSession, type SessionIo } from './backend.ts';
import type { ModelSession, ProviderChoice } from './types.ts';

export interface ProviderSession extends ModelSession {
  readonly executionProvider: Provider;
  readonly providerReason: string;
}

/**
 * A session that survives WebGPU. When the device is lost, or a WebGPU run fails where WASM
 * succeeds, the run is answered by a WASM session made from the same bytes and the session stays
 * on WASM (`onFallback` hears it once, to remember it). A WASM session that lives in the WebGPU
 * build moves to the WASM build when the device is lost (its provider and reason unchanged).
 * No queue here: the backend serializes where onnxruntime-web needs it (its WebGPU build).
 */
export function createProviderSession(init: {
  backend: OrtBackend;
  bytes: Uint8Array;
  io: SessionIo;
  raw: RawSession;
  provider: Provider;
  reason: string;
  onFallback?: (choice: ProviderChoice) => void;
}): ProviderSession {
  let { raw, provider, reason } = init;
  let standby: Promise<RawSession> | undefined;
  let moving: Promise<RawSession> | undefined;
  let released = false;

  const open = () => init.backend.open(init.bytes, init.io, 'wasm');
  const wasm = () =>
    (standby ??= open().catch((e: unknown) => {
      standby = undefined;
      throw e;
    }));

  function switchTo(next: RawSession, why: string): RawSession {
    if (raw === next) return next;
    const old = raw;
    raw = next;
    if (standby) void standby.then((s) => (s === next ? undefined : s.release()), () => undefined);
    standby = undefined;
    void old.release().catch(() => undefined); // not awaited: on a lost device it may never settle
    if (provider === 'webgpu') {
      [provider, reason] = ['wasm', why];
      init.onFallback?.({ provider: 'wasm', reason: why });
    }
    return next;
  }

  /** Once per session: a session in the WASM build (which a lost device does not touch) takes over. */
  function offLostDevice(why: string): Promise<RawSession> {
    moving ??= (async () => {
      const spare = standby && (await standby.catch(() => undefined));
      const next = spare && !spare.fragile ? spare : await open(); // after the loss, open() uses the WASM build
      return switchTo(next, why);
    })().catch((e: unknown) => {
      moving = undefined;
      throw e;
    });
    return moving;
  }

  if (raw.fragile) {
    // Switch before the next run, not during it: a run on a lost device would never settle.
    void init.backend.deviceLost.then((why) => (released || !raw.fragile ? undefined : offLostDevice(`webgpu device lost: ${why}`))).catch(() => undefined);
  }

  async function retry(input: Float32Array, dims: readonly number[], failed: RawSession, e: unknown): Promise<Float32Array> {
    if (raw !== failed) return raw.run(input, dims); // switched meanwhile
    if (e instanceof WebGpuDeviceLostError) return (await offLostDevice(e.message)).run(input, dims);
    if (provider === 'wasm') throw e; // WASM's own error: the input or the model is at fault
    // Retry on WASM; if WASM fails too, the input or model is at fault: stay on WebGPU.
    const next = await wasm();
    const output = await next.run(input, dims);
    if (raw === failed) switchTo(next, `webgpu run failed: ${messageOf(e)}`);
    return output;
  }

  return {
    get executionProvider() {
      return provider;
    },
    get providerReason() {
      return reason;
    },
    // Not async: the caller awaits onnxruntime's own promise, no extra hop unless the run fails.
    run(input, dims) {
      const session = raw;
      return session.fragile ? session.run(input, dims).catch((e: unknown) => retry(input, dims, session, e)) : session.run(input, dims);
    },
    async release() {
      released = true;
      const spare = standby && (await standby.catch(() => undefined));
      await Promise.all([raw.release(), spare && spare !== raw ? spare.release() : undefined]);
    },
  };
}
