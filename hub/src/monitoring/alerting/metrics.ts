import type { HubDeps } from '../../deps.ts';
import { createRegistryStore } from '../../registry/store.ts';
import { createDriftService, type DriftService } from '../drift-service.ts';
import { createInferenceStore } from '../store.ts';
import { classification, meanAbsoluteError } from '../labels/live-metrics.ts';
import { createFeedbackStore } from '../labels/store.ts';

/** What a metric is computed over: a model (one version, or the production one) and a window. */
export interface MetricContext {
  project: string;
  model: string;
  params: Record<string, string | number>;
  from: number;
  to: number;
  /** Reports already computed in this evaluation pass: rules on the same model and window share one drift report. */
  memo?: Map<string, Promise<unknown>>;
}

/** A metric's value over a window; null when there is not enough data (a rule then neither fires nor resolves). */
export type MetricSource = (ctx: MetricContext) => Promise<number | null>;

export interface MetricDefinition {
  description: string;
  /** Params the metric takes: name → what it means. Required ones are marked. */
  params: Record<string, { description: string; required?: boolean }>;
  source: (deps: HubDeps) => MetricSource;
}

const versionParam = { version: { description: 'the model version (default: the one the production alias points at)' } };

/** The version a metric is about: params.version, else the production alias; undefined when neither exists. */
async function versionOf(deps: HubDeps, ctx: MetricContext): Promise<number | undefined> {
  if (ctx.params.version !== undefined) return Number(ctx.params.version);
  const registry = createRegistryStore(deps.db);
  const modelId = await registry.modelId(ctx.project, ctx.model);
  return modelId === undefined ? undefined : (await registry.getAlias(modelId, 'production'))?.version;
}

async function guard(deps: HubDeps, ctx: MetricContext) {
  const version = await versionOf(deps, ctx);
  if (version === undefined) return undefined;
  return (await createInferenceStore(deps.db).guardMetrics(ctx.project, ctx.model, ctx.from, [version])).get(version);
}

async function drift(deps: HubDeps, ctx: MetricContext) {
  const version = await versionOf(deps, ctx);
  if (version === undefined) return undefined;
  const key = `drift ${ctx.project} ${ctx.model} ${version} ${ctx.from} ${ctx.to}`;
  let report = ctx.memo?.get(key) as ReturnType<DriftService['report']> | undefined;
  if (!report) {
    report = createDriftService(deps).report({ project: ctx.project, model: ctx.model, version, from: ctx.from, to: ctx.to });
    ctx.memo?.set(key, report);
  }
  return report;
}

const columnOf = async (deps: HubDeps, ctx: MetricContext) => (await drift(deps, ctx))?.columns.find((c) => c.column === String(ctx.params.column));

/**
 * The metrics alert rules can watch, by name. Drift metrics run the drift report of the window
 * (drift-service.ts); the others read the records' latency and errors (the rollout guards' query).
 */
export const METRICS: Record<string, MetricDefinition> = {
  drift_share: {
    description: "share of the version's tested columns (features and outputs) that drift in the window; null while none has enough data",
    params: versionParam,
    source: (deps) => async (ctx) => (await drift(deps, ctx))?.dataset.share ?? null,
  },
  feature_drift: {
    description: "1 when the column drifts in the window, 0 when it does not, null with too little data",
    params: { column: { description: 'a feature or output column', required: true }, ...versionParam },
    source: (deps) => async (ctx) => {
      const c = await columnOf(deps, ctx);
      return c?.drifted === null || c?.drifted === undefined ? null : c.drifted ? 1 : 0;
    },
  },
  feature_psi: {
    description: "the column's population stability index in the window",
    params: { column: { description: 'a feature or output column', required: true }, ...versionParam },
    source: (deps) => async (ctx) => (await columnOf(deps, ctx))?.psi ?? null,
  },
  missing_rate: {
    description: "share of the window's values of the column that were missing",
    params: { column: { description: 'a feature column', required: true }, ...versionParam },
    source: (deps) => async (ctx) => {
      const c = await columnOf(deps, ctx);
      return c && c.counts.n + c.counts.missing > 0 ? c.rates.missing : null;
    },
  },
  accuracy: {
    description: "share of the labeled predictions (late labels) in the window that were right; null without labels",
    params: versionParam,
    source: (deps) => async (ctx) => {
      const version = await versionOf(deps, ctx);
      const pairs = await createFeedbackStore(deps.db).classPairs(ctx.project, ctx.model, { from: ctx.from, to: ctx.to, bucketMs: ctx.to - ctx.from });
      return classification(pairs.filter((p) => p.version === version)).accuracy;
    },
  },
  mae: {
    description: "a regressor's mean absolute error on the labeled predictions in the window; null without labels",
    params: versionParam,
    source: (deps) => async (ctx) => {
      const version = await versionOf(deps, ctx);
      const rows = (await createFeedbackStore(deps.db).valueErrors(ctx.project, ctx.model, { from: ctx.from, to: ctx.to, bucketMs: ctx.to - ctx.from })).filter((r) => r.version === version);
      return meanAbsoluteError(rows.reduce((s, r) => s + r.sumAbs, 0), rows.reduce((n, r) => n + r.n, 0)).mae;
    },
  },
  error_rate: {
    description: 'share of the predictions received in the window that failed',
    params: versionParam,
    source: (deps) => async (ctx) => (await guard(deps, ctx))?.errorRate ?? null,
  },
  latency_p95_ms: {
    description: '95th percentile of reported prediction latency in the window, ms',
    params: versionParam,
    source: (deps) => async (ctx) => (await guard(deps, ctx))?.p95LatencyMs ?? null,
  },
  predictions: {
    description: 'predictions received in the window (0 when none came; null with no version to count)',
    params: versionParam,
    source: (deps) => async (ctx) => {
      const version = await versionOf(deps, ctx);
      // No version to count (no params.version, nothing in production): unknown, not zero.
      if (version === undefined) return null;
      return (await createInferenceStore(deps.db).guardMetrics(ctx.project, ctx.model, ctx.from, [version])).get(version)?.samples ?? 0;
    },
  },
};
