/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** A hyperparameter search in the console: its trials as they finish, the best, the registered result. */
import type { describeSearch } from '../training/search-view.ts';
import { runUrl, shortId } from './runs-pages.tsx';

type SearchView = Awaited<ReturnType<typeof describeSearch>>;

const show = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : String(v ?? '–'));

export function SearchPage(props: { project: string; search: SearchView }) {
  const { project, search: s } = props;
  const active = s.status === 'queued' || s.status === 'running';
  const space = (s.spec as { space: Record<string, unknown>; method: { method: string }; concurrency?: number });
  const varied = [...Object.keys(space.space), ...(space.method.method === 'halving' ? ['epochs'] : [])];
  const compare = `/console/projects/${project}/runs/compare?ids=${s.trials.map((t) => t.runId).join(',')}`;
  return (
    <>
      {active && <meta http-equiv="refresh" content="2" />}
      <p><a href={`/console/projects/${project}/runs`}>← Runs of {project}</a></p>
      <h1>Search <code>{shortId(s.id)}</code> · {s.model} <span class={s.status === 'failed' ? 'fail' : s.status === 'succeeded' ? 'pub' : 'muted'}>{s.status}</span></h1>
      <p class="muted">
        {space.method.method} · {s.trials.length} of {s.planned} trials, {space.concurrency ?? 1} at a time · ranked by {s.metric} on the validation rows
        {s.trials.length >= 2 && <> · <a href={compare}>compare the trials</a></>}
      </p>
      {s.error && <p class="err">{s.error.message}</p>}
      {s.finalRun && (
        <p>
          Best configuration retrained as run <a href={runUrl(project, s.finalRun.id)}>{shortId(s.finalRun.id)}</a>: {s.finalRun.status}
          {s.finalRun.modelVersion !== null ? `, registered as version ${s.finalRun.modelVersion}` : ''}
        </p>
      )}
      <table class="trials">
        <thead><tr><th>#</th><th>run</th>{varied.map((k) => <th>{k}</th>)}<th>{s.metric}</th><th>status</th></tr></thead>
        <tbody>
          {s.trials.map((t, i) => (
            <tr class={t.runId === s.bestRunId ? 'added' : ''} data-run={t.runId}>
              <td>{i + 1}</td>
              <td><a href={runUrl(project, t.runId)}>{shortId(t.runId)}</a></td>
              {varied.map((k) => <td>{show(t.params[k])}</td>)}
              <td>{t.score === null ? '–' : t.score.toFixed(4)}</td>
              <td>{t.status}{t.runId === s.bestRunId ? ' · best' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
