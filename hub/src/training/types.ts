import type { FeatureSpec, RawRecord } from '@outpost/shared';
import type { z } from 'zod';
import type { TensorInfoSchema } from '@outpost/shared';

export type TensorInfo = z.infer<typeof TensorInfoSchema>;

/** A feature the user names, optionally forcing its kind (otherwise inferred from the data). */
export interface FeatureChoice {
  name: string;
  kind?: 'numeric' | 'categorical';
}

/** Everything that determines a trained model, besides the data. Recorded with each run. */
export interface TrainConfig {
  /** Column to predict (classification). */
  label: string;
  /** Columns to use; default: every column but the label. */
  features?: FeatureChoice[];
  /** Hidden layer width; 0 trains a softmax regression. */
  hiddenUnits: number;
  epochs: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Fraction of rows held out (seeded) for validation and the ONNX parity check. */
  validationFraction: number;
  /** Why training went ahead on a dataset version that failed its suite (recorded with the run). */
  allowFailedValidation?: string;
}

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, 'label'> = {
  hiddenUnits: 16,
  epochs: 60,
  learningRate: 0.01,
  batchSize: 32,
  seed: 42,
  validationFraction: 0.2,
};

export interface TrainMetrics {
  trainRows: number;
  validationRows: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
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
