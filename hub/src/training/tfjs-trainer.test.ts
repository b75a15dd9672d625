import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { encodeRecords } from '@outpost/shared';
import { runOnnx } from '../packaging/parity.ts';
import { createTfjsTrainer } from './tfjs-trainer.ts';
import { rejectionOf } from '../test-support/errors.ts';
import { penguins } from '../test-support/penguins.ts';
import { DEFAULT_TRAIN_CONFIG, type EpochMetrics, type TrainConfig, type TrainResult } from './types.ts';


// The defaults (60 epochs, 16 hidden units): well under a second per training on the CPU backend.
const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, label: 'Species' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');


describe('createTfjsTrainer on penguins', () => {
  const trainer = createTfjsTrainer();
  let first: TrainResult;

  beforeAll(async () => {
    expect(penguins).toHaveLength(344);
    first = await trainer.train(penguins, config);
  });

  it('learns the species from held-out rows, and is evaluated on held-back test rows', () => {
    // 344 rows: 69 validation (20 %), 52 test (15 %), the rest to train.
    expect(first.metrics).toMatchObject({ trainRows: 223, validationRows: 69, testRows: 52 });
    const evaluation = first.evaluation;
    if (evaluation.task === 'regression') throw new Error('expected a classification report');
    expect(evaluation.task).toBe('classification');
    expect(evaluation.test!.rows).toBe(52);
    expect(first.metrics.testAccuracy).toBe(evaluation.test!.accuracy);
    expect(first.metrics.testAccuracy).toBeGreaterThan(0.9);
    expect(evaluation.baseline!.accuracy).toBeLessThan(0.6);
    expect(evaluation.validation.accuracy).toBe(first.metrics.validationAccuracy);
    expect(first.metrics.validationAccuracy).toBeGreaterThan(0.9);
    expect(first.metrics.validationLoss).toBeLessThan(0.5);
    expect(first.features.label).toEqual({ name: 'Species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
  });

  it('describes the model input and output', () => {
    // Island (3 categories) + 4 measurements + Sex (".", FEMALE, MALE): 10 inputs.
    expect(first.input).toEqual({ name: 'input', shape: [-1, 10], type: 'float32' });
    expect(first.output).toEqual({ name: 'probabilities', shape: [-1, 3], type: 'float32' });
  });

  it('ships ONNX that agrees with tfjs on the validation rows', () => {
    expect(first.parity.rows).toBe(69);
    expect(first.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });

  it('standardizes the measurements inside the ONNX graph: the device sends raw numbers', () => {
    const mass = first.features.features.find((f) => f.name === 'Body Mass (g)')!;
    expect(mass).toMatchObject({ kind: 'numeric', inGraph: true });
    // The shared encoding passes the grams through; the graph's prefix (Sub, Mul, …) standardizes.
    const x = encodeRecords(first.features, [{ ...penguins[0]!, 'Body Mass (g)': 3750 }]);
    expect(Array.from(x)).toContain(3750);
    for (const op of ['transform.shift', 'transform.scale', 'transform.out']) expect(Buffer.from(first.onnx).includes(op)).toBe(true);
  });

  it('runs on raw records through the exported feature spec', async () => {
    const sample = penguins.filter((r) => r.Species !== null).slice(0, 40);
    const probs = await runOnnx(first.onnx, 'input', encodeRecords(first.features, sample), [sample.length, 10]);
    const predicted = sample.map((_, r) => {
      const row = Array.from(probs.subarray(r * 3, r * 3 + 3));
      return ['Adelie', 'Chinstrap', 'Gentoo'][row.indexOf(Math.max(...row))];
    });
    const correct = predicted.filter((p, i) => p === sample[i]!.Species).length;
    expect(correct / sample.length).toBeGreaterThan(0.9);
  });

  it('is reproducible: same seed, same bytes; another seed, other bytes', async () => {
    const again = await trainer.train(penguins, config);
    expect(sha256(again.onnx)).toBe(sha256(first.onnx));
    expect(again.metrics).toEqual(first.metrics);
    const other = await trainer.train(penguins, { ...config, seed: config.seed + 1 });
    expect(sha256(other.onnx)).not.toBe(sha256(first.onnx));
  });

  it('trains a softmax regression when hiddenUnits is 0', async () => {
    const result = await trainer.train(penguins, { ...config, hiddenUnits: 0 });
    expect(result.metrics.validationAccuracy).toBeGreaterThan(0.9);
    expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(result.onnx.length).toBeLessThan(first.onnx.length);
  });

  it('keeps the bytes it exported before model options existed (hiddenUnits 16 ≡ layers [16])', async () => {
    // Recorded when numeric transforms moved into the graph (before: 6b394ecb…, the same network
    // without the input prefix); layers/dropout/l2/earlyStopping/backend defaults must not move it.
    expect(sha256(first.onnx)).toBe('03e63a20ccd1e62f58d8d7b147b3f1a0a9aa59f86e6e98f2cdaa61ce29dcb350');
    const viaLayers = await trainer.train(penguins, { ...config, hiddenUnits: 0, layers: [16] });
    expect(sha256(viaLayers.onnx)).toBe(sha256(first.onnx));
    const none = await trainer.train(penguins, { ...config, hiddenUnits: 16, layers: [], epochs: 5 });
    const regression = await trainer.train(penguins, { ...config, hiddenUnits: 0, epochs: 5 });
    expect(sha256(none.onnx)).toBe(sha256(regression.onnx));
  });

  it('exports two hidden layers as ONNX that agrees with tfjs', async () => {
    const result = await trainer.train(penguins, { ...config, layers: [32, 16] });
    expect(result.input).toEqual({ name: 'input', shape: [-1, 10], type: 'float32' });
    expect(result.output).toEqual({ name: 'probabilities', shape: [-1, 3], type: 'float32' });
    expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(result.metrics.validationAccuracy).toBeGreaterThan(0.9);
    // 10·32+32 + 32·16+16 + 16·3+3 = 931 weights, against 10·16+16 + 16·3+3 = 227 for the default.
    expect(result.onnx.length - first.onnx.length).toBeGreaterThan((931 - 227) * 4);
    const sample = penguins.filter((r) => r.Species !== null).slice(0, 5);
    const probs = await runOnnx(result.onnx, 'input', encodeRecords(result.features, sample), [5, 10]);
    expect(probs).toHaveLength(15);
  });

  it('trains on the WASM backend too: its own reproducible bytes, with parity', async () => {
    const a = await trainer.train(penguins, { ...config, backend: 'wasm' });
    const b = await trainer.train(penguins, { ...config, backend: 'wasm' });
    expect(a.system.backend).toBe('wasm');
    expect(sha256(b.onnx)).toBe(sha256(a.onnx));
    expect(b.metrics).toEqual(a.metrics);
    // Other kernels, other summation order: other bits than the CPU backend, as good a model.
    expect(sha256(a.onnx)).not.toBe(sha256(first.onnx));
    expect(a.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(a.metrics.testAccuracy).toBeGreaterThan(0.9);
    // And back: the CPU backend still gives its recorded bytes.
    expect(sha256((await trainer.train(penguins, config)).onnx)).toBe(sha256(first.onnx));
    const e = await rejectionOf(trainer.train(penguins, { ...config, backend: 'webgl' as never }));
    expect(e.issues?.map((i) => i.path)).toEqual(['backend']);
  });

  it('trains tanh and sigmoid hidden layers, exported with the same activation', async () => {
    for (const activation of ['tanh', 'sigmoid'] as const) {
      const result = await trainer.train(penguins, { ...config, activation, epochs: 30 });
      expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
      expect(result.metrics.validationAccuracy).toBeGreaterThan(0.9);
      expect(sha256(result.onnx)).not.toBe(sha256(first.onnx));
      // The op's name is in the graph: Tanh / Sigmoid.
      expect(Buffer.from(result.onnx).includes(activation === 'tanh' ? 'Tanh' : 'Sigmoid')).toBe(true);
    }
    const e = await rejectionOf(trainer.train(penguins, { ...config, activation: 'gelu' as never }));
    expect(e.issues?.map((i) => i.path)).toEqual(['activation']);
  });

  it('trains with dropout and L2, reproducibly, and leaves dropout out of the ONNX', async () => {
    const regularized: TrainConfig = { ...config, layers: [32, 16], dropout: 0.2, l2: 1e-4 };
    const a = await trainer.train(penguins, regularized);
    expect(a.metrics.validationAccuracy).toBeGreaterThan(0.9);
    expect(a.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const b = await trainer.train(penguins, regularized);
    expect(sha256(b.onnx)).toBe(sha256(a.onnx));
    expect(b.metrics).toEqual(a.metrics);
    // Dropout (and L2) change the weights, not the graph: same size as without them.
    const plain = await trainer.train(penguins, { ...config, layers: [32, 16] });
    expect(sha256(plain.onnx)).not.toBe(sha256(a.onnx));
    expect(a.onnx.length).toBe(plain.onnx.length);
    const onlyDropout = await trainer.train(penguins, { ...config, layers: [32, 16], dropout: 0.2 });
    expect(sha256(onlyDropout.onnx)).not.toBe(sha256(plain.onnx));
  });

  it('stops early and exports the best epoch', async () => {
    const curve: EpochMetrics[] = [];
    const result = await trainer.train(penguins, { ...config, epochs: 300, learningRate: 0.05, earlyStopping: { patience: 2 } }, { onEpoch: (m) => void curve.push(m) });
    const { epochsRun, bestEpoch } = result.metrics;
    expect(epochsRun).toBeLessThan(300);
    expect(curve).toHaveLength(epochsRun!);
    expect(epochsRun! - bestEpoch!).toBe(2);
    const best = curve[bestEpoch! - 1]!;
    expect(Math.min(...curve.map((m) => m.validationLoss))).toBe(best.validationLoss);
    expect(Math.abs(result.metrics.validationLoss - best.validationLoss)).toBeLessThanOrEqual(1e-6);
    expect(result.metrics.validationAccuracy).toBe(best.validationAccuracy);
    expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    // Without early stopping the metrics carry no epoch counts.
    expect(first.metrics.epochsRun).toBeUndefined();
  });

  it('leaves no tensors behind', async () => {
    const tf = await import('@tensorflow/tfjs');
    const before = tf.memory().numTensors;
    await trainer.train(penguins, { ...config, epochs: 2 });
    expect(tf.memory().numTensors).toBe(before);
    await trainer.train(penguins, { ...config, epochs: 6, layers: [8, 8], dropout: 0.3, l2: 1e-3, earlyStopping: { patience: 1, minDelta: 1 } });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('createTfjsTrainer regression on penguins (body mass from the other columns)', () => {
  const trainer = createTfjsTrainer();
  const regression: TrainConfig = { ...config, label: 'Body Mass (g)', task: 'regression', sliceBy: 'Species' };
  let result: TrainResult;
  const labelled = penguins.filter((r) => typeof r['Body Mass (g)'] === 'number');

  beforeAll(async () => {
    result = await trainer.train(penguins, regression);
  });

  it('predicts one value per row, in grams, and beats predicting the mean', () => {
    expect(result.features.label).toEqual({ name: 'Body Mass (g)', task: 'regression' });
    expect(result.output).toEqual({ name: 'value', shape: [-1, 1], type: 'float32' });
    // Island (3) + Species (3) + 3 measurements + Sex (3): the label is no input.
    expect(result.input.shape).toEqual([-1, 12]);
    if (result.evaluation.task !== 'regression') throw new Error('expected a regression report');
    const m = result.metrics;
    expect(m.testRows).toBeGreaterThan(40);
    // Body mass has a deviation of about 800 g; the other measurements explain most of it.
    expect(m.testRmse!).toBeLessThan(400);
    expect(m.testR2!).toBeGreaterThan(0.75);
    expect(m.testRmse!).toBeLessThan(m.baselineRmse! / 2);
    expect(m.validationRmse).toBe(result.evaluation.validation.rmse);
    expect(m.validationAccuracy).toBeUndefined();
    expect(result.evaluation.slices!.slices.map((s) => s.slice).sort()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it("ships ONNX whose values agree with tfjs, in the label's units", async () => {
    expect(result.parity.maxRelDiff!).toBeLessThanOrEqual(1e-5);
    const sample = labelled.slice(0, 50);
    const values = await runOnnx(result.onnx, 'input', encodeRecords(result.features, sample), [sample.length, 12]);
    expect(values).toHaveLength(50);
    const mae = sample.reduce((s, r, i) => s + Math.abs(values[i]! - (r['Body Mass (g)'] as number)), 0) / sample.length;
    expect(mae).toBeLessThan(400);
    // Grams, not standardized units.
    expect(Math.min(...values)).toBeGreaterThan(2000);
  });

  it('keeps a reference profile of its predictions', () => {
    const prediction = result.reference.outputs.columns.find((c) => c.name === 'prediction')!;
    expect(prediction).toBeDefined();
    expect(prediction.count).toBe(result.metrics.trainRows);
    expect(result.reference.features.columns.map((c) => c.name)).not.toContain('Body Mass (g)');
  });

  it('is reproducible: same seed, same bytes', async () => {
    const again = await trainer.train(penguins, regression);
    expect(sha256(again.onnx)).toBe(sha256(result.onnx));
    expect(again.metrics).toEqual(result.metrics);
  });

  it('reports the validation RMSE each epoch, and stops early on validation loss', async () => {
    const epochs: EpochMetrics[] = [];
    const stopped = await trainer.train(penguins, { ...regression, epochs: 200, earlyStopping: { patience: 3 } }, { onEpoch: (e) => void epochs.push(e) });
    expect(epochs[0]).toMatchObject({ epoch: 1 });
    expect(epochs[0]!.validationRmse).toBeGreaterThan(0);
    expect(epochs[0]!.validationAccuracy).toBeUndefined();
    expect(stopped.metrics.epochsRun).toBe(epochs.length);
    expect(stopped.metrics.epochsRun!).toBeLessThan(200);
  });

  it('refuses a label that is not a number, naming the row', async () => {
    const e = await rejectionOf(trainer.train(penguins, { ...regression, label: 'Island' }));
    expect(e.code).toBe('INVALID_DATASET');
    expect(e.issues?.[0]).toMatchObject({ path: 'label', column: 'Island', row: 1 });
  });

  it('refuses a constant label', async () => {
    const e = await rejectionOf(trainer.train(penguins.map((r) => ({ ...r, y: 5 })), { ...regression, label: 'y' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/at least 2 distinct values/);
  });
});

describe('createTfjsTrainer rejects', () => {
  const trainer = createTfjsTrainer();

  it('a single-class label with VALIDATION_FAILED naming the label', async () => {
    const adelie = penguins.filter((r) => r.Species === 'Adelie');
    const e = await rejectionOf(trainer.train(adelie, config));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.[0]).toMatchObject({ path: 'label', column: 'Species' });
  });

  it('settings out of range with VALIDATION_FAILED listing each', async () => {
    const e = await rejectionOf(trainer.train(penguins, { ...config, epochs: 0, validationFraction: 1 }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.map((i) => i.path)).toEqual(['epochs', 'validationFraction', 'testFraction']);
  });

  it('bad model options with VALIDATION_FAILED naming each field', async () => {
    const e = await rejectionOf(
      trainer.train(penguins, { ...config, layers: [16, 0, 2.5], dropout: 0.9, l2: -1, earlyStopping: { patience: 0, minDelta: -0.1 } }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.map((i) => i.path)).toEqual(['layers', 'dropout', 'l2', 'earlyStopping.patience', 'earlyStopping.minDelta']);
    const tooMany = await rejectionOf(trainer.train(penguins, { ...config, layers: Array(9).fill(4), earlyStopping: { patience: 1 }, validationFraction: 0 }));
    expect(tooMany.issues?.map((i) => i.path)).toEqual(['layers', 'earlyStopping']);
    const tooWide = await rejectionOf(trainer.train(penguins, { ...config, layers: [4097] }));
    expect(tooWide.issues?.map((i) => i.path)).toEqual(['layers']);
  });

  it('a model whose ONNX export disagrees with tfjs with TRAINING_FAILED', async () => {
    const skewed = createTfjsTrainer({
      runOnnx: async (...args) => (await runOnnx(...args)).map((p) => p + 1e-3),
    });
    const e = await rejectionOf(skewed.train(penguins, { ...config, epochs: 2 }));
    expect(e.code).toBe('TRAINING_FAILED');
    expect(e.message).toMatch(/disagrees with tfjs/);
  });
});
