/**
 * Acceptance gates: declarative checks a trained model must pass on its held-back test rows before
 * it is registered. Pure: no Hono, no drizzle. Each gate's numbers are kept in the verdict, so a
 * person can see why a model was (or was not) let through.
 *
 * Four kinds, any number of each:
 * - `threshold`: a metric at least `min` and/or at most `max` (e.g. testAccuracy ≥ 0.95, testLogLoss ≤ 0.3);
 * - `champion`: against the production (published) model's value of the same metric, higher is
 *   better unless `lowerIsBetter`: the change must be at least `minAbsoluteChange` and the relative
 *   change at least `minRelativeChange` (both default 0: "not worse"); passes when there is no
 *   production model yet, and says so;
 * - `baseline`: better than the dummy baseline by `margin` (default 0): for a classifier, test accuracy
 *   above always predicting the most frequent training class; for a regressor, test RMSE below always
 *   predicting the training mean;
 * - `parity`: the exported ONNX in onnxruntime-web agrees with tfjs within `tolerance` (default 1e-5)
 *   on golden inputs (the validation rows): absolute difference of probabilities, or for a regressor
 *   relative difference of values, |a − b| / max(1, |b|).
 * Without gates a run gets the defaults: beat the baseline, and parity.
 */
import { z } from 'zod';

const MetricName = z.string().min(1).max(64);

export const GateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('threshold'), metric: MetricName, min: z.number().optional(), max: z.number().optional() }).strict()
    .refine((g) => g.min !== undefined || g.max !== undefined, { message: 'give min, max or both' }),
  z.object({
    kind: z.literal('champion'),
    metric: MetricName,
    lowerIsBetter: z.boolean().default(false),
    minAbsoluteChange: z.number().default(0),
    minRelativeChange: z.number().default(0),
  }).strict(),
  z.object({ kind: z.literal('baseline'), margin: z.number().min(0).default(0) }).strict(),
  z.object({ kind: z.literal('parity'), tolerance: z.number().positive().max(1).default(1e-5) }).strict(),
]);
export type Gate = z.output<typeof GateSchema>;
export const GatesSchema = z.array(GateSchema).max(50);

export const DEFAULT_GATES: Gate[] = [
  { kind: 'baseline', margin: 0 },
  { kind: 'parity', tolerance: 1e-5 },
];

export interface GateResult {
  gate: Gate;
  passed: boolean;
  /** What was measured (null: the metric does not exist for this run). */
  observed: number | null;
  /** What it was held against: the threshold, the champion's value, the baseline's accuracy. */
  against: number | null;
  /** One sentence a person can read. */
  detail: string;
}

export interface AcceptanceVerdict {
  passed: boolean;
  gates: GateResult[];
  /** The production model compared against, if any. */
  champion: { version: number } | null;
}

export interface GateInputs {
  /** The run's metrics: testAccuracy, testMacroF1, testLogLoss, validationAccuracy, baselineAccuracy, parityMaxAbsDiff; testRmse, testR2, baselineRmse, parityMaxRelDiff (regression); … */
  metrics: Readonly<Record<string, number | undefined>>;
  /** The published version of this model and its metrics, if there is one. */
  champion: { version: number; metrics: Readonly<Record<string, number | undefined>> } | null;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4));

/**
 * @example
 * evaluateGates([{ kind: 'threshold', metric: 'testAccuracy', min: 0.95 }], { metrics: { testAccuracy: 0.97 }, champion: null })
 * // { passed: true, gates: [{ passed: true, observed: 0.97, against: 0.95, … }], champion: null }
 */
export function evaluateGates(gates: readonly Gate[], inputs: GateInputs): AcceptanceVerdict {
  const results = gates.map((gate) => evaluateGate(gate, inputs));
  return { passed: results.every((r) => r.passed), gates: results, champion: inputs.champion ? { version: inputs.champion.version } : null };
}

function evaluateGate(gate: Gate, { metrics, champion }: GateInputs): GateResult {
  switch (gate.kind) {
    case 'threshold': {
      const observed = metrics[gate.metric];
      if (observed === undefined) return { gate, passed: false, observed: null, against: gate.min ?? gate.max ?? null, detail: `${gate.metric} was not measured in this run` };
      const low = gate.min === undefined || observed >= gate.min;
      const high = gate.max === undefined || observed <= gate.max;
      const bound = [gate.min !== undefined ? `≥ ${fmt(gate.min)}` : '', gate.max !== undefined ? `≤ ${fmt(gate.max)}` : ''].filter(Boolean).join(' and ');
      return { gate, passed: low && high, observed, against: !low ? gate.min! : !high ? gate.max! : (gate.min ?? gate.max!), detail: `${gate.metric} ${fmt(observed)} must be ${bound}` };
    }
    case 'champion': {
      const observed = metrics[gate.metric];
      if (observed === undefined) return { gate, passed: false, observed: null, against: null, detail: `${gate.metric} was not measured in this run` };
      const theirs = champion?.metrics[gate.metric];
      if (!champion) return { gate, passed: true, observed, against: null, detail: 'no production model yet: nothing to beat' };
      if (theirs === undefined) return { gate, passed: true, observed, against: null, detail: `production version ${champion.version} has no ${gate.metric}: nothing to compare` };
      // Improvement is positive when the challenger is better, whichever direction "better" is.
      const change = gate.lowerIsBetter ? theirs - observed : observed - theirs;
      const relative = theirs === 0 ? (change === 0 ? 0 : Infinity * Math.sign(change)) : change / Math.abs(theirs);
      const passed = change >= gate.minAbsoluteChange && relative >= gate.minRelativeChange;
      return {
        gate,
        passed,
        observed,
        against: theirs,
        detail: `${gate.metric} ${fmt(observed)} against production version ${champion.version}'s ${fmt(theirs)}: change ${change >= 0 ? '+' : ''}${fmt(change)} (${(relative * 100).toFixed(2)} %), needs ≥ ${fmt(gate.minAbsoluteChange)} and ≥ ${(gate.minRelativeChange * 100).toFixed(2)} %`,
      };
    }
    case 'baseline': {
      if (metrics.testRmse !== undefined || metrics.baselineRmse !== undefined) {
        const observed = metrics.testRmse;
        const baseline = metrics.baselineRmse;
        if (observed === undefined || baseline === undefined) return { gate, passed: false, observed: observed ?? null, against: baseline ?? null, detail: 'needs held-back test rows (testFraction > 0) to compare with the baseline' };
        return { gate, passed: observed < baseline - gate.margin || (gate.margin === 0 && observed === 0 && baseline === 0), observed, against: baseline, detail: `test RMSE ${fmt(observed)} must be below the training-mean baseline's ${fmt(baseline)}${gate.margin > 0 ? ` by more than ${fmt(gate.margin)}` : ''}` };
      }
      const observed = metrics.testAccuracy;
      const baseline = metrics.baselineAccuracy;
      if (observed === undefined || baseline === undefined) return { gate, passed: false, observed: observed ?? null, against: baseline ?? null, detail: 'needs held-back test rows (testFraction > 0) to compare with the baseline' };
      return { gate, passed: observed > baseline + gate.margin || (gate.margin === 0 && observed === 1 && baseline === 1), observed, against: baseline, detail: `test accuracy ${fmt(observed)} must beat the most-frequent-class baseline ${fmt(baseline)}${gate.margin > 0 ? ` by more than ${fmt(gate.margin)}` : ''}` };
    }
    case 'parity': {
      // A regressor's values are in the label's units: compared relatively.
      const relative = metrics.parityMaxRelDiff !== undefined;
      const observed = relative ? metrics.parityMaxRelDiff : metrics.parityMaxAbsDiff;
      if (observed === undefined) return { gate, passed: false, observed: null, against: gate.tolerance, detail: 'no parity check was run' };
      return { gate, passed: observed <= gate.tolerance, observed, against: gate.tolerance, detail: `onnxruntime-web and tfjs differ by at most ${fmt(observed)}${relative ? ' (relative)' : ''} on the golden inputs; tolerance ${fmt(gate.tolerance)}` };
    }
  }
}
