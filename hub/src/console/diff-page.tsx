/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { DatasetDiff } from '../data/diff/index.ts';

/** A row-level diff between two versions of a dataset, with a form to pick versions and a key. */
export function DiffPage(props: { project: string; dataset: string; from: number; to: number; keyColumn?: string; diff: DatasetDiff | null; error?: string }) {
  const { diff: d } = props;
  const cell = (x: unknown) => (x === null || x === undefined ? '∅' : String(x));
  return (
    <>
      <p><a href={`/console/projects/${props.project}/datasets/${props.dataset}/versions/${props.to}`}>← {props.dataset} v{props.to}</a></p>
      <h1>{props.dataset}: v{props.from} → v{props.to}</h1>
      <form method="get" class="diff-form">
        from <input name="from" value={String(props.from)} size={4} /> to <input name="to" value={String(props.to)} size={4} /> key column{' '}
        <input name="key" value={props.keyColumn ?? ''} placeholder="(compare whole rows)" /> <button type="submit">Compare</button>
      </form>
      {props.error && <p class="err">{props.error}</p>}
      {d && (
        <>
          <p class="counts">
            <span class="pub">{d.counts.added} added</span> <span class="fail">{d.counts.removed} removed</span> {d.counts.changed} changed · {d.counts.unchanged} unchanged
            <span class="muted"> ({d.mode === 'key' ? `by key ${d.key}` : 'by row hash: a changed row shows as removed + added'})</span>
          </p>
          {(d.schema.added.length > 0 || d.schema.removed.length > 0 || d.schema.typeChanged.length > 0) && (
            <ul class="schema">
              {d.schema.added.map((c) => <li>+ column {c.name} ({c.type})</li>)}
              {d.schema.removed.map((c) => <li>− column {c.name} ({c.type})</li>)}
              {d.schema.typeChanged.map((c) => <li>~ column {c.name}: {c.from} → {c.to}</li>)}
            </ul>
          )}
          <table class="diff">
            <thead><tr><th /><th>row</th><th>values</th></tr></thead>
            <tbody>
              {d.samples.added.map((r) => <tr class="added"><td>+</td><td>{r.row}</td><td><code>{JSON.stringify(r.values)}</code></td></tr>)}
              {d.samples.removed.map((r) => <tr class="removed"><td>−</td><td>{r.row}</td><td><code>{JSON.stringify(r.values)}</code></td></tr>)}
              {d.samples.changed.map((r) => (
                <tr class="changed">
                  <td>~</td>
                  <td>{d.key} {r.key}</td>
                  <td>{r.changes.map((x) => <div>{x.column}: <del>{cell(x.from)}</del> → <ins>{cell(x.to)}</ins></div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">Up to 20 rows of each kind are shown; the counts are exact.</p>
        </>
      )}
    </>
  );
}
