/**
 * A model card: what a person deciding whether to ship (or trust) a model version needs on one
 * page — what it predicts from what, the data and code it was made from, how it did on held-back
 * rows and against its gates, and what it is meant for. Built from what the hub already stores
 * with the version and its run, so it never disagrees with them. Pure.
 */
import type { FeatureSpec } from '@outpost/shared';
import type { Run } from '../training/store.ts';
import type { ModelVersion } from './store.ts';

export interface ModelCard {
  model: string;
  version: number;
  createdAt: string;
  artifact: { sha256: string; size: number; format: 'onnx' };
  predicts: { label: string; classes: string[] };
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
  metrics: Record<string, number>;
  test: { rows: number; accuracy: number; macroF1: number; rocAuc: number | null; perClass: { class: string; precision: number; recall: number; f1: number; support: number }[] } | null;
  baselineAccuracy: number | null;
  slices: { column: string; slices: { slice: string; rows: number; accuracy: number }[] } | null;
  gates: { passed: boolean; override: string | null; results: { kind: string; passed: boolean; detail: string }[] } | null;
  intendedUse: string | null;
}

/** @example buildModelCard({ model: 'penguins', version: v, run }) */
export function buildModelCard(input: { model: string; version: ModelVersion; run: Run | null }): ModelCard {
  const { version: v, run } = input;
  const features: FeatureSpec = v.signature.features;
  const config = (run?.config ?? {}) as unknown as Record<string, unknown>;
  const code = run?.lineage?.code ?? null;
  const m = (v.metrics ?? {}) as Record<string, number>;
  const test = run?.evaluation?.test ?? null;
  return {
    model: input.model,
    version: v.version,
    createdAt: new Date(v.createdAt).toISOString(),
    artifact: { sha256: v.artifactSha256, size: v.artifactSize, format: 'onnx' },
    predicts: { label: features.label.name, classes: features.label.classes },
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
    metrics: m,
    test: test
      ? { rows: test.rows, accuracy: test.accuracy, macroF1: test.macro.f1, rocAuc: test.rocAuc.macro, perClass: test.perClass.map((c) => ({ class: c.class, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })) }
      : null,
    baselineAccuracy: run?.evaluation?.baseline?.accuracy ?? null,
    slices: run?.evaluation?.slices ? { column: run.evaluation.slices.column, slices: run.evaluation.slices.slices.map((s) => ({ slice: s.slice, rows: s.rows, accuracy: s.report.accuracy })) } : null,
    gates: run?.acceptance ? { passed: run.acceptance.passed, override: run.acceptance.override, results: run.acceptance.gates.map((g) => ({ kind: String(g.gate.kind), passed: g.passed, detail: g.detail })) } : null,
    intendedUse: typeof config.intendedUse === 'string' ? config.intendedUse : null,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The card as Markdown, for a README, a review or the CLI. */
export function renderModelCard(card: ModelCard): string {
  const lines = [`# ${card.model} version ${card.version}`, '', `Predicts **${card.predicts.label}** (${card.predicts.classes.join(', ')}) from ${card.inputs.map((i) => `${i.name} (${i.kind})`).join(', ')}.`, ''];
  lines.push(`- Artifact: ONNX, ${card.artifact.size} bytes, SHA-256 \`${card.artifact.sha256}\``, `- Registered: ${card.createdAt}`);
  lines.push(card.intendedUse ? `- Intended use: ${card.intendedUse}` : '- Intended use: not stated (give `intendedUse` when training)');
  lines.push('', '## Data and code');
  const t = card.training;
  if (!t) lines.push('', 'Uploaded from elsewhere: the hub did not train it and holds no lineage.');
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
  if (card.test) {
    lines.push('', `On ${card.test.rows} held-back test rows: accuracy ${pct(card.test.accuracy)}, macro F1 ${card.test.macroF1.toFixed(3)}, ROC AUC ${card.test.rocAuc?.toFixed(3) ?? 'n/a'}${card.baselineAccuracy !== null ? `; always predicting the most frequent class: ${pct(card.baselineAccuracy)}` : ''}.`, '', '| class | precision | recall | F1 | support |', '|---|---|---|---|---|');
    for (const c of card.test.perClass) lines.push(`| ${c.class} | ${c.precision.toFixed(3)} | ${c.recall.toFixed(3)} | ${c.f1.toFixed(3)} | ${c.support} |`);
  } else lines.push('', Object.keys(card.metrics).length > 0 ? `Metrics: ${Object.entries(card.metrics).map(([k, v]) => `${k} ${v}`).join(', ')}` : 'No held-back evaluation.');
  if (card.slices) {
    lines.push('', `By ${card.slices.column}: ${card.slices.slices.map((s) => `${s.slice} ${pct(s.accuracy)} (${s.rows} rows)`).join(', ')}.`);
  }
  if (card.gates) {
    lines.push('', '## Acceptance gates', '', card.gates.passed ? 'Passed:' : card.gates.override ? `Failed, registered anyway: “${card.gates.override}”.` : 'Failed:');
    for (const g of card.gates.results) lines.push(`- ${g.passed ? 'pass' : 'FAIL'} ${g.kind}: ${g.detail}`);
  }
  return lines.join('\n') + '\n';
}
