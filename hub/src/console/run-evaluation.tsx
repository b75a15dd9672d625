/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * A run's acceptance verdict and evaluation reports, as a person reads them: which gates held and
 * with what numbers, then the test report — per-class metrics, the confusion matrix, calibration;
 * or for a regressor MAE, RMSE, R², the residuals' histogram and plot — beside the baseline, and the
 * report per slice.
 */
import type { Run } from '../training/store.ts';
import type { ClassificationReport, RegressionReport } from '../training/evaluation/index.ts';
import type { TrainEvaluation } from '../training/types.ts';
import { Bars, ScatterChart } from './run-charts.tsx';

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));
const num = (x: number | null) => (x === null ? '–' : Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : Number.isInteger(x) ? String(x) : x.toFixed(4));

export function Acceptance(props: { run: Run }) {
  const a = props.run.acceptance;
  if (!a) return <p class="muted">Checked once trained.</p>;
  return (
    <>
      <p>
        {a.passed ? <span class="pub">passed</span> : <span class="fail">failed</span>}
        {a.champion ? ` · compared with production version ${a.champion.version}` : ' · no production version to compare with'}
        {a.override && <> · registered anyway: “{a.override}”</>}
      </p>
      <table class="gates">
        <thead><tr><th>gate</th><th>observed</th><th>against</th><th>result</th><th /></tr></thead>
        <tbody>
          {a.gates.map((g) => (
            <tr class={g.passed ? '' : 'failed'} data-gate={String(g.gate.kind)}>
              <td>{String(g.gate.kind)}</td>
              <td>{num(g.observed)}</td>
              <td>{num(g.against)}</td>
              <td>{g.passed ? 'pass' : 'FAIL'}</td>
              <td class="muted">{g.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ReportTables(props: { report: ClassificationReport; title: string }) {
  const r = props.report;
  const classes = r.perClass.map((c) => c.class);
  return (
    <section class="report" data-report={props.title}>
      <h3>{props.title} <span class="muted">{r.rows} rows · accuracy {f3(r.accuracy)} · macro F1 {f3(r.macro.f1)} · ROC AUC {f3(r.rocAuc.macro)} · log loss {f3(r.logLoss)} · ECE {f3(r.calibration.ece)}</span></h3>
      <table class="per-class">
        <thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>ROC AUC</th></tr></thead>
        <tbody>
          {r.perClass.map((c, i) => (
            <tr><td>{c.class}</td><td>{f3(c.precision)}</td><td>{f3(c.recall)}</td><td>{f3(c.f1)}</td><td>{c.support}</td><td>{f3(r.rocAuc.perClass[i])}</td></tr>
          ))}
        </tbody>
      </table>
      <table class="confusion">
        <caption>Confusion matrix (rows: true class, columns: predicted)</caption>
        <thead><tr><th />{classes.map((c) => <th>{c}</th>)}</tr></thead>
        <tbody>
          {r.confusion.map((row, i) => (
            <tr><th>{classes[i]}</th>{row.map((n, j) => <td class={i === j ? 'diag' : n > 0 ? 'off' : ''}>{n}</td>)}</tr>
          ))}
        </tbody>
      </table>
      <table class="calibration">
        <caption>Calibration ({r.calibration.method}): accuracy by confidence</caption>
        <thead><tr><th>confidence</th><th>rows</th><th>mean confidence</th><th>accuracy</th></tr></thead>
        <tbody>
          {r.calibration.bins.filter((b) => b.count > 0).map((b) => (
            <tr><td>{b.lower.toFixed(1)}–{b.upper.toFixed(1)}</td><td>{b.count}</td><td>{f3(b.meanConfidence)}</td><td>{f3(b.accuracy)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RegressionTables(props: { report: RegressionReport; title: string }) {
  const r = props.report;
  const { edges, counts } = r.residuals.histogram;
  return (
    <section class="report" data-report={props.title}>
      <h3>{props.title} <span class="muted">{r.rows} rows · MAE {num(r.mae)} · RMSE {num(r.rmse)} · R² {f3(r.r2)}</span></h3>
      <Bars
        title={`Residuals (actual − predicted), ${props.title}`}
        values={counts}
        titles={counts.map((_, i) => `${num(edges[i]!)} to ${num(edges[i + 1]!)}`)}
        axis={[num(edges[0] ?? 0), num(edges.at(-1) ?? 0)]}
      />
      <ScatterChart
        title={`Residual plot, ${props.title}`}
        xLabel="predicted"
        yLabel="residual"
        labels={false}
        points={r.residuals.sample.map((p) => ({ x: p.predicted, y: p.residual, label: `row ${p.row}`, color: '#2563eb' }))}
      />
    </section>
  );
}

function RegressionEvaluation(props: { e: Extract<TrainEvaluation, { task: 'regression' }> }) {
  const { e } = props;
  return (
    <>
      {e.test ? <RegressionTables report={e.test} title="Test (held back)" /> : <p class="muted">No test rows (testFraction 0): the validation report only.</p>}
      {e.baseline && <p>Baseline (always the training mean) on the same rows: MAE {num(e.baseline.mae)}, RMSE {num(e.baseline.rmse)}, R² {f3(e.baseline.r2)}.</p>}
      {e.slices && (
        <table class="slices">
          <caption>Test by {e.slices.column}</caption>
          <thead><tr><th>{e.slices.column}</th><th>rows</th><th>MAE</th><th>RMSE</th><th>R²</th></tr></thead>
          <tbody>
            {e.slices.slices.map((s) => (
              <tr><td>{s.slice}</td><td>{s.rows}</td><td>{num(s.report.mae)}</td><td>{num(s.report.rmse)}</td><td>{f3(s.report.r2)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <RegressionTables report={e.validation} title="Validation" />
    </>
  );
}

export function Evaluation(props: { run: Run }) {
  const e = props.run.evaluation;
  if (!e) return <p class="muted">Evaluated once trained.</p>;
  if (e.task === 'regression') return <RegressionEvaluation e={e} />;
  return (
    <>
      {e.test ? <ReportTables report={e.test} title="Test (held back)" /> : <p class="muted">No test rows (testFraction 0): the validation report only.</p>}
      {e.baseline && (
        <p>Baseline (always the most frequent training class) on the same rows: accuracy {f3(e.baseline.accuracy)}, macro F1 {f3(e.baseline.macro.f1)}.</p>
      )}
      {e.slices && (
        <table class="slices">
          <caption>Test by {e.slices.column}</caption>
          <thead><tr><th>{e.slices.column}</th><th>rows</th><th>accuracy</th><th>macro F1</th></tr></thead>
          <tbody>
            {e.slices.slices.map((s) => (
              <tr><td>{s.slice}</td><td>{s.rows}</td><td>{f3(s.report.accuracy)}</td><td>{f3(s.report.macro.f1)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <ReportTables report={e.validation} title="Validation" />
    </>
  );
}
