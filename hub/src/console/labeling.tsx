/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { LabelSetView as SetView } from '../data/labeling/routes.ts';

// Keys 1–9 pick a class, s skips: the form buttons carry data-key, so the script stays generic.
const SHORTCUTS = `document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.metaKey || e.ctrlKey || e.altKey) return;
  const target = document.querySelector('[data-key="' + e.key.toLowerCase() + '"]');
  if (target) { e.preventDefault(); target.click(); }
});`;

/** Hand labeling, one row at a time, with keyboard shortcuts; progress and agreement below. */
export function LabelingPage(props: { project: string; set: SetView; actor: string; next: { row: number | null; values: Record<string, unknown> | null; remaining: number } }) {
  const { set, next } = props;
  const base = `/console/projects/${props.project}/label-sets/${set.name}`;
  return (
    <>
      <h1>Label set {set.name}</h1>
      <p class="muted">
        {set.dataset} v{set.version} · {set.rows} rows · labels go to column <code>{set.labelColumn}</code> · you are <strong>{props.actor}</strong> · {next.remaining} rows left for you
      </p>
      {next.row === null ? (
        <p class="pub">You have labeled every row.</p>
      ) : (
        <section class="label-row">
          <h2>Row {next.row}</h2>
          <table class="values">
            <tbody>
              {Object.entries(next.values ?? {}).map(([k, v]) => (
                <tr><th>{k}</th><td>{v === null || v === undefined ? '∅' : String(v)}</td></tr>
              ))}
            </tbody>
          </table>
          <form method="post" action={`${base}/label`} class="classes">
            <input type="hidden" name="row" value={String(next.row)} />
            {set.classes.map((c, i) => (
              <button type="submit" name="label" value={c} data-key={i < 9 ? String(i + 1) : undefined}>
                {i < 9 ? <kbd>{i + 1}</kbd> : null} {c}
              </button>
            ))}
            <a href={`${base}?after=${next.row}`} data-key="s" class="skip"><kbd>s</kbd> skip</a>
          </form>
          <script>{raw(SHORTCUTS)}</script>
        </section>
      )}
      <h2>Progress</h2>
      <p>{set.progress.labeled} of {set.rows} rows have a label.</p>
      <table>
        <thead><tr><th>Labeler</th><th>Rows labeled</th></tr></thead>
        <tbody>{Object.entries(set.progress.byLabeler).map(([who, n]) => <tr><td>{who}</td><td>{n}</td></tr>)}</tbody>
      </table>
      {set.agreement.length > 0 && (
        <>
          <h2>Agreement</h2>
          <table class="agreement">
            <thead><tr><th>Labelers</th><th>Rows both labeled</th><th>Agreement</th><th>Cohen's κ</th></tr></thead>
            <tbody>
              {set.agreement.map((a) => (
                <tr><td>{a.labelers.join(' · ')}</td><td>{a.rows}</td><td>{(a.observed * 100).toFixed(1)} %</td><td>{a.kappa === null ? '–' : a.kappa.toFixed(3)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
