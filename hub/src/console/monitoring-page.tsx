/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * A model's monitoring dashboard: the drift table with verdicts, reference-vs-current histograms
 * per column, predictions and error-rate time series, latency by version and execution provider,
 * the version mix, sequence gaps and queue drops, the alert rules and their history. Server-rendered
 * SVG, no script (it works on Workers and offline); refreshed in place every few seconds.
 */
import type { ColumnDrift } from '../monitoring/drift-engine/index.ts';
import type { DriftWindowReport } from '../monitoring/drift-service.ts';
import type { Operations } from '../monitoring/operations.ts';
import type { AlertEventView } from '../monitoring/alerting/store.ts';
import { describeDelivery } from '../monitoring/alerting/delivery-text.ts';
import type { ruleView } from '../monitoring/alerting/service.ts';
import { liveRefreshScript } from './layout.tsx';
import { LineChart, seriesColor } from './run-charts.tsx';

export const monitoringUrl = (project: string, model: string) => `/console/projects/${project}/models/${model}/monitoring`;
export const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;
export const REFRESH_SECONDS = 10;

const REFRESH_SCRIPT = liveRefreshScript(REFRESH_SECONDS, true);

const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '—' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(digits));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const time = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '—');

function Verdict(props: { c: ColumnDrift }) {
  const cls = props.c.verdict === 'drift' ? 'fail' : props.c.verdict === 'no drift' ? 'pub' : 'muted';
  return <span class={cls} title={props.c.reason}>{props.c.verdict}</span>;
}

/** Reference and current shares over the same bins or categories, side by side. */
function Histogram(props: { c: ColumnDrift; width?: number; height?: number }) {
  const h = props.c.histogram;
  const { width = 340, height = 110 } = props;
  const labels = h.kind === 'bins' ? ['below', ...h.edges.slice(0, -1).map((e, i) => `${fmt(e, 2)}–${fmt(h.edges[i + 1], 2)}`), 'above'] : h.values;
  const share = (xs: number[]) => {
    const total = xs.reduce((a, b) => a + b, 0);
    return xs.map((x) => (total > 0 ? x / total : 0));
  };
  const ref = share(h.reference);
  const cur = share(h.current);
  const max = Math.max(0.0001, ...ref, ...cur);
  const w = width / Math.max(1, labels.length);
  return (
    <svg width={width} height={height + 14} role="img" aria-label={`${props.c.column}: reference and current`} class="chart histogram" data-column={props.c.column}>
      <title>{`${props.c.column}: reference (grey) and current (colour)`}</title>
      {labels.map((label, i) => {
        const r = (ref[i]! / max) * height;
        const c = (cur[i]! / max) * height;
        return (
          <g>
            <rect x={i * w + 1} y={height - r} width={Math.max(1, w / 2 - 1)} height={r} fill="#cbd5e1">
              <title>{`${label}: reference ${pct(ref[i])} (${h.reference[i]})`}</title>
            </rect>
            <rect x={i * w + w / 2} y={height - c} width={Math.max(1, w / 2 - 1)} height={c} fill={props.c.verdict === 'drift' ? '#ef4444' : '#60a5fa'}>
              <title>{`${label}: current ${pct(cur[i])} (${h.current[i]})`}</title>
            </rect>
          </g>
        );
      })}
      <line x1="0" y1={height} x2={width} y2={height} stroke="#9ca3af" />
      <text x="0" y={height + 12} font-size="10" fill="#6b7280">{labels[0]}</text>
      <text x={width} y={height + 12} font-size="10" fill="#6b7280" text-anchor="end">{labels.at(-1)}</text>
    </svg>
  );
}

export interface MonitoringView {
  project: string;
  model: string;
  window: WindowName;
  versions: number[];
  drift: DriftWindowReport | { error: string };
  ops: Operations;
  rules: Array<ReturnType<typeof ruleView>>;
  events: AlertEventView[];
}

export function MonitoringPage(props: { v: MonitoringView }) {
  const { v } = props;
  const base = monitoringUrl(v.project, v.model);
  const drift = 'error' in v.drift ? undefined : v.drift;
  const versions = [...new Set(v.ops.series.map((s) => s.version))].sort((a, b) => a - b);
  const buckets = [...new Set(v.ops.series.map((s) => s.at))].sort((a, b) => a - b);
  const hours = (at: number) => (at - v.ops.from) / 3_600_000;
  const seriesOf = (f: (r: Operations['series'][number]) => number | null) =>
    versions.map((ver, i) => ({
      name: `v${ver}`,
      color: seriesColor(i),
      points: buckets.flatMap((at) => {
        const r = v.ops.series.find((s) => s.at === at && s.version === ver);
        const y = r ? f(r) : null;
        return y === null ? [] : [[hours(at), y] as [number, number]];
      }),
    }));
  const mix = versions.map((ver) => ({ version: ver, predictions: v.ops.series.filter((s) => s.version === ver).reduce((n, s) => n + s.predictions, 0) }));
  const total = mix.reduce((n, m) => n + m.predictions, 0);
  return (
    <div id="live">
      <h1>{v.model}: monitoring</h1>
      <p>
        <a href={`/console/projects/${v.project}/models/${v.model}`}>← model</a> · <a href={`${base.replace(/monitoring$/, 'rollout')}`}>rollout</a> · window:{' '}
        {(Object.keys(WINDOWS) as WindowName[]).map((w) => (w === v.window ? <strong>{w} </strong> : <a href={`${base}?window=${w}${drift ? `&version=${drift.version}` : ''}`}>{w} </a>))}
        {v.versions.length > 0 && (
          <>
            · version:{' '}
            {v.versions.map((ver) => (drift?.version === ver ? <strong>v{ver} </strong> : <a href={`${base}?window=${v.window}&version=${ver}`}>v{ver} </a>))}
          </>
        )}
        <span class="muted"> · refreshed every {REFRESH_SECONDS} s</span>
      </p>

      <h2>Drift</h2>
      {drift ? (
        <>
          <p class="dataset-drift">
            Version {drift.version}, {drift.records.toLocaleString('en')} records{drift.truncated ? ' (the oldest of a longer window)' : ''}:{' '}
            {drift.dataset.drifted === null ? (
              <span class="muted">not enough data to judge yet</span>
            ) : (
              <>
                <span class={drift.dataset.drifted ? 'fail' : 'pub'}>{drift.dataset.drifted ? 'dataset drift' : 'no dataset drift'}</span> — {drift.dataset.driftedColumns} of {drift.dataset.tested} columns drifted ({pct(drift.dataset.share)}; threshold {pct(drift.dataset.driftShare)})
              </>
            )}
          </p>
          <table class="drift">
            <thead>
              <tr><th>column</th><th>test</th><th>statistic</th><th>p</th><th>p (BH)</th><th>effect</th><th>PSI</th><th>missing</th><th>out of range / new</th><th>verdict</th></tr>
            </thead>
            <tbody>
              {drift.columns.map((c) => (
                <tr class={c.verdict === 'drift' ? 'failed' : ''} data-column={c.column} data-verdict={c.verdict}>
                  <td>{c.column}</td>
                  <td>{c.test ?? '—'}</td>
                  <td>{fmt(c.statistic)}</td>
                  <td>{fmt(c.pValue)}</td>
                  <td>{fmt(c.pValueBH)}</td>
                  <td>{fmt(c.effectSize)}</td>
                  <td>{fmt(c.psi)}</td>
                  <td>{pct(c.rates.missing)}</td>
                  <td>{c.kind === 'numeric' ? pct(c.rates.outOfRange) : pct(c.rates.newCategory)}</td>
                  <td><Verdict c={c} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="columns">
            {drift.columns.map((c) => (
              <div class="column">
                <h3>{c.column} <Verdict c={c} /></h3>
                <Histogram c={c} />
                <p class="muted">{c.counts.n.toLocaleString('en')} values; grey: reference, colour: current</p>
              </div>
            ))}
          </div>
        </>
      ) : (
        <p class="muted">{'error' in v.drift ? v.drift.error : ''}</p>
      )}

      <h2>Traffic</h2>
      <div class="columns">
        <div class="column">
          <LineChart title="Predictions per hour" xLabel="hours into the window" yLabel="predictions" series={seriesOf((r) => r.predictions)} empty="no predictions in the window" />
        </div>
        <div class="column">
          <LineChart title="Error rate" xLabel="hours into the window" yLabel="failed share" series={seriesOf((r) => (r.predictions > 0 ? r.errors / r.predictions : null))} empty="no predictions in the window" />
        </div>
      </div>
      <table class="mix">
        <thead><tr><th>version</th><th>predictions</th><th>share</th></tr></thead>
        <tbody>{mix.map((m) => <tr><td>v{m.version}</td><td>{m.predictions}</td><td>{pct(total ? m.predictions / total : null)}</td></tr>)}</tbody>
      </table>
      <h3>Latency (ms)</h3>
      <table class="latency">
        <thead><tr><th>version</th><th>provider</th><th>predictions</th><th>p50</th><th>p95</th><th>p99</th></tr></thead>
        <tbody>{v.ops.latency.map((l) => <tr><td>v{l.version}</td><td>{l.provider}</td><td>{l.n}</td><td>{fmt(l.p50, 2)}</td><td>{fmt(l.p95, 2)}</td><td>{fmt(l.p99, 2)}</td></tr>)}</tbody>
      </table>
      <p>
        Sequence gaps: <strong>{v.ops.sequenceGaps.gaps}</strong> records missing across {v.ops.sequenceGaps.devices} devices. Queue drops reported:{' '}
        {Object.keys(v.ops.queueDrops.dropped).length === 0 ? 'none' : Object.entries(v.ops.queueDrops.dropped).map(([k, n]) => `${k} ${n}`).join(', ')}
      </p>

      <h2>Alerts</h2>
      {v.rules.length === 0 ? (
        <p class="muted">No alert rules. Create one with <code>POST /v1/projects/{v.project}/models/{v.model}/alerts/rules</code>.</p>
      ) : (
        <table class="alert-rules">
          <thead><tr><th>rule</th><th>condition</th><th>state</th><th>last value</th><th>evaluated</th><th>then</th></tr></thead>
          <tbody>
            {v.rules.map((r) => (
              <tr class={r.state === 'firing' ? 'failed' : ''} data-rule={r.name} data-state={r.state}>
                <td>{r.name}</td>
                <td><code>{r.metric}{Object.keys(r.params).length ? ` ${JSON.stringify(r.params)}` : ''} {r.comparator} {r.threshold}</code> for {Math.round(r.forMs / 60_000)} min over {Math.round(r.windowMs / 60_000)} min</td>
                <td><span class={r.state === 'firing' ? 'fail' : r.state === 'pending' ? 'muted' : 'pub'}>{r.state}</span>{r.enabled ? '' : ' (disabled)'}</td>
                <td>{fmt(r.lastValue)}</td>
                <td>{time(r.lastEvaluatedAt)}</td>
                <td>{[r.hasWebhook && 'webhook', r.retrain && 'retrain', r.guardRollout && 'guards rollouts'].filter(Boolean).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>History</h3>
      {v.events.length === 0 ? (
        <p class="muted">Nothing has fired.</p>
      ) : (
        <table class="alert-events">
          <thead><tr><th>when</th><th>rule</th><th>event</th><th>value</th><th>webhook</th></tr></thead>
          <tbody>
            {v.events.map((e) => (
              <tr data-event={e.kind} data-rule={e.rule}>
                <td>{time(e.createdAt)}</td>
                <td>{e.rule}</td>
                <td><span class={e.kind === 'firing' ? 'fail' : 'pub'}>{e.kind}</span></td>
                <td>{fmt(e.value)}</td>
                <td>{describeDelivery(e, time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <script dangerouslySetInnerHTML={{ __html: REFRESH_SCRIPT }} />
    </div>
  );
}
