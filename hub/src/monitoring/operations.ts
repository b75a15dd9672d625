import type { HubDeps } from '../deps.ts';
import { createInferenceStore } from './store.ts';

export interface Operations {
  from: number;
  to: number;
  bucketMs: number;
  /** Per bucket (start time) and version: predictions, failed ones, distinct devices. */
  series: Array<{ at: number; version: number; predictions: number; errors: number; devices: number }>;
  /** Per version and execution provider: predictions and nearest-rank latency percentiles (ms). */
  latency: Array<{ version: number; provider: string; n: number; p50: number | null; p95: number | null; p99: number | null }>;
  /** Records missing from the devices' sequences in the window (store.sequenceGaps says what this can see). */
  sequenceGaps: { devices: number; gaps: number };
  /** What the devices' log queues dropped, by reason (their latest reports). */
  queueDrops: { devices: number; dropped: Record<string, number> };
}

/**
 * A model's operational metrics over [from, to) of observed time.
 * @example await operations(deps, 'demo', 'penguins', { from, to, bucketMs: 3_600_000 })
 */
export async function operations(deps: HubDeps, project: string, model: string, w: { from: number; to: number; bucketMs: number }): Promise<Operations> {
  const store = createInferenceStore(deps.db);
  const [series, latency, sequenceGaps, queueDrops] = await Promise.all([
    store.timeSeries(project, model, w, w.bucketMs),
    store.latency(project, model, w),
    store.sequenceGaps(project, w),
    store.queueDrops(project, model),
  ]);
  return {
    ...w,
    series: series.map((r) => ({ at: w.from + r.bucket * w.bucketMs, version: r.version, predictions: r.predictions, errors: r.errors, devices: r.devices })),
    latency,
    sequenceGaps,
    queueDrops,
  };
}
