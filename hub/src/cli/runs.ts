/** How the CLI shows training runs: lists, one run in full, several side by side, live epochs. */
import { headline } from '../training/headline.ts';
import type { RunView } from './client.ts';

const fixed = (x: number | undefined, digits = 3) => (x === undefined || x === null ? '-' : x.toFixed(digits));
const short = (id: string) => id.slice(0, 8);
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** One line per run: id, model, status, version, validation accuracy (or RMSE for a regressor), tags, when. */
export function formatRunList(runs: readonly RunView[]): string {
  if (runs.length === 0) return 'no runs';
  const regressors = runs.some((r) => headline(r.metrics).key === 'validationRmse');
  const score = (r: RunView) => {
    const h = headline(r.metrics);
    return h.key === 'validationRmse' ? `rmse ${h.text.slice('RMSE '.length)}` : fixed(h.value);
  };
  const rows = runs.map((r) => [short(r.id), r.model, r.status, r.modelVersion === null ? '-' : `v${r.modelVersion}`, score(r), r.tags.join(',') || '-', when(r.createdAt)]);
  return table([['run', 'model', 'status', 'version', regressors ? 'val acc/rmse' : 'val acc', 'tags', 'created'], ...rows]);
}

/** A run in full: outcome, parameters, lineage, system, tags, notes, and its learning curve every few epochs. */
export function formatRun(r: RunView): string {
  const lines = [`run ${r.id} (${r.model}) ${r.status}${r.modelVersion === null ? '' : `: version ${r.modelVersion}`}`];
  if (r.error) lines.push(`  error: ${r.error.message}`);
  if (r.metrics) lines.push(`  metrics: ${Object.entries(r.metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(', ')}`);
  lines.push(`  params: ${Object.entries(r.config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
  if (r.lineage) {
    const l = r.lineage;
    const code = l.code === null ? 'unknown' : 'version' in l.code ? l.code.version : `${l.code.commit.slice(0, 12)}${l.code.dirty ? ' (dirty)' : ''}`;
    lines.push(`  lineage: ${l.dataset} v${l.datasetVersion} (${l.datasetSha256.slice(0, 12)}), split ${l.splitHash?.slice(0, 12) ?? '-'}, features ${l.featuresHash?.slice(0, 12) ?? '-'}, code ${code}, seed ${l.seed}`);
  }
  if (r.system) lines.push(`  system: ${Object.entries(r.system).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (r.acceptance) {
    const a = r.acceptance;
    lines.push(`  acceptance: ${a.passed ? 'passed' : 'FAILED'}${a.champion ? ` (against production version ${a.champion.version})` : ''}${a.override ? `, registered anyway: ${a.override}` : ''}`);
    for (const g of a.gates) lines.push(`    ${g.passed ? 'pass' : 'FAIL'} ${String(g.gate.kind).padEnd(9)} ${g.detail}`);
  }
  const evaluation = r.evaluation;
  if (evaluation?.task === 'regression' && evaluation.test) {
    const t = evaluation.test;
    lines.push(`  test: ${t.rows} rows, MAE ${t.mae.toPrecision(4)}, RMSE ${t.rmse.toPrecision(4)}, R² ${fixed(t.r2)}; baseline (training mean) RMSE ${evaluation.baseline?.rmse.toPrecision(4) ?? '-'}`);
  }
  const test = evaluation?.task === 'regression' ? null : evaluation?.test;
  if (test) {
    lines.push(`  test: ${test.rows} rows, accuracy ${fixed(test.accuracy)}, macro F1 ${fixed(test.macro.f1)}, ROC AUC ${fixed(test.rocAuc.macro ?? undefined)}, log loss ${fixed(test.logLoss, 4)}; baseline accuracy ${fixed(evaluation?.task === 'regression' ? undefined : evaluation?.baseline?.accuracy)}`);
    const classes = test.perClass.map((c) => c.class);
    lines.push('  confusion (rows: true, columns: predicted):', ...table([['', ...classes], ...test.confusion.map((row, i) => [classes[i]!, ...row.map(String)])]).split('\n').map((l) => `    ${l}`));
  }
  if (r.tags.length > 0) lines.push(`  tags: ${r.tags.join(', ')}`);
  if (r.notes) lines.push(`  notes: ${r.notes}`);
  const history = r.history ?? [];
  if (history.length > 0) {
    const every = Math.max(1, Math.ceil(history.length / 10));
    const shown = history.filter((h, i) => i % every === 0 || i === history.length - 1);
    const rmse = headline(history[0]).key === 'validationRmse';
    const score = (h: (typeof history)[number]) => (rmse ? fixed(h.validationRmse, 2) : fixed(h.validationAccuracy));
    lines.push('  epochs:', ...table([['epoch', 'loss', 'val loss', rmse ? 'val rmse' : 'val acc'], ...shown.map((h) => [String(h.epoch), fixed(h.loss, 4), fixed(h.validationLoss, 4), score(h)])]).split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n');
}

/** Runs side by side: every parameter (differing ones marked *), the final metrics, and each run's best epoch. */
export function formatComparison(runs: readonly RunView[]): string {
  const header = ['', ...runs.map((r) => short(r.id))];
  const keys = (pick: (r: RunView) => Record<string, unknown> | null | undefined) => [...new Set(runs.flatMap((r) => Object.keys(pick(r) ?? {})))].sort();
  const show = (v: unknown) => (v === undefined ? '-' : typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : JSON.stringify(v));
  const params = keys((r) => r.config).map((k) => {
    const values = runs.map((r) => show(r.config[k]));
    return [`${new Set(values).size > 1 ? '*' : ' '} ${k}`, ...values];
  });
  const metrics = keys((r) => r.metrics).map((k) => [`  ${k}`, ...runs.map((r) => show(r.metrics?.[k]))]);
  // Classifiers by highest validation accuracy, regressors by lowest validation RMSE.
  const { key, lowerIsBetter } = headline(runs.find((r) => r.history?.[0])?.history?.[0]);
  const best = [`  best epoch (val ${lowerIsBetter ? 'rmse' : 'acc'})`, ...runs.map((r) => {
    const h = r.history ?? [];
    const better = (a: number | undefined, b: number | undefined) => b !== undefined && (a === undefined || (lowerIsBetter ? b < a : b > a));
    const top = h.reduce<(typeof h)[number] | undefined>((a, b) => (a === undefined || better(a[key], b[key]) ? b : a), undefined);
    return top ? `${top.epoch} (${fixed(top[key], lowerIsBetter ? 2 : 3)})` : '-';
  })];
  return [table([header, ['parameters', ...runs.map(() => '')], ...params, ['metrics', ...runs.map(() => '')], ...metrics, best]), '* differs between runs'].join('\n');
}

/** The newest epoch of a training run, as the CLI shows it while it trains. */
export function epochLine(r: RunView): string | null {
  const last = r.history?.at(-1);
  if (!last) return null;
  const total = typeof r.config.epochs === 'number' ? r.config.epochs : '?';
  const score = last.validationRmse !== undefined ? `val rmse ${fixed(last.validationRmse, 2)}` : `val acc ${fixed(last.validationAccuracy)}`;
  return `epoch ${last.epoch}/${total}  loss ${fixed(last.loss, 4)}  val loss ${fixed(last.validationLoss, 4)}  ${score}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}
