// TensorFlow.js for the hub's trainer: loaded once, on first use, with the backend a run asks for.
// tfjs has one active backend per process (a global engine); the hub trains one run at a time, and
// each run selects its backend before it builds its model.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { OutpostError } from '@outpost/shared';

import { TRAIN_BACKENDS, type TrainBackend } from './types.ts';

export { DEFAULT_TRAIN_BACKEND, TRAIN_BACKENDS, type TrainBackend } from './types.ts';

/**
 * XNNPACK threads in the wasm backend. tfjs 4.22 never enables wasm threads on Node (its
 * WASM_HAS_MULTITHREAD_SUPPORT flag is false there), so this is 1 already; pinning it keeps a
 * later tfjs from splitting reductions across a pool whose size depends on the machine.
 */
const WASM_THREADS = 1;

let tfModule: Promise<typeof Tf> | undefined;
let wasmRegistered: Promise<void> | undefined;

/**
 * tfjs, in prod mode, with `backend` active; the module is imported on the first call (not at hub
 * start-up) and the wasm binary compiled on the first `wasm` call. Later calls only switch.
 * Tensors made under one backend must not outlive a switch (runs are sequential, each makes its own).
 * @example const tf = await loadTf('wasm'); // tf.getBackend() === 'wasm'
 */
export async function loadTf(backend: TrainBackend): Promise<typeof Tf> {
  if (!TRAIN_BACKENDS.includes(backend)) throw new OutpostError('TRAINING_FAILED', `unknown tfjs backend ${String(backend)}; choose ${TRAIN_BACKENDS.join(' or ')}`);
  const tf = await importTf();
  if (backend === 'wasm') await registerWasm(tf);
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
    throw new OutpostError('TRAINING_FAILED', `tfjs backend ${backend} failed to initialize`);
  }
  return tf;
}

function importTf(): Promise<typeof Tf> {
  tfModule ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    // Prod mode skips per-op debug checks and silences the "install tfjs-node" banner: tfjs-node
    // downloads native binaries at install time, which this stack does not allow.
    tf.enableProdMode();
    return tf;
  })().catch((e: unknown) => {
    tfModule = undefined;
    throw e;
  });
  return tfModule;
}

/**
 * Registers tfjs-backend-wasm with its .wasm files read from node_modules, and initializes it.
 * Its Emscripten glue, when it starts on Node, adds process-wide `uncaughtException` and
 * `unhandledRejection` listeners that rethrow: removed again, so loading a backend leaves the
 * hub's error handling as it was.
 */
function registerWasm(tf: typeof Tf): Promise<void> {
  wasmRegistered ??= (async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The directory of the package's Node entry (dist/), where its three .wasm binaries lie. A plain
    // path: on Node the glue reads the file with fs (it also takes file:// URLs, not http).
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(dirname(entry) + sep);
    wasm.setThreadsCount(WASM_THREADS);
    const uncaught = new Set(process.listeners('uncaughtException'));
    const unhandled = new Set(process.listeners('unhandledRejection'));
    try {
      // False when the binary fails to load or compile; prod mode keeps tfjs from logging why.
      if (!(await tf.setBackend('wasm'))) throw new OutpostError('TRAINING_FAILED', `tfjs wasm backend failed to initialize (its .wasm binaries are read from ${dirname(entry)})`);
    } finally {
      for (const l of process.listeners('uncaughtException')) if (!uncaught.has(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection')) if (!unhandled.has(l)) process.removeListener('unhandledRejection', l);
    }
  })().catch((e: unknown) => {
    wasmRegistered = undefined;
    throw e;
  });
  return wasmRegistered;
}
