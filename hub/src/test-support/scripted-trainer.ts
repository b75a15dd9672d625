/**
 * A trainer for worker-pool tests, loaded inside the worker threads (createWorkerTrainer's `trainer`
 * option). The label scripts what it does:
 * - `crash`: throws outside any promise, which kills the worker thread;
 * - `outpost-error` / `plain-error`: rejects with an OutpostError (with issues) / a TypeError;
 * - `meet`: waits (up to 10 s) until another training is in progress at the same time;
 * - anything else: `config.epochs` epochs of 5 ms, each awaiting its hook, then a result.
 * `counters` (shared memory) counts trainings in progress [0] and the most seen at once [1].
 */
import { threadId } from 'node:worker_threads';
import { OutpostError } from '@outpost/shared';
import type { TrainResult, Trainer } from '../training/types.ts';

export function createScriptedTrainer(options: { counters: Int32Array }): Trainer {
  const { counters } = options;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    async train(rows, config, hooks = {}) {
      const now = Atomics.add(counters, 0, 1) + 1;
      for (let seen = Atomics.load(counters, 1); now > seen; seen = Atomics.load(counters, 1)) Atomics.compareExchange(counters, 1, seen, now);
      try {
        if (config.label === 'crash') {
          setTimeout(() => {
            throw new RangeError('scripted crash');
          });
          return await new Promise<never>(() => {});
        }
        if (config.label === 'outpost-error') throw new OutpostError('INVALID_DATASET', 'row 3 has no label', { issues: [{ row: 3, column: 'Species', message: 'missing' }] });
        if (config.label === 'plain-error') throw new TypeError('scripted failure');
        if (config.label === 'meet') for (let waited = 0; Atomics.load(counters, 0) < 2 && waited < 10_000; waited += 10) await sleep(10);
        for (let epoch = 1; epoch <= config.epochs; epoch++) {
          await sleep(5);
          await hooks.onEpoch?.({ epoch, loss: 1 / epoch, validationLoss: 1 / epoch });
        }
        // Only what the pool's tests look at; the pool passes any shape through.
        return { onnx: new Uint8Array([rows.length, config.epochs, threadId]), metrics: { trainRows: rows.length, met: Atomics.load(counters, 0) } } as unknown as TrainResult;
      } finally {
        Atomics.sub(counters, 0, 1);
      }
    },
  };
}
