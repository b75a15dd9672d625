import type { DatasetProfile, FeatureSpec, RawRecord } from '@outpost/shared';
import type { z } from 'zod';
import type { TensorInfoSchema } from '@outpost/shared';
import type { ClassificationReport, SliceReport } from './evaluation/index.ts';
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
  /** Column to predict (classification). */
  label: string;
  /** Columns to use; default: every column but the label. */
  features?: FeatureChoice[];
  /** Hidden layer width; 0 trains a softmax regression. Ignored when `layers` is given. */
  hiddenUnits: number;
  /** Hidden layer widths, in order (dense + relu each); replaces `hiddenUnits` (N ≡ [N], 0 ≡ []). */
  layers?: number[];
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
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  /** On the held-back test rows (absent without them): accuracy, macro F1, log loss, and the accuracy of always predicting the most frequent training class. */
  testAccuracy?: number;
  testMacroF1?: number;
  testLogLoss?: number;
  baselineAccuracy?: number;
  /** With early stopping: epochs actually trained, and the (1-based) epoch whose weights were kept. */
  epochsRun?: number;
  bestEpoch?: number;
}

/** Full reports: on validation, on test (null without test rows), of the dummy baseline on test, and per slice of test. */
export interface TrainEvaluation {
  validation: ClassificationReport;
  test: ClassificationReport | null;
  baseline: ClassificationReport | null;
  slices: { column: string; slices: SliceReport<ClassificationReport>[] } | null;
}

/** One epoch's numbers, reported as training goes (live progress, learning curves). */
export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  validationLoss: number;
  validationAccuracy: number;
}

export interface TrainHooks {
  /** After each epoch; awaited, so a slow listener slows training rather than piling up. */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
}

export interface TrainResult {
  /** The ONNX model bytes: raw (encoded) input → class probabilities. */
  onnx: Uint8Array;
  features: FeatureSpec;
  input: TensorInfo;
  output: TensorInfo;
  metrics: TrainMetrics;
  /** onnxruntime-web against tfjs on the held-out rows. */
  parity: { rows: number; maxAbsDiff: number };
  evaluation: TrainEvaluation;
  /**
   * Reference statistics for drift monitoring, on the training rows: each input feature's profile
   * (histogram edges and counts, quantiles, category frequencies) and the model's outputs on them
   * (each class's probability, and the predicted class).
   */
  reference: { features: DatasetProfile; outputs: DatasetProfile };
  /** SHA-256 of the split (train and validation row indices) and of the fitted feature pipeline. */
  lineage: { splitHash: string; featuresHash: string };
  /** What trained it. */
  system: { tfjs: string; backend: string };
}

/**
 * Trains a classifier on raw rows and returns it packaged as ONNX.
 * Throws OutpostError ('VALIDATION_FAILED' for a bad config, 'INVALID_DATASET' for bad data,
 * 'TRAINING_FAILED' when parity fails) naming the column/row at fault.
 */
export interface Trainer {
  train(rows: readonly RawRecord[], config: TrainConfig, hooks?: TrainHooks): Promise<TrainResult>;
}
