/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { ColumnProfile, DatasetProfile } from '@outpost/shared';
import type { DatasetVersion } from '../data/store.ts';
import type { ValidationReport } from '../data/validate.ts';
import { Bars } from './run-charts.tsx';

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 1000 || Math.abs(x) < 0.01 ? x.toPrecision(4) : x.toFixed(2));
const pct = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);

function Missingness(props: { column: ColumnProfile }) {
  const { count, missing, typeMismatches } = props.column;
  return (
    <div class="missing" title={`${missing} missing, ${typeMismatches} not of the column's type, of ${count}`}>
      <div style={`width:${pct(missing, count).toFixed(1)}%;background:#f87171`} />
      <div style={`width:${pct(typeMismatches, count).toFixed(1)}%;background:#fbbf24`} />
    </div>
  );
}

/** Dates show as ISO 8601 (UTC), to the minute unless a value has seconds; a spread of dates in days. */
function dateFormat(values: number[]): (x: number) => string {
  const precise = values.some((x) => x % 60_000 !== 0);
  const dateOnly = values.every((x) => x % 86_400_000 === 0);
  return (x) => {
    const iso = new Date(Math.round(x)).toISOString();
    return dateOnly ? iso.slice(0, 10) : precise ? iso.slice(0, 19).replace('T', ' ') : iso.slice(0, 16).replace('T', ' ');
  };
}

function ColumnCard(props: { column: ColumnProfile; type: string }) {
  const c = props.column;
  const n = c.numeric;
  const show = n && c.type === 'datetime' ? dateFormat([n.min, n.max, ...Object.values(n.quantiles)]) : fmt;
  const spread = (x: number) => (c.type === 'datetime' ? `${(x / 86_400_000).toFixed(1)} d` : fmt(x));
  return (
    <section class="column" data-column={c.name}>
      <h3>
        {c.name} <span class="muted">{props.type}</span>
      </h3>
      <Missingness column={c} />
      <p class="muted">
        {c.count} rows · {c.missing} missing ({pct(c.missing, c.count).toFixed(1)} %) · {c.distinct.exact ? '' : '≈'}
        {c.distinct.value} distinct{c.typeMismatches > 0 ? ` · ${c.typeMismatches} not ${c.type === 'datetime' ? 'dates' : 'numbers'}` : ''}
      </p>
      {c.numeric && (
        <>
          <table class="stats">
            <tbody>
              <tr><th>min</th><th>p1</th><th>p25</th><th>median</th><th>p75</th><th>p99</th><th>max</th><th>mean</th><th>std</th></tr>
              <tr>
                {[c.numeric.min, c.numeric.quantiles.p1, c.numeric.quantiles.p25, c.numeric.quantiles.p50, c.numeric.quantiles.p75, c.numeric.quantiles.p99, c.numeric.max, c.numeric.mean].map((x) => (
                  <td>{show(x)}</td>
                ))}
                <td>{spread(c.numeric.std)}</td>
              </tr>
            </tbody>
          </table>
          <Bars
            title={`Histogram of ${c.name}`}
            values={c.numeric.histogram.counts}
            titles={c.numeric.histogram.counts.map((_, i) => `${show(c.numeric!.histogram.edges[i]!)}–${show(c.numeric!.histogram.edges[i + 1]!)}`)}
            axis={[show(c.numeric.histogram.edges[0] ?? c.numeric.min), show(c.numeric.histogram.edges.at(-1) ?? c.numeric.max)]}
          />
        </>
      )}
      {c.categorical && (
        <table class="top">
          <tbody>
            {c.categorical.top.map((t) => (
              <tr>
                <td>{t.value}</td>
                <td class="bar"><div style={`width:${pct(t.count, c.count).toFixed(1)}%`} /></td>
                <td>{t.count}</td>
              </tr>
            ))}
            {c.categorical.otherCount > 0 && (
              <tr><td class="muted">other</td><td /><td>{c.categorical.otherCount}</td></tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Correlations(props: { correlations: DatasetProfile['correlations'] }) {
  const { columns, pearson } = props.correlations;
  if (columns.length < 2) return null;
  const color = (r: number | null) => (r === null ? '#f3f4f6' : r >= 0 ? `rgba(37,99,235,${Math.abs(r).toFixed(2)})` : `rgba(220,38,38,${Math.abs(r).toFixed(2)})`);
  return (
    <>
      <h2>Correlations (Pearson)</h2>
      <table class="corr">
        <thead><tr><th />{columns.map((c) => <th>{c}</th>)}</tr></thead>
        <tbody>
          {columns.map((row, i) => (
            <tr>
              <th>{row}</th>
              {columns.map((_, j) => {
                const r = pearson[i]?.[j] ?? null;
                return <td style={`background:${color(r)};color:${r !== null && Math.abs(r) > 0.6 ? '#fff' : 'inherit'}`}>{r === null ? '–' : r.toFixed(2)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** A validation report: the suite's verdict, then each expectation with its failing rows. */
export function Validation(props: { report: ValidationReport }) {
  const r = props.report;
  return (
    <section class="validation">
      <h2>
        Validation: suite {r.suite} <span class={r.success ? 'pub' : 'fail'}>{r.success ? 'passed' : 'failed'}</span>
      </h2>
      {r.error && <p class="err">The suite cannot run on this version: {r.error.message}</p>}
      {r.expectations.length > 0 && (
        <table>
          <thead><tr><th>#</th><th>Expectation</th><th>Result</th><th>Failing rows</th><th>Samples</th></tr></thead>
          <tbody>
            {r.expectations.map((e) => (
              <tr data-expectation={e.index} class={e.success ? '' : 'failed'}>
                <td>{e.index}</td>
                <td>{e.type}{e.column ? ` · ${e.column}` : ''}{e.description ? <div class="muted">{e.description}</div> : null}</td>
                <td>{e.success ? 'ok' : 'FAIL'}{e.observed !== undefined && e.observed !== null ? ` (observed ${fmt(e.observed)})` : ''}{e.unverifiable ? <div class="muted">{e.unverifiable}</div> : null}</td>
                <td>{e.observed !== undefined ? '–' : `${e.unexpectedCount} of ${e.evaluatedCount}`}</td>
                <td class="samples">{e.samples.slice(0, 5).map((x) => <div>row {x.row}: <code>{JSON.stringify(x.value ?? x.values)}</code></div>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What can be made from this version: each link opens a form that records you as its author. */
function Actions(props: { project: string; version: DatasetVersion }) {
  const base = `/console/projects/${props.project}/datasets/${props.version.dataset}`;
  const here = `${base}/versions/${props.version.version}`;
  return (
    <nav class="actions">
      <a href={`/console/projects/${props.project}/upload?dataset=${props.version.dataset}`}>New version</a>
      <a href={`${here}/train`}>Train a model</a>
      <a href={`${here}/search`}>Search hyperparameters</a>
      <a href={`${here}/split`}>Split</a>
      <a href={`${here}/clean`}>Clean</a>
      <a href={`${here}/synthesize`}>Synthesize</a>
      <a href={`${here}/validate`}>Validate</a>
      <a href={`${here}/suggested-suite`}>Suggest a suite</a>
      <a href={`${base}/suite`}>Suite of {props.version.dataset}</a>
    </nav>
  );
}

/** One dataset version: what it is, its validation report (when a suite was attached) and its profile. */
export function DatasetVersionPage(props: {
  project: string;
  version: DatasetVersion;
  parents: { dataset: string; version: number }[];
  profile: DatasetProfile;
  validation: ValidationReport | null;
}) {
  const { version: v, profile } = props;
  const types = new Map(v.columns.map((c) => [c.name, c.type as string]));
  const link = (p: { dataset: string; version: number }) => `/console/projects/${props.project}/datasets/${p.dataset}/versions/${p.version}`;
  const previous = props.parents.find((p) => p.dataset === v.dataset);
  return (
    <>
      <p><a href="/console">← {props.project}</a></p>
      <h1>{v.dataset} <span class="muted">version {v.version}</span></h1>
      <p class="muted">
        {profile.rowCount} rows · {v.format.toUpperCase()} · {v.size} bytes · sha256 <code>{v.sha256}</code> · {new Date(v.createdAt).toISOString()}
      </p>
      <p class="lineage">
        {v.operation?.kind ?? 'upload'}
        {v.operation && Object.keys(v.operation.params).length > 0 ? <code> {JSON.stringify(v.operation.params)}</code> : null} by {v.author ?? 'unknown'}
        {props.parents.length > 0 && (
          <>
            {' '}· from{' '}
            {props.parents.map((p, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={link(p)}>{p.dataset} v{p.version}</a>
              </>
            ))}
          </>
        )}
        {previous && (
          <>
            {' '}· <a href={`/console/projects/${props.project}/datasets/${v.dataset}/diff?from=${previous.version}&to=${v.version}`}>diff with v{previous.version}</a>
          </>
        )}
        {v.message && <div>“{v.message}”</div>}
      </p>
      <details class="muted">
        <summary>Accuracy of these statistics</summary>
        <ul>
          <li>Quantiles and histograms: {profile.accuracy.quantiles}</li>
          <li>Distinct counts: {profile.accuracy.distinct}</li>
          <li>Top categories: {profile.accuracy.topK}</li>
        </ul>
      </details>
      <Actions project={props.project} version={v} />
      {props.validation && <Validation report={props.validation} />}
      <p class="legend"><span style="background:#f87171" /> missing <span style="background:#fbbf24" /> not of the column's type</p>
      <div class="columns">{profile.columns.map((c) => <ColumnCard column={c} type={types.get(c.name) ?? c.type} />)}</div>
      <Correlations correlations={profile.correlations} />
    </>
  );
}
