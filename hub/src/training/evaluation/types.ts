/**
 * The shapes an evaluation answers. Plain JSON (no NaN, no Infinity, no typed arrays) because a
 * report is stored with its run, sent to the console and compared by acceptance gates; schema.ts
 * holds the zod form and a compile-time check that the two stay the same.
 */

/** Precision, recall and F1 of one class, and how many rows truly belong to it. */
export interface ClassMetrics {
  class: string;
  /** TP / (TP + FP); 0 when the class is never predicted (scikit-learn's zero_division=0). */
  precision: number;
  /** TP / (TP + FN); 0 when the class has no rows (zero_division=0). */
  recall: number;
  /** 2·TP / (2·TP + FP + FN), the harmonic mean of the two; 0 when TP = 0. */
  f1: number;
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

/** Bin [lower, upper) of a reliability diagram; the last bin is closed. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability of the rows in the bin; null when the bin is empty. */
  meanConfidence: number | null;
  /** Fraction of the bin's rows whose outcome was "yes" (see Calibration.method); null when empty. */
  accuracy: number | null;
}

export interface Calibration {
  /**
   * 'positive-class' (two classes): the probability of classes[1] against whether the row is
   * classes[1], the usual binary reliability diagram. 'top-label' (one class, or three or more):
   * the top-class probability against whether the argmax prediction was right.
   */
  method: 'positive-class' | 'top-label';
  /** Every bin, empty ones included, so a chart's x-axis does not depend on the data. */
  bins: CalibrationBin[];
  /** Expected calibration error: Σ count/n · |accuracy − meanConfidence| over non-empty bins. */
  ece: number;
}

export interface ClassificationReport {
  rows: number;
  accuracy: number;
  /** One entry per class, in the order of the input's `classes`. */
  perClass: ClassMetrics[];
  /** Unweighted mean over the classes that occur among the true labels or the predictions. */
  macro: AveragedMetrics;
  /** Mean over classes weighted by support (recall then equals accuracy). */
  weighted: AveragedMetrics;
  rocAuc: {
    /** One-vs-rest AUC per class; null when the class is absent or is every row's label. */
    perClass: (number | null)[];
    /** Mean of the non-null entries; null when all are null. */
    macro: number | null;
  };
  /** Mean −ln p(true class), each probability clipped to [1e-15, 1 − 1e-15]. */
  logLoss: number;
  /** confusion[true][predicted], classes in input order; prediction = argmax, ties → lowest index. */
  confusion: number[][];
  calibration: Calibration;
}

export interface ClassifierInput {
  /** The true class index (into `classes`) of each row. */
  labels: readonly number[];
  /** One row of class probabilities per row, `classes.length` wide, summing to 1 (±1e-3). */
  probabilities: readonly ArrayLike<number>[];
  classes: readonly string[];
}

export interface ClassifierOptions {
  /** Equal-width bins over [0, 1] for the reliability diagram and ECE. Default 10. */
  calibrationBins?: number;
}

export interface ResidualPoint {
  /** Index of the row in the input, so a point can be traced back. */
  row: number;
  predicted: number;
  /** actual − predicted */
  residual: number;
}

export interface RegressionReport {
  rows: number;
  mae: number;
  rmse: number;
  /** 1 − SS_res / SS_tot; when every actual value is equal (SS_tot = 0): 1 if SS_res = 0, else 0. */
  r2: number;
  residuals: {
    /** bins + 1 edges from the smallest to the largest residual; bin i is [edges[i], edges[i+1]), the last closed. One bin [r, r] when all residuals are equal. */
    histogram: { edges: number[]; counts: number[] };
    /** Up to `residualSample` points, evenly spaced by row index (every row when there are fewer). */
    sample: ResidualPoint[];
  };
}

export interface RegressorInput {
  actual: readonly number[];
  predicted: readonly number[];
}

export interface RegressorOptions {
  /** Bins of the residual histogram. Default 20. */
  residualBins?: number;
  /** Most points in the residual-plot sample. Default 200. */
  residualSample?: number;
}

export interface SliceReport<R> {
  /** The slice value; a null value is the slice "(missing)". */
  slice: string;
  rows: number;
  report: R;
}
