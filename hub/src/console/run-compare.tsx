/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** Runs side by side: parameters (differences highlighted), final metrics, overlaid curves, a parameter against accuracy. */
import type { EpochRecord, Run } from '../training/store.ts';
import { LineChart, ScatterChart, seriesColor } from './run-charts.tsx';
import { headline } from '../training/headline.ts';
import { headlineSeries, runsUrl, runUrl, shortId, show, showParam, StatusBadge } from './runs-pages.tsx';

export interface ComparedRun {
  run: Run;
  epochs: readonly EpochRecord[];
}

const config = (r: Run) => r.config as unknown as Record<string, unknown>;
const union = (lists: string[][]) => [...new Set(lists.flat())];

/** Every parameter any of the runs has, in the order the runs list them. */
export const paramKeys = (runs: readonly Run[]) => union(runs.map((r) => Object.keys(config(r))));
/** Whether the runs disagree on a parameter (absent counts as a value). */
export const differs = (runs: readonly Run[], key: string) => new Set(runs.map((r) => showParam(key, config(r)[key]))).size > 1;
/** Parameters that are a number in every run: those a scatter can put on an axis. */
export const numericParams = (runs: readonly Run[]) => paramKeys(runs).filter((k) => runs.every((r) => typeof config(r)[k] === 'number'));
/** The scatter's default parameter: the first numeric one that differs, else the first numeric one. */
export const defaultParam = (runs: readonly Run[]): string | undefined => {
  const numeric = numericParams(runs);
  return numeric.find((k) => differs(runs, k)) ?? numeric[0];
};

function RunHeads(props: { project: string; runs: readonly Run[] }) {
  return (
    <>
      {props.runs.map((r, i) => (
        <th data-run={r.id}>
          <span style={`color:${seriesColor(i)}`}>■</span> <a href={runUrl(props.project, r.id)}><code>{shortId(r.id)}</code></a>
        </th>
      ))}
    </>
  );
}

function ParamScatter(props: { project: string; runs: readonly Run[]; param: string | undefined }) {
  const { runs, param } = props;
  const numeric = numericParams(runs);
  if (!param) return <p class="muted">No numeric parameter to plot.</p>;
  // Regressors by validation RMSE, classifiers by validation accuracy (the first run with a number decides).
  const { key, label } = headline(runs.find((r) => headline(r.metrics).value !== undefined)?.metrics);
  const plotted = runs.map((r, i) => ({ r, i })).filter(({ r }) => Number.isFinite(r.metrics?.[key]));
  const missing = runs.filter((r) => !plotted.some((p) => p.r === r));
  return (
    <>
      <form class="op inline" method="get" action={`${runsUrl(props.project)}/compare`}>
        <input type="hidden" name="ids" value={runs.map((r) => r.id).join(',')} />
        <label class="field">Parameter
          <select name="param">{numeric.map((k) => <option value={k} selected={k === param}>{k}{differs(runs, k) ? ' (differs)' : ''}</option>)}</select>
        </label>
        <button type="submit">Plot</button>
      </form>
      <ScatterChart
        title={`${capital(label)} by ${param}`}
        xLabel={param}
        yLabel={label}
        points={plotted.map(({ r, i }) => ({ x: config(r)[param] as number, y: r.metrics![key]!, label: shortId(r.id), color: seriesColor(i) }))}
        empty={`no run has a ${label} yet`}
      />
      {missing.length > 0 && <p class="muted">Not plotted (no {label} yet): {missing.map((r) => shortId(r.id)).join(', ')}</p>}
    </>
  );
}

export function ComparePage(props: { project: string; compared: readonly ComparedRun[]; param: string | undefined; paramProblem?: string | undefined }) {
  const { project, compared } = props;
  const runs = compared.map((c) => c.run);
  const metricKeys = union(runs.map((r) => Object.keys(r.metrics ?? {})));
  const span = [1, ...runs.map((r) => r.config.epochs)];
  const shown = headline(runs.find((r) => headline(r.metrics).value !== undefined)?.metrics);
  const perRun = (pick: keyof EpochRecord & string) =>
    compared.map((c) => ({ name: shortId(c.run.id), points: c.epochs.map((e) => [e.epoch, e[pick] ?? NaN] as const) }));
  return (
    <>
      <p><a href={runsUrl(project)}>← Runs of {project}</a></p>
      <h1>Comparing {runs.length} runs · {project}</h1>
      <h2>Parameters</h2>
      <p class="muted">Highlighted rows differ between the runs.</p>
      <table class="compare params">
        <thead><tr><th>Parameter</th><RunHeads project={project} runs={runs} /></tr></thead>
        <tbody>
          <tr data-param="model"><th>model</th>{runs.map((r) => <td>{r.model}</td>)}</tr>
          <tr data-param="status"><th>status</th>{runs.map((r) => <td><StatusBadge run={r} /></td>)}</tr>
          {paramKeys(runs).map((k) => (
            <tr data-param={k} class={differs(runs, k) ? 'changed' : undefined}>
              <th>{k}</th>
              {runs.map((r) => <td>{showParam(k, config(r)[k])}</td>)}
            </tr>
          ))}
          <tr data-param="dataset" class={new Set(runs.map((r) => `${r.lineage?.dataset} v${r.lineage?.datasetVersion}`)).size > 1 ? 'changed' : undefined}>
            <th>dataset</th>
            {runs.map((r) => <td>{r.lineage ? `${r.lineage.dataset} v${r.lineage.datasetVersion}` : '–'}</td>)}
          </tr>
          <tr data-param="tags"><th>tags</th>{runs.map((r) => <td>{r.tags.join(', ')}</td>)}</tr>
        </tbody>
      </table>
      <h2>Final metrics</h2>
      {metricKeys.length === 0 ? (
        <p class="muted">None of these runs has finished.</p>
      ) : (
        <table class="compare metrics">
          <thead><tr><th>Metric</th><RunHeads project={project} runs={runs} /></tr></thead>
          <tbody>
            {metricKeys.map((k) => (
              <tr data-metric={k}><th>{k}</th>{runs.map((r) => <td>{show((r.metrics as Record<string, number> | null)?.[k])}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Learning curves</h2>
      <div class="columns curves">
        <LineChart title={`${capital(shown.label)} per epoch, by run`} xLabel="epoch" yLabel={shown.label} series={compared.map((c) => headlineSeries(shortId(c.run.id), c.epochs))} xInclude={span} integerX empty="no epochs yet" />
        <LineChart title="Validation loss per epoch, by run" xLabel="epoch" yLabel="validation loss" series={perRun('validationLoss')} xInclude={span} integerX empty="no epochs yet" />
      </div>
      <h2>Parameter against {shown.label}</h2>
      {props.paramProblem && <p class="err">{props.paramProblem}</p>}
      <ParamScatter project={project} runs={runs} param={props.param} />
    </>
  );
}

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);
