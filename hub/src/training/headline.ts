/**
 * The number a run or model version is read by at a glance, in lists and one-line summaries:
 * validation accuracy for a classifier, validation RMSE (in the label's units) for a regressor.
 * Told apart by the metrics themselves, so it works for runs, versions and epochs alike.
 */
export interface Headline {
  key: 'validationAccuracy' | 'validationRmse';
  /** For axis titles and column headers. */
  label: 'validation accuracy' | 'validation RMSE';
  lowerIsBetter: boolean;
  value: number | undefined;
  /** "97.1 %", "RMSE 312.4", or "–" when not measured. */
  text: string;
}

/** Any metrics record: a run's, a version's, an epoch's. */
type Metrics = object | null | undefined;

/**
 * @example headline({ validationAccuracy: 0.971 }).text // '97.1 %'
 * @example headline({ validationRmse: 312.44 }).text // 'RMSE 312.4'
 */
export function headline(record: Metrics): Headline {
  const metrics = record as { validationAccuracy?: unknown; validationRmse?: unknown } | null | undefined;
  if (metrics && typeof metrics.validationRmse === 'number') {
    const value = metrics.validationRmse;
    return { key: 'validationRmse', label: 'validation RMSE', lowerIsBetter: true, value, text: `RMSE ${formatRmse(value)}` };
  }
  const value = typeof metrics?.validationAccuracy === 'number' ? metrics.validationAccuracy : undefined;
  return { key: 'validationAccuracy', label: 'validation accuracy', lowerIsBetter: false, value, text: value === undefined ? '–' : `${(value * 100).toFixed(1)} %` };
}

/** Four significant digits, without exponent for everyday magnitudes. */
function formatRmse(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}
