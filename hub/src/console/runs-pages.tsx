/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Acceptance, Evaluation } from './run-evaluation.tsx';
/** Console pages for training runs: the list with filters, and one run with its learning curves. */
import type { EpochRecord, Run } from '../training/store.ts';
import { LineChart, type Series } from './run-charts.tsx';
import { headline } from '../training/headline.ts';
import { Problem, isInvalid, type FormState } from './forms.tsx';

export const runsUrl = (project: string) => `/console/projects/${project}/runs`;
export const runUrl = (project: string, id: string) => `${runsUrl(project)}/${id}`;
export const shortId = (id: string) => id.slice(0, 8);
export const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
export const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`);
/** A whole number as it is, others to four significant digits (no trailing zeros); a string as it is; anything else as JSON. */
export const show = (v: unknown): string =>
  v === undefined || v === null ? '–' : typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(4))) : typeof v === 'string' ? v : JSON.stringify(v);
/** A parameter's value: features by name (and forced kind), the rest as `show` has them. */
export const showParam = (key: string, v: unknown): string =>
  key === 'features' && Array.isArray(v) ? v.map((f: { name: string; kind?: string }) => (f.kind ? `${f.name} (${f.kind})` : f.name)).join(', ') : show(v);
export const isActive = (run: Run) => run.status === 'queued' || run.status === 'running';

/** Loss and validation loss per epoch: one series each. */
export const lossSeries = (epochs: readonly EpochRecord[]): Series[] => [
  { name: 'loss', points: epochs.map((e) => [e.epoch, e.loss ?? NaN] as const) },
  { name: 'validation loss', points: epochs.map((e) => [e.epoch, e.validationLoss ?? NaN] as const) },
];
/** The headline metric per epoch (training/headline.ts): validation accuracy, or validation RMSE for a regressor. */
export const headlineSeries = (name: string, epochs: readonly EpochRecord[]): Series => {
  const key = headline(epochs[0]).key;
  return { name, points: epochs.map((e) => [e.epoch, e[key] ?? NaN] as const) };
};

export function StatusBadge(props: { run: Run }) {
  const { status } = props.run;
  return <span class={status === 'succeeded' ? 'pub' : status === 'failed' ? 'fail' : 'muted'}>{status}</span>;
}

export function RunsListPage(props: { project: string; runs: Run[]; models: string[]; filter: { model?: string | undefined; tag?: string | undefined }; limit: number }) {
  const { project, runs, filter } = props;
  return (
    <>
      <h1>Training runs · {project}</h1>
      <form class="op inline" method="get" action={runsUrl(project)}>
        <label class="field">Model
          <select name="model">
            <option value="">any</option>
            {props.models.map((m) => <option value={m} selected={m === filter.model}>{m}</option>)}
          </select>
        </label>
        <label class="field">Tag <input type="text" name="tag" value={filter.tag ?? ''} maxlength={64} /></label>
        <button type="submit">Filter</button>
        {(filter.model || filter.tag) && <a href={runsUrl(project)}>clear</a>}
      </form>
      {runs.length === 0 ? (
        <p class="muted">No runs{filter.model || filter.tag ? ' match' : ' yet: train one with outpost train'}.</p>
      ) : (
        <form method="get" action={`${runsUrl(project)}/compare`}>
          <table class="runs">
            <thead><tr><th /><th>Run</th><th>Model</th><th>Status</th><th>Model version</th><th>Validation</th><th>Tags</th><th>Created</th></tr></thead>
            <tbody>
              {runs.map((r) => (
                <tr data-run={r.id} class={r.status === 'failed' ? 'failed' : undefined}>
                  <td><input type="checkbox" name="ids" value={r.id} aria-label={`compare ${shortId(r.id)}`} /></td>
                  <td><a href={runUrl(project, r.id)}><code>{shortId(r.id)}</code></a></td>
                  <td>{r.model}</td>
                  <td><StatusBadge run={r} /></td>
                  <td>{r.modelVersion ?? '–'}</td>
                  <td>{headline(r.metrics).text}</td>
                  <td class="tags">{r.tags.map((t, i) => <>{i > 0 && ', '}<a class="tag" href={`${runsUrl(project)}?tag=${encodeURIComponent(t)}`}>{t}</a></>)}</td>
                  <td>{when(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">Compare</button> <span class="muted">the runs ticked{runs.length === props.limit ? ` · showing the newest ${props.limit}` : ''}</span>
        </form>
      )}
    </>
  );
}

/** Queued or running: where it is, and a refresh every two seconds (a meta tag, hoisted into the head: no script). */
function Progress(props: { run: Run; epochs: readonly EpochRecord[] }) {
  const total = props.run.config.epochs;
  const done = props.epochs.at(-1)?.epoch ?? 0;
  return (
    <div class="progress" data-status={props.run.status}>
      <meta http-equiv="refresh" content="2" />
      {props.run.status === 'queued' ? (
        <p>Queued: waiting for the trainer.</p>
      ) : (
        <p>Training: epoch {done} of {total} <progress value={done} max={total} /></p>
      )}
      <p class="muted">This page refreshes every 2 seconds until the run ends.</p>
    </div>
  );
}

function Outcome(props: { project: string; run: Run }) {
  const { run } = props;
  if (run.status === 'failed') {
    return (
      <div class="problem" role="alert">
        <p class="err"><strong>Failed</strong> ({run.error?.code}): {run.error?.message}</p>
        {run.error?.issues && run.error.issues.length > 0 && <ul>{run.error.issues.map((i) => <li>{i.path && <code>{i.path}</code>} {i.message}</li>)}</ul>}
      </div>
    );
  }
  if (run.status !== 'succeeded') return null;
  if (run.modelVersion === null) return <p>Succeeded{run.finishedAt ? ` at ${when(run.finishedAt)}` : ''} (a search trial: not registered).</p>;
  return (
    <p>
      Succeeded{run.finishedAt ? ` at ${when(run.finishedAt)}` : ''}: registered {run.model} version {run.modelVersion} ·{' '}
      <a href={`/console/projects/${props.project}/models/${run.model}/versions/${run.modelVersion}/card`}>model card</a>
    </p>
  );
}

function KeyValues(props: { entries: Array<[string, unknown]>; class: string; showValue?: (key: string, v: unknown) => string }) {
  const format = props.showValue ?? ((_: string, v: unknown) => show(v));
  return (
    <table class={`values ${props.class}`}>
      <tbody>
        {props.entries.map(([k, v]) => (
          <tr data-key={k}><th>{k}</th><td>{format(k, v)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function Lineage(props: { project: string; run: Run }) {
  const l = props.run.lineage;
  if (!l) return <p class="muted">No lineage recorded.</p>;
  const code = l.code === null ? 'unknown' : 'version' in l.code ? l.code.version : `${l.code.commit.slice(0, 12)}${l.code.dirty ? ' (uncommitted changes)' : ''}`;
  const hash = (h: string | null) => (h ? <code title={h}>{h.slice(0, 12)}</code> : <span class="muted">once trained</span>);
  return (
    <table class="values lineage">
      <tbody>
        <tr><th>Dataset version</th><td><a href={`/console/projects/${props.project}/datasets/${l.dataset}/versions/${l.datasetVersion}`}>{l.dataset} v{l.datasetVersion}</a> <code title={l.datasetSha256}>{l.datasetSha256.slice(0, 12)}</code></td></tr>
        <tr><th>Split</th><td>{hash(l.splitHash)}</td></tr>
        <tr><th>Feature pipeline</th><td>{hash(l.featuresHash)}</td></tr>
        <tr><th>Code</th><td>{code}</td></tr>
        <tr><th>Seed</th><td>{l.seed}</td></tr>
      </tbody>
    </table>
  );
}

function AnnotateForm(props: { project: string; run: Run; form: FormState }) {
  const { run, form } = props;
  return (
    <form class="op annotate" method="post" action={`${runUrl(props.project, run.id)}/annotate`}>
      <Problem form={form} />
      <label class="field">Tags <span class="muted">comma-separated</span>
        <input type="text" name="tags" value={form.values.tags ?? run.tags.join(', ')} aria-invalid={isInvalid(form, 'tags') ? 'true' : undefined} />
      </label>
      <label class="field">Notes
        <textarea name="notes" rows={4} aria-invalid={isInvalid(form, 'notes') ? 'true' : undefined}>{form.values.notes ?? run.notes ?? ''}</textarea>
      </label>
      <button type="submit">Save tags and notes</button>
    </form>
  );
}

/** Loss and validation loss on one chart, validation accuracy (or RMSE) on another; the x axis spans every planned epoch. */
export function LearningCurves(props: { run: Run; epochs: readonly EpochRecord[] }) {
  const span = [1, props.run.config.epochs];
  const empty = props.run.status === 'failed' ? 'no epochs recorded' : 'no epochs yet';
  const { label } = headline(props.epochs[0] ?? (props.run.config.task === 'regression' ? { validationRmse: 0 } : null));
  const title = label[0]!.toUpperCase() + label.slice(1);
  return (
    <div class="columns curves">
      <LineChart title="Loss per epoch" xLabel="epoch" yLabel="loss" series={lossSeries(props.epochs)} xInclude={span} integerX empty={empty} />
      <LineChart title={`${title} per epoch`} xLabel="epoch" yLabel={label} series={[headlineSeries(label, props.epochs)]} xInclude={span} integerX empty={empty} />
    </div>
  );
}

export function RunPage(props: { project: string; run: Run; epochs: readonly EpochRecord[]; form: FormState }) {
  const { project, run, epochs } = props;
  return (
    <>
      <p><a href={runsUrl(project)}>← Runs of {project}</a></p>
      <h1>Run <code>{shortId(run.id)}</code> · {run.model} <StatusBadge run={run} /></h1>
      <p class="muted">
        {run.id} · created {when(run.createdAt)}
        {run.tags.filter((t) => t.startsWith('search:')).map((t) => <> · part of <a href={`/console/projects/${project}/searches/${t.slice(7)}`}>search {t.slice(7, 15)}</a></>)}
      </p>
      {isActive(run) ? <Progress run={run} epochs={epochs} /> : <Outcome project={project} run={run} />}
      <h2>Learning curves</h2>
      <LearningCurves run={run} epochs={epochs} />
      <h2>Metrics</h2>
      {run.metrics ? <KeyValues class="metrics" entries={Object.entries(run.metrics)} /> : <p class="muted">None yet.</p>}
      <h2>Acceptance gates</h2>
      <Acceptance run={run} />
      <h2>Evaluation</h2>
      <Evaluation run={run} />
      <h2>Parameters</h2>
      <KeyValues class="params" entries={Object.entries(run.config)} showValue={showParam} />
      <h2>Lineage</h2>
      <Lineage project={project} run={run} />
      <h2>System</h2>
      {run.system ? <KeyValues class="system" entries={Object.entries(run.system)} /> : <p class="muted">Recorded once trained.</p>}
      <h2>Tags and notes</h2>
      <AnnotateForm project={project} run={run} form={props.form} />
    </>
  );
}
