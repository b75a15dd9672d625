// Model evaluation, pure: reports for classifiers and regressors, per-slice reports, dummy
// baselines for acceptance gates, and the reports' zod schemas. No Hono, no drizzle.
export { evaluateClassifier, logLoss, LOG_LOSS_EPS } from './classifier.ts';
export { evaluateRegressor, DEFAULT_RESIDUAL_BINS, DEFAULT_RESIDUAL_SAMPLE } from './regressor.ts';
export { evaluateBySlice, MISSING_SLICE } from './slices.ts';
export { dummyClassifierReport, dummyRegressorReport } from './dummy.ts';
export { binaryRocAuc } from './roc-auc.ts';
export { DEFAULT_CALIBRATION_BINS } from './calibration.ts';
export { ROW_SUM_TOLERANCE } from './validate.ts';
export { ClassificationReportSchema, RegressionReportSchema } from './schema.ts';
export type {
  AveragedMetrics,
  Calibration,
  CalibrationBin,
  ClassificationReport,
  ClassifierInput,
  ClassifierOptions,
  ClassMetrics,
  RegressionReport,
  RegressorInput,
  RegressorOptions,
  ResidualPoint,
  SliceReport,
} from './types.ts';
