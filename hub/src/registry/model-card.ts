/**
 * A model card: what a person deciding whether to ship (or trust) a model version needs on one
 * page — what it predicts from what, the data and code it was made from, how it did on held-back
 * rows and against its gates, and what it is meant for. Built from what the hub already stores
 * with the version and its run, so it never disagrees with them. Pure.
 */
import type { FeatureSpec } from '@outpost/shared';
import type { Run } from '../training/store.ts';
import type { TrainEvaluation } from '../training/types.ts';
import type { ModelVersion } from './store.ts';

export interface ModelCard {
  model: string;
  version: number;
  createdAt: string;
  artifact: { sha256: string; size: number; format: 'onnx' };
  /** A classifier names its classes; a regressor predicts a number. */
  predicts: { label: string; task: 'classification' | 'regression'; classes?: string[] };
  inputs: { name: string; kind: string }[];
  origin: 'trained' | 'uploaded';
  training: {
    runId: string;
    dataset: string | null;
    datasetVersion: number | null;
    datasetSha256: string | null;
    splitHash: string | null;
    featuresHash: string | null;
    code: string | null;
    seed: number | null;
    parameters: Record<string, unknown>;
    rows: { train?: number; validation?: number; test?: number };
  } | null;
  /**
   * An uploaded model's reference data: the dataset version it was run on for its reference profile
   * (GET …/reference). null for a trained model (its reference is its training rows) or one uploaded without.
   */
  reference: { dataset: string; datasetVersion: number; datasetSha256: string; rows: number } | null;
  metrics: Record<string, number>;
  test:
    | { rows: number; accuracy: number; macroF1: number; rocAuc: number | null; perClass: { class: string; precision: number; recall: number; f1: number; support: number }[] }
    | { rows: number; mae: number; rmse: number; r2: number }
    | null;
  /** On the test rows: always the most frequent training class (classification), always the training mean (regression). */
  baselineAccuracy: number | null;
  baselineRmse: number | null;
  /** Per slice: accuracy (classification) or RMSE (regression). */
  slices: { column: string; slices: ({ slice: string; rows: number } & ({ accuracy: number } | { rmse: number }))[] } | null;
  gates: { passed: boolean; override: string | null; results: { kind: string; passed: boolean; detail: string }[] } | null;
  intendedUse: string | null;
}

/** The dataset version a model version records (`datasetVersionId`), as a card names it. */
export interface CardDataset {
  dataset: string;
  version: number;
  sha256: string;
  rowCount: number;
}

/** @example buildModelCard({ model: 'penguins', version: v, run, dataset: null }) */
export function buildModelCard(input: { model: string; version: ModelVersion; run: Run | null; dataset?: CardDataset | null }): ModelCard {
  const { version: v, run } = input;
  const features: FeatureSpec = v.signature.features;
  const config = (run?.config ?? {}) as unknown as Record<string, unknown>;
  const code = run?.lineage?.code ?? null;
  const m = (v.metrics ?? {}) as Record<string, number>;
  const e = run?.evaluation ?? null;
  return {
    model: input.model,
    version: v.version,
    createdAt: new Date(v.createdAt).toISOString(),
    artifact: { sha256: v.artifactSha256, size: v.artifactSize, format: 'onnx' },
    predicts: features.label.task === 'regression' ? { label: features.label.name, task: 'regression' } : { label: features.label.name, task: 'classification', classes: features.label.classes },
    inputs: features.features.map((f) => ({ name: f.name, kind: f.kind })),
    origin: run ? 'trained' : 'uploaded',
    training: run
      ? {
          runId: run.id,
          dataset: run.lineage?.dataset ?? null,
          datasetVersion: run.lineage?.datasetVersion ?? null,
          datasetSha256: run.lineage?.datasetSha256 ?? null,
          splitHash: run.lineage?.splitHash ?? null,
          featuresHash: run.lineage?.featuresHash ?? null,
          code: code === null ? null : 'version' in code ? code.version : `${code.commit}${code.dirty ? ' (uncommitted changes)' : ''}`,
          seed: run.lineage?.seed ?? null,
          parameters: Object.fromEntries(Object.entries(config).filter(([k]) => !['gates', 'allowFailedGates', 'allowFailedValidation', 'register'].includes(k))),
          rows: { train: m.trainRows, validation: m.validationRows, test: m.testRows },
        }
      : null,
    reference: !run && input.dataset ? { dataset: input.dataset.dataset, datasetVersion: input.dataset.version, datasetSha256: input.dataset.sha256, rows: input.dataset.rowCount } : null,
    metrics: m,
    ...cardPerformance(e),
    gates: run?.acceptance ? { passed: run.acceptance.passed, override: run.acceptance.override, results: run.acceptance.gates.map((g) => ({ kind: String(g.gate.kind), passed: g.passed, detail: g.detail })) } : null,
    intendedUse: typeof config.intendedUse === 'string' ? config.intendedUse : null,
  };
}

/** Test, baseline and slices from a run's evaluation, for either task. */
function cardPerformance(e: TrainEvaluation | null): Pick<ModelCard, 'test' | 'baselineAccuracy' | 'baselineRmse' | 'slices'> {
  if (e?.task === 'regression') {
    const { test, baseline, slices } = e;
    return {
      test: test ? { rows: test.rows, mae: test.mae, rmse: test.rmse, r2: test.r2 } : null,
      baselineAccuracy: null,
      baselineRmse: baseline?.rmse ?? null,
      slices: slices ? { column: slices.column, slices: slices.slices.map((s) => ({ slice: s.slice, rows: s.rows, rmse: s.report.rmse })) } : null,
    };
  }
  const test = e?.test ?? null;
  return {
    test: test
      ? { rows: test.rows, accuracy: test.accuracy, macroF1: test.macro.f1, rocAuc: test.rocAuc.macro, perClass: test.perClass.map((c) => ({ class: c.class, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })) }
      : null,
    baselineAccuracy: e?.baseline?.accuracy ?? null,
    baselineRmse: null,
    slices: e?.slices ? { column: e.slices.column, slices: e.slices.slices.map((s) => ({ slice: s.slice, rows: s.rows, accuracy: s.report.accuracy })) } : null,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const num = (x: number) => String(Number(x.toPrecision(4)));

/** The card as Markdown, for a README, a review or the CLI. */
export function renderModelCard(card: ModelCard): string {
  const what = card.predicts.classes ? `(${card.predicts.classes.join(', ')})` : '(a number: regression)';
  const lines = [`# ${card.model} version ${card.version}`, '', `Predicts **${card.predicts.label}** ${what} from ${card.inputs.map((i) => `${i.name} (${i.kind})`).join(', ')}.`, ''];
  lines.push(`- Artifact: ONNX, ${card.artifact.size} bytes, SHA-256 \`${card.artifact.sha256}\``, `- Registered: ${card.createdAt}`);
  lines.push(card.intendedUse ? `- Intended use: ${card.intendedUse}` : '- Intended use: not stated (give `intendedUse` when training)');
  lines.push('', '## Data and code');
  const t = card.training;
  const r = card.reference;
  if (!t && r) {
    lines.push(
      '',
      'Uploaded from elsewhere: the hub did not train it.',
      '',
      `- Reference data: ${r.dataset} version ${r.datasetVersion} (${r.rows} rows, SHA-256 \`${r.datasetSha256}\`): the hub ran the model on every row; their features and its outputs are the reference drift monitoring compares live traffic with`,
    );
  } else if (!t) lines.push('', 'Uploaded from elsewhere: the hub did not train it and holds no lineage.');
  else {
    lines.push(
      '',
      `- Dataset: ${t.dataset ?? '?'} version ${t.datasetVersion ?? '?'} (SHA-256 \`${t.datasetSha256 ?? '?'}\`)`,
      `- Rows: ${t.rows.train ?? '?'} train, ${t.rows.validation ?? '?'} validation, ${t.rows.test ?? 0} held-back test (split \`${t.splitHash?.slice(0, 16) ?? '?'}\`, features \`${t.featuresHash?.slice(0, 16) ?? '?'}\`)`,
      `- Code: ${t.code ?? 'unknown'}; seed ${t.seed ?? '?'}; run \`${t.runId}\``,
      `- Parameters: ${Object.entries(t.parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`,
    );
  }
  lines.push('', '## Performance');
  if (card.test && 'rmse' in card.test) {
    lines.push('', `On ${card.test.rows} held-back test rows: MAE ${num(card.test.mae)}, RMSE ${num(card.test.rmse)}, R² ${card.test.r2.toFixed(3)}${card.baselineRmse !== null ? `; always predicting the training mean: RMSE ${num(card.baselineRmse)}` : ''}.`);
  } else if (card.test) {
    lines.push('', `On ${card.test.rows} held-back test rows: accuracy ${pct(card.test.accuracy)}, macro F1 ${card.test.macroF1.toFixed(3)}, ROC AUC ${card.test.rocAuc?.toFixed(3) ?? 'n/a'}${card.baselineAccuracy !== null ? `; always predicting the most frequent class: ${pct(card.baselineAccuracy)}` : ''}.`, '', '| class | precision | recall | F1 | support |', '|---|---|---|---|---|');
    for (const c of card.test.perClass) lines.push(`| ${c.class} | ${c.precision.toFixed(3)} | ${c.recall.toFixed(3)} | ${c.f1.toFixed(3)} | ${c.support} |`);
  } else lines.push('', Object.keys(card.metrics).length > 0 ? `Metrics: ${Object.entries(card.metrics).map(([k, v]) => `${k} ${v}`).join(', ')}` : 'No held-back evaluation.');
  if (card.slices) {
    lines.push('', `By ${card.slices.column}: ${card.slices.slices.map((s) => `${s.slice} ${'rmse' in s ? `RMSE ${num(s.rmse)}` : pct(s.accuracy)} (${s.rows} rows)`).join(', ')}.`);
  }
  if (card.gates) {
    lines.push('', '## Acceptance gates', '', card.gates.passed ? 'Passed:' : card.gates.override ? `Failed, registered anyway: “${card.gates.override}”.` : 'Failed:');
    for (const g of card.gates.results) lines.push(`- ${g.passed ? 'pass' : 'FAIL'} ${g.kind}: ${g.detail}`);
  }
  return lines.join('\n') + '\n';
}
