import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared
// builds its schemas (data/routes.ts calls `.openapi()` on one of them).
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { sha256Hex, type ErrorBody } from '@outpost/shared';
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
});
