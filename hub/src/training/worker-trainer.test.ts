import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { OutpostError } from '@outpost/shared';
import { createTfjsTrainer } from './tfjs-trainer.ts';
import { createWorkerTrainer } from './worker-trainer.ts';
import { trainerConcurrency } from './search-job.ts';
import { rejectionOf } from '../test-support/errors.ts';
import { penguins } from '../test-support/penguins.ts';
import { DEFAULT_TRAIN_CONFIG, type EpochMetrics, type TrainConfig } from './types.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, label: 'Species', epochs: 8, layers: [8, 4], dropout: 0.1 };

describe('createWorkerTrainer with the tfjs trainer', () => {
  const pool = createWorkerTrainer({ size: 1 });
  afterAll(() => pool.close());

  it('trains in a worker thread exactly what the in-thread trainer trains: same epochs, same result, same ONNX bytes', async () => {
    const epochs = { local: [] as EpochMetrics[], worker: [] as EpochMetrics[] };
    const local = await createTfjsTrainer().train(penguins, config, { onEpoch: (m) => void epochs.local.push(m) });
    const worker = await pool.train(penguins, config, { onEpoch: (m) => void epochs.worker.push(m) });
    expect(sha256(worker.onnx)).toBe(sha256(local.onnx));
    // Everything else alike too (the bytes arrive as a Uint8Array; in-thread, protobufjs hands a Buffer).
    expect({ ...worker, onnx: [...worker.onnx] }).toEqual({ ...local, onnx: [...local.onnx] });
    expect(epochs.worker).toEqual(epochs.local);
    expect(epochs.worker.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects with the OutpostError the in-thread trainer throws: code, message, issues', async () => {
    const bad = { ...config, label: 'Wingspan' };
    const local = await rejectionOf(createTfjsTrainer().train(penguins, bad));
    const worker = await rejectionOf(pool.train(penguins, bad));
    expect(worker).toBeInstanceOf(OutpostError);
    expect(worker.toBody()).toEqual(local.toBody());
    expect(worker.issues?.length).toBeGreaterThan(0);
  });
});

describe('createWorkerTrainer pool (scripted trainer)', () => {
  const scripted = (size: number) => {
    const counters = new Int32Array(new SharedArrayBuffer(8));
    const trainer = createWorkerTrainer({ size, trainer: { module: new URL('../test-support/scripted-trainer.ts', import.meta.url), factory: 'createScriptedTrainer', options: { counters } } });
    pools.push(trainer);
    return { trainer, counters };
  };
  const pools: ReturnType<typeof createWorkerTrainer>[] = [];
  afterAll(() => Promise.all(pools.map((p) => p.close())));
  const rows = [{ a: 1 }, { a: 2 }];
  const run = (label: string, epochs = 3) => ({ ...DEFAULT_TRAIN_CONFIG, label, epochs });

  it('runs `size` trainings at once and queues the rest', async () => {
    const two = scripted(2);
    expect(two.trainer.concurrency).toBe(2);
    expect(trainerConcurrency(two.trainer)).toBe(2);
    const results = await Promise.all([two.trainer.train(rows, run('meet')), two.trainer.train(rows, run('meet')), two.trainer.train(rows, run('x')), two.trainer.train(rows, run('y'))]);
    expect(results.map((r) => [...r.onnx].slice(0, 2))).toEqual([[2, 3], [2, 3], [2, 3], [2, 3]]);
    expect(Atomics.load(two.counters, 1)).toBe(2); // two met, never a third
    expect(new Set(results.map((r) => r.onnx[2])).size).toBe(2); // two threads did all four

    const one = scripted(1);
    await Promise.all([1, 2, 3].map((epochs) => one.trainer.train(rows, run('x', epochs))));
    expect(Atomics.load(one.counters, 1)).toBe(1);
  });

  it('calls the epoch hook in order, awaiting each, and resolves after the last', async () => {
    const { trainer } = scripted(1);
    const seen: number[] = [];
    let pending = 0;
    const result = await trainer.train(rows, run('x', 6), {
      onEpoch: async (m) => {
        expect(pending).toBe(0);
        pending++;
        await new Promise((r) => setTimeout(r, (7 - m.epoch) * 3)); // earlier epochs slower
        seen.push(m.epoch);
        pending--;
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.onnx[1]).toBe(6);
  });

  it("rejects with the hook's own error when it throws, and stops the training there", async () => {
    const { trainer } = scripted(1);
    const boom = new Error('listener failed');
    const seen: number[] = [];
    await expect(trainer.train(rows, run('x', 5), { onEpoch: (m) => { seen.push(m.epoch); if (m.epoch === 2) throw boom; } })).rejects.toBe(boom);
    expect(seen).toEqual([1, 2]);
    expect((await trainer.train(rows, run('x', 1))).onnx[1]).toBe(1); // the worker goes on
  });

  it("rethrows a trainer's failure as the same error: an OutpostError with its code and issues, or the error's name and message", async () => {
    const { trainer } = scripted(1);
    const outpost = await rejectionOf(trainer.train(rows, run('outpost-error')));
    expect(outpost.toBody()).toEqual({ error: { code: 'INVALID_DATASET', message: 'row 3 has no label', issues: [{ row: 3, column: 'Species', message: 'missing' }] } });
    const plain = await trainer.train(rows, run('plain-error')).catch((e: unknown) => e as Error);
    expect(plain).not.toBeInstanceOf(OutpostError);
    expect(plain).toMatchObject({ name: 'TypeError', message: 'scripted failure' });
  });

  it('fails only the training whose worker crashed, and replaces the worker', async () => {
    const { trainer } = scripted(1);
    const before = (await trainer.train(rows, run('x', 1))).onnx[2];
    const [crashed, next] = await Promise.allSettled([trainer.train(rows, run('crash')), trainer.train(rows, run('x', 2))]);
    expect(crashed.status).toBe('rejected');
    const error = (crashed as PromiseRejectedResult).reason as OutpostError;
    expect(error).toBeInstanceOf(OutpostError);
    expect(error.code).toBe('TRAINING_FAILED');
    expect(error.message).toMatch(/training worker stopped .*RangeError: scripted crash/);
    expect(next.status).toBe('fulfilled');
    const after = (next as PromiseFulfilledResult<{ onnx: Uint8Array }>).value.onnx;
    expect(after[1]).toBe(2);
    expect(after[2]).not.toBe(before); // a new thread
  });

  it('rejects what is in progress or waiting when closed, and everything after', async () => {
    const { trainer } = scripted(1);
    const running = rejectionOf(trainer.train(rows, run('x', 200)));
    const waiting = rejectionOf(trainer.train(rows, run('x', 1)));
    await new Promise((r) => setTimeout(r, 50));
    await trainer.close();
    for (const p of [running, waiting, rejectionOf(trainer.train(rows, run('x', 1)))]) expect((await p).code).toBe('TRAINING_FAILED');
  });

  it('says 1 for a trainer that does not say its concurrency', () => {
    expect(trainerConcurrency(createTfjsTrainer())).toBe(1);
    expect(trainerConcurrency(undefined)).toBe(1);
  });
});
