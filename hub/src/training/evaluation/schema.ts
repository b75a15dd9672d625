/**
 * zod forms of the reports, for wherever a report crosses a boundary: stored with a run and read
 * back, answered by an API route, loaded by a gate. Why a compile-time check: the evaluators'
 * types and these schemas are written twice; `Same` fails the build the day they disagree.
 */
import { z } from 'zod';
import type { ClassificationReport, RegressionReport } from './types.ts';

const AveragedMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

const CalibrationSchema = z.object({
  method: z.enum(['positive-class', 'top-label']),
  bins: z.array(
    z.object({
      lower: z.number(),
      upper: z.number(),
      count: z.number().int(),
      meanConfidence: z.number().nullable(),
      accuracy: z.number().nullable(),
    }),
  ),
  ece: z.number(),
});

/** The wire shape of evaluateClassifier's report. */
export const ClassificationReportSchema = z.object({
  rows: z.number().int(),
  accuracy: z.number(),
  perClass: z.array(
    z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() }),
  ),
  macro: AveragedMetricsSchema,
  weighted: AveragedMetricsSchema,
  rocAuc: z.object({ perClass: z.array(z.number().nullable()), macro: z.number().nullable() }),
  logLoss: z.number(),
  confusion: z.array(z.array(z.number().int())),
  calibration: CalibrationSchema,
});

/** The wire shape of evaluateRegressor's report. */
export const RegressionReportSchema = z.object({
  rows: z.number().int(),
  mae: z.number(),
  rmse: z.number(),
  r2: z.number(),
  residuals: z.object({
    histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) }),
    sample: z.array(z.object({ row: z.number().int(), predicted: z.number(), residual: z.number() })),
  }),
});

// Each schema and its report type must be assignable to each other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const classificationMatches: Same<z.infer<typeof ClassificationReportSchema>, ClassificationReport> = true;
const regressionMatches: Same<z.infer<typeof RegressionReportSchema>, RegressionReport> = true;
void classificationMatches;
void regressionMatches;
