import type { FeatureSpec, RawRecord, ReferenceProfile, Task } from '@outpost/shared';
import type { z } from 'zod';
import type { TensorInfoSchema } from '@outpost/shared';
import type { ClassificationReport, RegressionReport, SliceReport } from './evaluation/index.ts';
import type { Gate } from './gates.ts';
import type { FeatureOptions } from './fit-features.ts';

export type TensorInfo = z.infer<typeof TensorInfoSchema>;

/**
 * A feature the user names, optionally forcing its kind (otherwise inferred from the data) and its
 * transform: see fit-features.ts FeatureOptions.
 */
export type FeatureChoice = FeatureOptions;

/** Everything that determines a trained model, besides the data. Recorded with each run. */
export interface TrainConfig {
  /** Column to predict. */
  label: string;
  /**
   * 'classification' (default): a class per row, softmax over the label's values, cross-entropy.
   * 'regression': a number per row (the label must be numeric); trained on the standardized label
   * with mean squared error, exported to output the label's own units.
   */
  task?: Task;
  /** Columns to use; default: every column but the label. */
  features?: FeatureChoice[];
  /** Hidden layer width; 0 trains a softmax regression. Ignored when `layers` is given. */
  hiddenUnits: number;
  /** Hidden layer widths, in order (dense + relu each); replaces `hiddenUnits` (N ≡ [N], 0 ≡ []). */
  layers?: number[];
  /**
   * The tfjs backend (tf-backend.ts): 'wasm' (faster; what the API and CLI default to) or 'cpu'
   * (pure JS: the same bits on any machine). Absent, as in runs from before: 'cpu'. Recorded with
   * the run, so retraining reproduces it.
   */
  backend?: TrainBackend;
  /** The hidden layers' activation; default 'relu'. */
  activation?: HiddenActivation;
  /** Dropout rate in [0, 0.9) after each hidden layer, while training only (seeded; not in the ONNX). Default 0. */
  dropout?: number;
  /** L2 penalty on every dense kernel; default 0 (none). */
  l2?: number;
  /** Stop once validation loss has not improved by `minDelta` (default 0) for `patience` epochs; the best epoch's weights are exported. */
  earlyStopping?: { patience: number; minDelta?: number };
  epochs: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Fraction of rows held out (seeded) for validation and the ONNX parity check. */
  validationFraction: number;
  /** Fraction of rows held back (seeded) for the final evaluation; 0 (or absent, as in older runs) for none. */
  testFraction?: number;
  /** A categorical column to evaluate by slice (each of its values on its own). */
  sliceBy?: string;
  /** Why training went ahead on a dataset version that failed its suite (recorded with the run). */
  allowFailedValidation?: string;
  /** Acceptance gates on the test rows (training/gates.ts); default: beat the baseline, and parity. */
  gates?: Gate[];
  /** Why a model that failed its gates is registered anyway (recorded with the run). */
  allowFailedGates?: string;
  /** false for a search trial: trained, evaluated and gated, but not registered. Default true. */
  register?: boolean;
  /** What the model is for (and not for), for its model card. */
  intendedUse?: string;
}

/**
 * Where training arithmetic runs. Both are seeded and bit-reproducible run to run on one machine;
 * they give different bits from each other (different kernels, summation orders, exp/log), so a
 * run records its backend beside its weights.
 * - `cpu`: tfjs' pure-JS kernels, float32 in JS. The same bits on every machine.
 * - `wasm`: tfjs-backend-wasm (XNNPACK, WebAssembly SIMD when the runtime has it), one thread.
 *   Faster; the same bits in every process on x86-64, with or without SIMD (measured). XNNPACK picks
 *   x86- or ARM-tuned kernels in WebAssembly, so an ARM host may differ (not measured).
 */
export type TrainBackend = 'cpu' | 'wasm';

export const TRAIN_BACKENDS = ['cpu', 'wasm'] as const;

/** The backend a run gets when its config names none (test/bench/trainer-backends.ts measures the two). */
export const DEFAULT_TRAIN_BACKEND: TrainBackend = 'wasm';

export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, 'label'> = {
  hiddenUnits: 16,
  epochs: 60,
  learningRate: 0.01,
  batchSize: 32,
  seed: 42,
  validationFraction: 0.2,
  testFraction: 0.15,
};

export interface TrainMetrics {
  trainRows: number;
  validationRows: number;
  testRows: number;
  /** Cross-entropy (classification) or mean squared error of the standardized label (regression): what training minimizes. */
  trainLoss: number;
  validationLoss: number;
  /** Classification. */
  trainAccuracy?: number;
  validationAccuracy?: number;
  /** Classification, on the held-back test rows (absent without them): accuracy, macro F1, log loss, and the accuracy of always predicting the most frequent training class. */
  testAccuracy?: number;
  testMacroF1?: number;
  testLogLoss?: number;
  baselineAccuracy?: number;
  /** Regression, in the label's units: RMSE on training and validation rows, MAE and R² on validation. */
  trainRmse?: number;
  validationRmse?: number;
  validationMae?: number;
  validationR2?: number;
  /** Regression, on the held-back test rows: MAE, RMSE, R², and the RMSE and MAE of always predicting the training mean. */
  testMae?: number;
  testRmse?: number;
  testR2?: number;
  baselineRmse?: number;
  baselineMae?: number;
  /** With early stopping: epochs actually trained, and the (1-based) epoch whose weights were kept. */
  epochsRun?: number;
  bestEpoch?: number;
}

/**
 * Full reports: on validation, on test (null without test rows), of the dummy baseline on test, and
 * per slice of test. `task` is absent in runs from before regression (classification).
 */
export type TrainEvaluation = (EvaluationOf<ClassificationReport> & { task?: 'classification' }) | (EvaluationOf<RegressionReport> & { task: 'regression' });

interface EvaluationOf<R> {
  validation: R;
  test: R | null;
  baseline: R | null;
  slices: { column: string; slices: SliceReport<R>[] } | null;
}

/** One epoch's numbers, reported as training goes (live progress, learning curves). */
export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  validationLoss: number;
  /** Classification. */
  validationAccuracy?: number;
  /** Regression, in the label's units. */
  validationRmse?: number;
}

export interface TrainHooks {
  /** After each epoch; awaited, so a slow listener slows training rather than piling up. */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
}

export interface TrainResult {
  /** The ONNX model bytes: encoded input → class probabilities, or the predicted value. */
  onnx: Uint8Array;
  features: FeatureSpec;
  input: TensorInfo;
  output: TensorInfo;
  metrics: TrainMetrics;
  /**
   * onnxruntime-web against tfjs on the held-out rows: the largest absolute difference, and for
   * regression the largest relative one, |a − b| / max(1, |b|) (values in the label's units can be large).
   */
  parity: { rows: number; maxAbsDiff: number; maxRelDiff?: number };
  evaluation: TrainEvaluation;
  /**
   * Reference statistics for drift monitoring, on the training rows: each input feature's profile
   * (histogram edges and counts, quantiles, category frequencies) and the model's outputs on them
   * (each class's probability and the predicted class, or the predicted value).
   */
  reference: ReferenceProfile;
  /** SHA-256 of the split (train and validation row indices) and of the fitted feature pipeline. */
  lineage: { splitHash: string; featuresHash: string };
  /** What trained it. */
  system: { tfjs: string; backend: string };
}

/**
 * Trains a classifier or regressor on raw rows and returns it packaged as ONNX.
 * Throws OutpostError ('VALIDATION_FAILED' for a bad config, 'INVALID_DATASET' for bad data,
 * 'TRAINING_FAILED' when parity fails) naming the column/row at fault.
 */
export interface Trainer {
  /** How many trainings it runs at once (the worker pool: its size); absent: 1. */
  readonly concurrency?: number;
  train(rows: readonly RawRecord[], config: TrainConfig, hooks?: TrainHooks): Promise<TrainResult>;
}
