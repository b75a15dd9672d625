import type { Provider } from './backend.ts';
import { recall } from './provider-memory.ts';
import { registerDeviceLoss } from './test-hooks.ts';
import type { Created, Ran, WorkerMessage, WorkerRequest, WorkerRuntimeOptions } from './worker-host.ts';
import type { ModelSession, Runtime } from './types.ts';

/** A Worker, or a MessagePort in tests. */
export interface WorkerLike {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerMessage>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The runtime that runs inference in a worker (see worker-host.ts for the other side). One worker
 * per runtime, started with the first session and ended when the last session is released. Inputs
 * and outputs cross as transferred Float32Arrays (no copy).
 */
export function createWorkerRuntime(options: WorkerRuntimeOptions, makeWorker: () => WorkerLike): Runtime {
  let worker: WorkerLike | undefined;
  let nextId = 1;
  let open = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const fallbacks = new Map<number, (message: Extract<WorkerMessage, { fallback: number }>) => void>();

  function connect(): WorkerLike {
    if (worker) return worker;
    const w = makeWorker();
    w.addEventListener('message', ({ data }) => {
      if ('fallback' in data) return fallbacks.get(data.fallback)?.(data);
      const call = pending.get(data.id);
      pending.delete(data.id);
      if (data.ok) call?.resolve(data.value);
      else call?.reject(new Error(data.error));
    });
    // The script failed to load or threw at its top level: fail what waits; the next session starts afresh.
    w.addEventListener('error', (event) => {
      const error = new Error(`inference worker failed: ${event.message || 'script error'}`);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
      if (worker === w) worker = undefined;
      w.terminate();
    });
    return (worker = w);
  }

  function call<T>(request: Request, transfer: Transferable[] = []): Promise<T> {
    const w = connect();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      w.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  const runtime: Runtime = {
    async createSession(bytes, io, sessionOptions = {}) {
      const memo = await recall(options.mode, bytes, sessionOptions);
      open++;
      let created: Created;
      try {
        created = await call<Created>({ op: 'create', options, bytes, io, remembered: memo.remembered });
      } catch (e) {
        if (--open === 0) stop();
        throw e;
      }
      if (created.remember) memo.remember(created.remember);
      let provider: Provider = created.provider;
      let reason = created.reason;
      fallbacks.set(created.session, ({ choice }) => {
        [provider, reason] = [choice.provider, choice.reason];
        memo.remember(choice);
      });
      let released: Promise<void> | undefined;
      const session: ModelSession = {
        get executionProvider() {
          return provider;
        },
        get providerReason() {
          return reason;
        },
        async run(input, dims) {
          // The buffer moves to the worker; a view into a larger buffer is copied first.
          const own = input.buffer instanceof ArrayBuffer && input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input : input.slice();
          const ran = await call<Ran>({ op: 'run', session: created.session, input: own, dims: [...dims] }, [own.buffer]);
          [provider, reason] = [ran.provider, ran.reason];
          return ran.output;
        },
        release() {
          released ??= call<void>({ op: 'release', session: created.session }).finally(() => {
            fallbacks.delete(created.session);
            if (--open === 0) stop();
          });
          return released;
        },
      };
      return session;
    },
  };

  function stop() {
    worker?.terminate();
    worker = undefined;
  }

  return registerDeviceLoss(runtime, () => (worker ? call<boolean>({ op: 'loseDevice' }) : Promise.resolve(false)));
}
