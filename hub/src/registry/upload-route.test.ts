import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared
// builds its schemas (data/routes.ts calls `.openapi()` on one of them).
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { sha256Hex, type ColumnProfile, type ErrorBody, type FeatureSpec } from '@outpost/shared';
import { createApp } from '../app.ts';
import { writeDenseClassifierOnnx } from '../packaging/onnx-writer.ts';
import { customOpModel, denseModel, editModel, numericSpec } from './test-support.ts';

// POST …/models/{model}/versions through the real app (in-memory libSQL, blobs in a temp folder).

const MAX_MODEL_BYTES = 16 * 1024;
let hub: NodeHub;
let dataDir: string;

const api = (path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${hub.adminToken}`);
  return hub.app.request(path, { ...init, headers });
};

type Part = Uint8Array | string | object;
function form(parts: Record<string, Part>): FormData {
  const f = new FormData();
  for (const [name, v] of Object.entries(parts)) {
    if (v instanceof Uint8Array) f.append(name, new Blob([v as Uint8Array<ArrayBuffer>]), `${name}.onnx`);
    else f.append(name, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return f;
}
const upload = (model: string, parts: Record<string, Part>) => api(`/v1/projects/demo/models/${model}/versions`, { method: 'POST', body: form(parts) });
const versionCount = async (model: string) => {
  const res = await api(`/v1/projects/demo/models/${model}`);
  return res.status === 404 ? 0 : ((await res.json()) as { versions: unknown[] }).versions.length;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-upload-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', limits: { maxDatasetBytes: MAX_MODEL_BYTES } });
  expect((await api('/v1/projects', { method: 'POST', body: '{"id":"demo"}', headers: { 'content-type': 'application/json' } })).status).toBe(201);
});
afterAll(async () => {
  hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('POST /v1/projects/{project}/models/{model}/versions', () => {
  const spec = numericSpec(2, 3);

  it('registers a checked model as the next version, as the registry shows versions', async () => {
    const bytes = denseModel(2, 3);
    const res = await upload('iris', { model: bytes, features: spec, metrics: { accuracy: 0.93 } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      version: 1,
      createdAt: expect.any(Number),
      runId: null,
      datasetVersionId: null,
      artifact: { sha256: await sha256Hex(bytes), size: bytes.byteLength },
      input: { name: 'input', shape: [-1, 2], type: 'float32' },
      output: { name: 'probabilities', shape: [-1, 3], type: 'float32' },
      features: spec,
      metrics: { accuracy: 0.93 },
      predictions: 0,
      referenceSha256: null,
    });
    const model = (await (await api('/v1/projects/demo/models/iris')).json()) as { versions: unknown[] };
    expect(model.versions).toEqual([body]);
    // The same bytes again are another version (a version is a registration, not only bytes); no metrics is null.
    const again = await upload('iris', { model: bytes, features: spec });
    expect(await again.json()).toMatchObject({ version: 2, metrics: null, artifact: { sha256: await sha256Hex(bytes) } });
  });

  const notAnOp = editModel(denseModel(2, 3), (m) => {
    m.graph.node.find((n) => n.op_type === 'Softmax')!.op_type = 'Softmaxx';
  });
  // Data-driven: the parts sent, the status, where the error points, words of its message.
  const refusals: [string, Record<string, Part>, number, string, RegExp][] = [
    ['bytes that are not ONNX', { model: new TextEncoder().encode('not a model at all'), features: spec }, 400, 'model', /not an ONNX ModelProto/],
    ['an empty file', { model: new Uint8Array(0), features: spec }, 400, 'model', /empty/],
    ['a width the features do not encode', { model: denseModel(4, 3), features: spec }, 400, 'features', /encode 2 values per record but the model's input 'input' \[batch, 4\] takes 4/],
    ['another class count', { model: denseModel(2, 4), features: spec }, 400, 'features.label.classes', /3 label classes/],
    ['a custom-domain operator', { model: customOpModel(2, 3), features: spec }, 400, 'model', /operator FancySoftmax of domain 'com\.acme' is not implemented by onnxruntime-web/],
    ['an operator onnxruntime does not know', { model: notAnOp, features: spec }, 400, 'model', /Softmaxx/],
    ['outputs that are not probabilities', { model: denseModel(2, 3, { activation: 'relu' }), features: spec }, 400, 'model', /not probabilities.*Softmax/],
    ['no feature spec', { model: denseModel(2, 3) }, 400, 'features', /missing/],
    ['a feature spec that is not JSON', { model: denseModel(2, 3), features: '{nope' }, 400, 'features', /not JSON/],
    ['an invalid feature spec', { model: denseModel(2, 3), features: { ...spec, label: { name: 'label', classes: ['only'] } } }, 400, 'features.label.classes', /2/],
    ['metrics that are not numbers', { model: denseModel(2, 3), features: spec, metrics: { accuracy: 'high' } }, 400, 'metrics.accuracy', /number/],
    ['a part it would drop', { model: denseModel(2, 3), features: spec, message: 'pytorch 2.4 export' }, 400, 'message', /unknown part/],
    ['the model as a text field', { model: 'model.onnx', features: spec }, 400, 'model', /file part/],
    ['no model', { features: spec }, 400, 'model', /missing/],
    ['a model over the limit', { model: new Uint8Array(MAX_MODEL_BYTES + 1), features: spec }, 413, 'model', /limited to 16384 bytes/],
  ];
  it.each(refusals)('refuses %s, registering nothing', async (_, parts, status, path, words) => {
    const res = await upload('refused', parts);
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.issues?.[0]?.path).toBe(path);
    expect(`${error.message} ${error.issues?.[0]?.message}`).toMatch(words);
    expect(await versionCount('refused')).toBe(0);
  });

  it('refuses a body that is not multipart, and a project that does not exist', async () => {
    const json = await api('/v1/projects/demo/models/refused/versions', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(((await json.json()) as ErrorBody).error.issues?.[0]?.path).toBe('content-type');
    expect((await api('/v1/projects/nope/models/iris/versions', { method: 'POST', body: form({ model: denseModel(2, 3), features: spec }) })).status).toBe(404);
    expect(await versionCount('refused')).toBe(0);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await api('/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    expect(Object.keys(doc.paths['/v1/projects/{project}/models/{model}/versions']?.post?.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
  });

  it('answers 501, registering nothing, on a hub without a model runtime (the Workers build)', async () => {
    const { models: _, ...withoutModels } = hub.deps;
    const bare = createApp(withoutModels);
    const res = await bare.request('/v1/projects/demo/models/refused/versions', { method: 'POST', body: form({ model: denseModel(2, 3), features: spec }), headers: { authorization: `Bearer ${hub.adminToken}` } });
    expect(res.status).toBe(501);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(/cannot check ONNX models/) });
    expect(await versionCount('refused')).toBe(0);
  });
});

describe('POST …/versions with reference=dataset@version', () => {
  // f0 numeric (standardized: mean 1, std 2) and f1 categorical (a, b): 3 inputs, 3 classes.
  const spec: FeatureSpec = {
    features: [
      { name: 'f0', kind: 'numeric', mean: 1, std: 2 },
      { name: 'f1', kind: 'categorical', categories: ['a', 'b'], mode: 'a' },
    ],
    label: { name: 'label', classes: ['c0', 'c1', 'c2'] },
  };
  type Row = { f0: number | string; f1: string };
  const rows: Row[] = Array.from({ length: 50 }, (_, i) => ({ f0: i / 10 - 2, f1: i % 3 === 0 ? 'a' : 'b' }));
  const csv = (records: Row[], columns = ['f0', 'f1']) =>
    [[...columns, 'label'].join(','), ...records.map((r, i) => [...columns.map((c) => r[c as keyof Row]), `c${i % 3}`].join(','))].join('\n') + '\n';
  const pushDataset = async (name: string, body: string) => {
    const res = await api(`/v1/projects/demo/datasets/${name}/versions`, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(201);
    return (await res.json()) as { version: number; sha256: string };
  };

  // A model whose prediction varies over the rows: low f0 → c0, high → c2, in between a leans c0 and b c1.
  const kernel = [[-3, 0, 3], [0.5, 0, 0], [0, 0.5, 0]];
  const bias = [0, 0.2, 0];
  const bytes = writeDenseClassifierOnnx({
    inputName: 'input',
    outputName: 'probabilities',
    inputWidth: 3,
    layers: [{ in: 3, out: 3, activation: 'softmax', kernel: Float32Array.from(kernel.flat()), bias: Float32Array.from(bias) }],
  });
  /** The model worked by hand in float64: the encoded record · kernel + bias, then softmax. */
  const probabilities = (r: Row): number[] => {
    const x = [(Number(r.f0) - 1) / 2, r.f1 === 'a' ? 1 : 0, r.f1 === 'b' ? 1 : 0];
    const logits = [0, 1, 2].map((j) => x.reduce((sum, v, k) => sum + v * kernel[k]![j]!, bias[j]!));
    const e = logits.map((l) => Math.exp(l - Math.max(...logits)));
    return e.map((v) => v / e.reduce((a, b) => a + b, 0));
  };
  type Profile = { rowCount: number; columns: ColumnProfile[] };
  const column = (p: Profile, name: string) => p.columns.find((c) => c.name === name)!;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it("runs the model on the version's rows and serves their profile as its reference, recorded on the card", async () => {
    const dataset = await pushDataset('ref', csv(rows));
    const res = await upload('profiled', { model: bytes, features: spec, reference: 'ref@1' });
    expect(res.status).toBe(201);
    const version = (await res.json()) as { version: number; datasetVersionId: number | null; referenceSha256: string | null };
    expect(version).toMatchObject({ version: 1, datasetVersionId: expect.any(Number), referenceSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const reference = (await (await api('/v1/projects/demo/models/profiled/versions/1/reference')).json()) as { features: Profile; outputs: Profile };
    // The rows' raw features, as a device would send them.
    expect(reference.features.rowCount).toBe(50);
    expect(reference.features.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['f0:numeric', 'f1:categorical']);
    expect(column(reference.features, 'f0').numeric!.mean).toBeCloseTo(mean(rows.map((r) => Number(r.f0))), 9);
    expect(column(reference.features, 'f1').categorical!.top).toEqual([{ value: 'b', count: 33 }, { value: 'a', count: 17 }]);
    // The model's outputs on them: each class probability, and the predicted class.
    const expected = rows.map(probabilities);
    expect(reference.outputs.rowCount).toBe(50);
    expect(reference.outputs.columns.map((c) => c.name)).toEqual(['p(c0)', 'p(c1)', 'p(c2)', 'predicted']);
    for (const j of [0, 1, 2]) expect(column(reference.outputs, `p(c${j})`).numeric!.mean).toBeCloseTo(mean(expected.map((p) => p[j]!)), 5);
    const predicted = new Map<string, number>();
    for (const p of expected) predicted.set(`c${p.indexOf(Math.max(...p))}`, (predicted.get(`c${p.indexOf(Math.max(...p))}`) ?? 0) + 1);
    expect(Object.fromEntries(column(reference.outputs, 'predicted').categorical!.top.map((t) => [t.value, t.count]))).toEqual(Object.fromEntries(predicted));
    // 50 rows ≤ 1000: the raw numeric values are kept, in row order, for exact KS.
    const { sample } = reference as unknown as { sample: { rows: number; columns: Record<string, number[]> } };
    expect(sample.rows).toBe(50);
    expect(Object.keys(sample.columns)).toEqual(['f0', 'p(c0)', 'p(c1)', 'p(c2)']);
    expect(sample.columns.f0).toEqual(rows.map((r) => Number(r.f0)));
    for (const j of [0, 1, 2]) sample.columns[`p(c${j})`]!.forEach((p, i) => expect(p).toBeCloseTo(expected[i]![j]!, 5));

    // Its reference data is on its model card, JSON and Markdown.
    const card = (await (await api('/v1/projects/demo/models/profiled/versions/1/card')).json()) as Record<string, unknown>;
    expect(card).toMatchObject({ origin: 'uploaded', training: null, reference: { dataset: 'ref', datasetVersion: dataset.version, datasetSha256: dataset.sha256, rows: 50 } });
    const markdown = await (await api('/v1/projects/demo/models/profiled/versions/1/card?format=markdown')).text();
    expect(markdown).toContain(`- Reference data: ref version 1 (50 rows, SHA-256 \`${dataset.sha256}\`)`);
    // And on the console's card page, linked to the dataset version.
    const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await hub.app.request('/console/projects/demo/models/profiled/versions/1/card', { headers: { cookie } })).text();
    expect(page).toContain('Reference data: <a href="/console/projects/demo/datasets/ref/versions/1">ref v1</a> (50 rows)');
    expect(page).toContain('- Reference data: ref version 1 (50 rows');

    // A model exported with a fixed batch of 1 is run one row at a time, to the same profile.
    const batchOfOne = editModel(bytes, (m) => {
      (m.graph.input[0] as unknown as { type: { tensor_type: { shape: { dim: object[] } } } }).type.tensor_type.shape.dim[0] = { dim_value: 1 };
    });
    const b1 = await upload('profiled-b1', { model: batchOfOne, features: spec, reference: 'ref@1' });
    expect(b1.status).toBe(201);
    expect(await b1.json()).toMatchObject({ input: { shape: [1, 3] } });
    const single = (await (await api('/v1/projects/demo/models/profiled-b1/versions/1/reference')).json()) as { features: Profile; outputs: Profile };
    expect(single.features).toEqual(reference.features);
    for (const j of [0, 1, 2]) expect(column(single.outputs, `p(c${j})`).numeric!.mean).toBeCloseTo(column(reference.outputs, `p(c${j})`).numeric!.mean, 6);
    expect(column(single.outputs, 'predicted').categorical).toEqual(column(reference.outputs, 'predicted').categorical);

    // Without a reference, a version has none to serve, as before.
    expect((await upload('profiled', { model: bytes, features: spec })).status).toBe(201);
    const none = await api('/v1/projects/demo/models/profiled/versions/2/reference');
    expect(none.status).toBe(404);
    expect(((await none.json()) as ErrorBody).error.issues?.[0]?.path).toBe('version');
    expect(await (await api('/v1/projects/demo/models/profiled/versions/2/card')).json()).toMatchObject({ reference: null });
  });

  // Data-driven: the reference named, where the error points (row, column), words of its message.
  const refusals: [string, string, { row?: number; column?: string }, RegExp][] = [
    ['an unknown dataset', 'nope@1', {}, /no dataset nope in project demo/],
    ['an unknown version', 'ref@9', {}, /dataset ref has no version 9 \(its latest is 1\)/],
    ['a reference not written dataset@version', 'ref', {}, /as dataset@version \(e\.g\. penguins@3\)/],
    ['a dataset without a column for a feature', 'partial@1', { column: 'f1' }, /partial@1 has no column f1/],
    ['a row that does not encode', 'broken@1', { row: 4, column: 'f0' }, /broken@1 row 4 does not encode with the spec: f0 must be a number, got "oops"/],
  ];
  it.each(refusals)('refuses %s with 400, registering nothing', async (_, reference, where, words) => {
    await api('/v1/projects/demo/datasets/partial/versions', { method: 'POST', body: csv(rows, ['f0']), headers: { 'content-type': 'text/csv' } });
    await api('/v1/projects/demo/datasets/broken/versions', { method: 'POST', body: csv(rows.map((r, i) => (i === 3 ? { ...r, f0: 'oops' } : r))), headers: { 'content-type': 'text/csv' } });
    const res = await upload('refused-ref', { model: bytes, features: spec, reference });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues?.[0]).toMatchObject({ path: 'reference', ...where });
    expect(`${error.message} ${error.issues?.[0]?.message}`).toMatch(words);
    expect(await versionCount('refused-ref')).toBe(0);
  });
});
