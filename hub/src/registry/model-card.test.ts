import { describe, expect, it } from 'vitest';
import { buildModelCard, renderModelCard } from './model-card.ts';
import type { ModelVersion } from './store.ts';

const version: ModelVersion = {
  version: 3,
  runId: null,
  datasetVersionId: null,
  artifactSha256: 'a'.repeat(64),
  artifactSize: 1234,
  signature: {
    input: { name: 'input', shape: [-1, 2], type: 'float32' },
    output: { name: 'probabilities', shape: [-1, 2], type: 'float32' },
    features: { features: [{ name: 'x', kind: 'numeric', mean: 0, std: 1 }, { name: 'y', kind: 'numeric', mean: 1, std: 2 }], label: { name: 'ok', classes: ['no', 'yes'] } },
  },
  metrics: { accuracy: 0.9 },
  referenceSha256: null,
  createdAt: Date.UTC(2026, 10, 26),
};

describe('model cards', () => {
  it('describes an uploaded model honestly: no lineage, no held-back evaluation, its own metrics', () => {
    const card = buildModelCard({ model: 'churn', version, run: null });
    expect(card).toMatchObject({ origin: 'uploaded', training: null, test: null, gates: null, intendedUse: null, predicts: { label: 'ok', classes: ['no', 'yes'] } });
    const md = renderModelCard(card);
    expect(md).toBe(
      [
        '# churn version 3',
        '',
        'Predicts **ok** (no, yes) from x (numeric), y (numeric).',
        '',
        `- Artifact: ONNX, 1234 bytes, SHA-256 \`${'a'.repeat(64)}\``,
        '- Registered: 2026-11-26T00:00:00.000Z',
        '- Intended use: not stated (give `intendedUse` when training)',
        '',
        '## Data and code',
        '',
        'Uploaded from elsewhere: the hub did not train it and holds no lineage.',
        '',
        '## Performance',
        '',
        'Metrics: accuracy 0.9',
        '',
      ].join('\n'),
    );
  });

  it("names an uploaded model's reference data, the dataset version it was profiled on", () => {
    const dataset = { dataset: 'churn-2026', version: 4, sha256: 'b'.repeat(64), rowCount: 812 };
    const card = buildModelCard({ model: 'churn', version: { ...version, datasetVersionId: 9 }, run: null, dataset });
    expect(card).toMatchObject({ origin: 'uploaded', training: null, reference: { dataset: 'churn-2026', datasetVersion: 4, datasetSha256: 'b'.repeat(64), rows: 812 } });
    expect(renderModelCard(card)).toContain(
      ['## Data and code', '', 'Uploaded from elsewhere: the hub did not train it.', '', `- Reference data: churn-2026 version 4 (812 rows, SHA-256 \`${'b'.repeat(64)}\`): the hub ran the model on every row;`].join('\n'),
    );
    expect(buildModelCard({ model: 'churn', version, run: null }).reference).toBeNull();
  });
});
