import { createOrtBackend, messageOf, type OrtBackend, type OrtBackendOptions, type Provider, type SessionIo } from './backend.ts';
import { chooseProvider, type ProviderMode } from './choose.ts';
import { createProviderSession, type ProviderSession } from './provider-session.ts';
import type { ProviderChoice } from './types.ts';

// The inference worker's side of the protocol: it holds onnxruntime-web and the sessions, and runs
// the same provider choice and fallback as the main thread would. The main thread keeps the memory.

export interface WorkerRuntimeOptions extends OrtBackendOptions {
  mode: ProviderMode;
}

export type WorkerRequest =
  | { id: number; op: 'create'; options: WorkerRuntimeOptions; bytes: Uint8Array; io: SessionIo; remembered?: ProviderChoice | undefined }
  | { id: number; op: 'run'; session: number; input: Float32Array; dims: number[] }
  | { id: number; op: 'release'; session: number }
  | { id: number; op: 'loseDevice' };

export interface Created {
  session: number;
  provider: Provider;
  reason: string;
  remember?: ProviderChoice | undefined;
}
export interface Ran {
  output: Float32Array;
  provider: Provider;
  reason: string;
}

export type WorkerMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  /** A session fell back to WASM for good (device lost, WebGPU run failed): the main thread remembers it. */
  | { fallback: number; choice: ProviderChoice };

/** A worker's global scope, or a MessagePort in tests. */
export interface HostPort {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}

export function serveRuntime(port: HostPort, makeBackend: (options: OrtBackendOptions) => OrtBackend = createOrtBackend): void {
  let backend: OrtBackend | undefined;
  const sessions = new Map<number, ProviderSession>();
  let nextSession = 1;

  function session(id: number): ProviderSession {
    const s = sessions.get(id);
    if (!s) throw new Error(`no session ${id} in the inference worker (released?)`);
    return s;
  }

  async function handle(req: WorkerRequest): Promise<{ value: unknown; transfer?: Transferable[] }> {
    switch (req.op) {
      case 'create': {
        const { mode, ...ortOptions } = req.options;
        const b = (backend ??= makeBackend(ortOptions));
        const chosen = await chooseProvider({ backend: b, bytes: req.bytes, io: req.io, mode, remembered: req.remembered });
        const id = nextSession++;
        const onFallback = (choice: ProviderChoice) => port.postMessage({ fallback: id, choice }, []);
        sessions.set(id, createProviderSession({ backend: b, bytes: req.bytes, io: req.io, raw: chosen.raw, provider: chosen.provider, reason: chosen.reason, onFallback }));
        const created: Created = { session: id, provider: chosen.provider, reason: chosen.reason, remember: chosen.remember };
        return { value: created };
      }
      case 'run': {
        const s = session(req.session);
        const out = await s.run(req.input, req.dims);
        // Transfer the result; copy first when it is a view into a larger (or shared) buffer.
        const output = out.buffer instanceof ArrayBuffer && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
        const ran: Ran = { output, provider: s.executionProvider, reason: s.providerReason };
        return { value: ran, transfer: [output.buffer] };
      }
      case 'release': {
        const s = sessions.get(req.session);
        sessions.delete(req.session);
        await s?.release();
        return { value: undefined };
      }
      case 'loseDevice':
        return { value: backend ? await backend.loseDevice() : false };
    }
  }

  port.addEventListener('message', (event) => {
    const req = event.data;
    handle(req).then(
      ({ value, transfer }) => port.postMessage({ id: req.id, ok: true, value }, transfer ?? []),
      (e: unknown) => port.postMessage({ id: req.id, ok: false, error: messageOf(e) }, []),
    );
  });
}
