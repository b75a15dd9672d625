// The worker-thread side of worker-trainer.ts: loads a trainer once, then trains what the pool sends,
// one training at a time. Config and result cross the thread boundary by structured clone, whatever
// their fields; the ONNX bytes are transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { OutpostError } from '@outpost/shared';
import type { Trainer } from './types.ts';
import type { FromWorker, SerializedError, ToWorker, TrainWorkerData } from './worker-trainer.ts';

const port = parentPort!;
const { module, factory, options } = workerData as TrainWorkerData;
// A trainer that fails to load fails each training with the reason, rather than crashing the thread.
const trainer: Promise<Trainer> = import(module).then((m: Record<string, (options?: unknown) => Trainer>) => {
  if (typeof m[factory] !== 'function') throw new Error(`${module} has no export ${factory}`);
  return m[factory](options);
});

/** Set while an epoch's hook runs on the main thread: the training waits for it, as in-thread. */
let epochDone: ((stop: boolean) => void) | undefined;

/** Thrown into the training when the main thread's hook failed: the pool reports the hook's own error. */
class HookFailed extends Error {}

port.on('message', (message: ToWorker) => {
  if (message.type === 'epoch-done') {
    const done = epochDone;
    epochDone = undefined;
    done?.(message.stop);
    return;
  }
  void train(message.id, message.rows, message.config);
});

async function train(id: number, rows: Extract<ToWorker, { type: 'train' }>['rows'], config: Extract<ToWorker, { type: 'train' }>['config']): Promise<void> {
  let reply: FromWorker;
  const transfer: ArrayBuffer[] = [];
  try {
    const result = await (await trainer).train(rows, config, {
      onEpoch: (metrics) =>
        new Promise<void>((resolve, reject) => {
          epochDone = (stop) => (stop ? reject(new HookFailed('the epoch hook failed')) : resolve());
          post({ type: 'epoch', id, metrics });
        }),
    });
    const onnx: unknown = (result as { onnx?: unknown }).onnx;
    // Transfer only a buffer the bytes own entirely (never a pooled Buffer's slab).
    if (onnx instanceof Uint8Array && onnx.buffer instanceof ArrayBuffer && onnx.byteOffset === 0 && onnx.byteLength === onnx.buffer.byteLength) transfer.push(onnx.buffer);
    reply = { type: 'done', id, result };
  } catch (e) {
    reply = { type: 'failed', id, error: serializeError(e) };
  }
  try {
    port.postMessage(reply, transfer);
  } catch (e) {
    // A result structured clone cannot copy (a function, say): the training fails, the worker lives.
    post({ type: 'failed', id, error: serializeError(e) });
  }
}

function post(message: FromWorker): void {
  port.postMessage(message);
}

function serializeError(e: unknown): SerializedError {
  if (e instanceof OutpostError) return { kind: 'outpost', code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) };
  if (e instanceof HookFailed) return { kind: 'hook' };
  const error = e instanceof Error ? e : new Error(String(e));
  return { kind: 'error', name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}
