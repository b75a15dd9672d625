import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OutpostError, type ErrorCode, type ErrorIssue, type RawRecord } from '@outpost/shared';
import type { EpochMetrics, TrainConfig, TrainHooks, TrainResult, Trainer } from './types.ts';

export interface WorkerTrainerOptions {
  /** Trainings at once: the most worker threads the pool starts. Default `defaultTrainWorkers()`. */
  size?: number;
  /**
   * The trainer each worker runs: a module URL, the factory it exports, and that factory's argument
   * (structured-cloned into the worker). Default: `createTfjsTrainer()` of tfjs-trainer.ts. Tests swap it.
   */
  trainer?: { module: string | URL; factory: string; options?: unknown };
}

/** A Trainer that also says how many trainings it runs at once, and can be closed. */
export interface WorkerTrainer extends Trainer {
  readonly concurrency: number;
  /** Stops every worker; trainings in progress or waiting reject with TRAINING_FAILED. */
  close(): Promise<void>;
}

/** The hub's default pool size: one worker per core, at most 4. */
export function defaultTrainWorkers(): number {
  return Math.min(4, availableParallelism());
}

// The protocol between the pool and train-worker.ts.
export interface TrainWorkerData {
  module: string;
  factory: string;
  options?: unknown;
}
export type ToWorker = { type: 'train'; id: number; rows: readonly RawRecord[]; config: TrainConfig } | { type: 'epoch-done'; id: number; stop: boolean };
export type FromWorker =
  | { type: 'epoch'; id: number; metrics: EpochMetrics }
  | { type: 'done'; id: number; result: TrainResult }
  | { type: 'failed'; id: number; error: SerializedError };
export type SerializedError =
  | { kind: 'outpost'; code: ErrorCode; message: string; issues?: ErrorIssue[] }
  | { kind: 'error'; name: string; message: string; stack?: string }
  | { kind: 'hook' };

const ENTRY = new URL('./train-worker.mjs', import.meta.url);
const TFJS_TRAINER: NonNullable<WorkerTrainerOptions['trainer']> = { module: new URL('./tfjs-trainer.ts', import.meta.url).href, factory: 'createTfjsTrainer' };

interface Training {
  id: number;
  rows: readonly RawRecord[];
  config: TrainConfig;
  hooks: TrainHooks;
  resolve(result: TrainResult): void;
  reject(error: unknown): void;
  /** The epoch hooks so far, one after another, in epoch order. */
  hooksDone: Promise<void>;
  hookError?: { error: unknown };
}

interface Slot {
  worker: Worker;
  training?: Training | undefined;
  /** What the worker threw uncaught, if it did (its 'error' comes just before its 'exit'). */
  crash?: Error;
}

/**
 * A Trainer that trains in a pool of Node worker threads, `size` trainings at once, so training
 * neither blocks the hub's event loop nor waits for another training while a core is free. Each
 * worker loads the trainer once (tfjs keeps one engine per thread) and trains one run at a time;
 * more trainings wait for a free worker, first come first served. A result is the worker trainer's
 * own, bit for bit; its failure rejects as the same OutpostError (code, message, issues). A worker
 * that dies fails only its training (TRAINING_FAILED) and is replaced for the next one. Workers
 * start on first use and, while idle, do not keep the process alive.
 * @example const trainer = createWorkerTrainer({ size: 2 }); await Promise.all([trainer.train(rows, a), trainer.train(rows, b)]); await trainer.close();
 */
export function createWorkerTrainer(options: WorkerTrainerOptions = {}): WorkerTrainer {
  const size = options.size ?? defaultTrainWorkers();
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a training pool needs a whole number of workers ≥ 1, not ${size}`);
  const { module, factory, options: trainerOptions } = options.trainer ?? TFJS_TRAINER;
  const workerData: TrainWorkerData = { module: String(module), factory, ...(trainerOptions !== undefined ? { options: trainerOptions } : {}) };
  const slots = new Set<Slot>();
  const waiting: Training[] = [];
  let nextId = 1;
  let closed = false;

  function dispatch(): void {
    while (!closed && waiting.length > 0) {
      let slot = [...slots].find((s) => !s.training);
      if (!slot) {
        if (slots.size >= size) return;
        slot = spawn();
      }
      start(slot, waiting.shift()!);
    }
  }

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(ENTRY, { workerData, name: 'outpost-trainer' }) };
    slots.add(slot);
    slot.worker.on('message', (message: FromWorker) => receive(slot, message));
    slot.worker.on('error', (e) => (slot.crash ??= e));
    slot.worker.on('messageerror', (e) => {
      slots.delete(slot); // no new training for a worker on its way out
      finish(slot)?.reject(new OutpostError('TRAINING_FAILED', `the training worker's answer could not be read: ${e.message}`, { cause: e }));
      void slot.worker.terminate();
    });
    slot.worker.on('exit', (code) => {
      slots.delete(slot);
      const why = slot.crash ? `${slot.crash.name}: ${slot.crash.message}` : `exit code ${code}`;
      finish(slot)?.reject(new OutpostError('TRAINING_FAILED', `the training worker stopped before the training finished (${why})`, { cause: slot.crash }));
      dispatch(); // a new worker for whatever waits
    });
    return slot;
  }

  function start(slot: Slot, training: Training): void {
    slot.training = training;
    slot.worker.ref();
    try {
      slot.worker.postMessage({ type: 'train', id: training.id, rows: training.rows, config: training.config } satisfies ToWorker);
    } catch (e) {
      // Rows or config that structured clone cannot copy: this training fails, the worker stays.
      finish(slot)?.reject(new OutpostError('TRAINING_FAILED', `the training could not be sent to a worker: ${(e as Error).message}`, { cause: e }));
      dispatch();
    }
  }

  /** Frees the slot; returns the training it had. */
  function finish(slot: Slot): Training | undefined {
    const training = slot.training;
    slot.training = undefined;
    slot.worker.unref();
    return training;
  }

  function receive(slot: Slot, message: FromWorker): void {
    const training = slot.training;
    if (!training || message.id !== training.id) return;
    if (message.type === 'epoch') {
      // In order, each awaited before the worker goes on: as a hook on the training's own thread is.
      training.hooksDone = training.hooksDone
        .then(() => (training.hookError ? undefined : training.hooks.onEpoch?.(message.metrics)))
        .catch((error: unknown) => void (training.hookError ??= { error }))
        .then(() => {
          if (slot.training === training) slot.worker.postMessage({ type: 'epoch-done', id: training.id, stop: training.hookError !== undefined } satisfies ToWorker);
        });
      return;
    }
    finish(slot);
    dispatch();
    void training.hooksDone.then(() => {
      if (training.hookError) training.reject(training.hookError.error);
      else if (message.type === 'done') training.resolve(message.result);
      else training.reject(deserializeError(message.error));
    });
  }

  return {
    concurrency: size,
    train(rows, config, hooks = {}) {
      if (closed) return Promise.reject(new OutpostError('TRAINING_FAILED', 'the training pool is closed'));
      return new Promise<TrainResult>((resolve, reject) => {
        waiting.push({ id: nextId++, rows, config, hooks, resolve, reject, hooksDone: Promise.resolve() });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const error = new OutpostError('TRAINING_FAILED', 'the training pool was closed before the training finished');
      for (const training of waiting.splice(0)) training.reject(error);
      await Promise.all(
        [...slots].map((slot) => {
          finish(slot)?.reject(error);
          return slot.worker.terminate();
        }),
      );
    },
  };
}

function deserializeError(e: SerializedError): Error {
  if (e.kind === 'outpost') return new OutpostError(e.code, e.message, e.issues ? { issues: e.issues } : {});
  if (e.kind === 'hook') return new Error('the epoch hook failed');
  const error = new Error(e.message);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
