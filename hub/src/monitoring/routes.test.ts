import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import type { ErrorBody, InferenceRecord } from '@outpost/shared';
import { uploadForm } from '../registry/test-support.ts';

// GET /v1/projects/{project}/models/{model}/inferences through the real app (in-memory libSQL).

let hub: NodeHub;
let dataDir: string;
let projectKey: string;

const request = (path: string, token: string | null | undefined, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};
const admin = (path: string, init: RequestInit = {}) => request(path, hub.adminToken, init);

const record = (i: number, model = 'iris'): InferenceRecord => ({
  id: `rec-${String(i).padStart(4, '0')}-xxxxxxxx`,
  seq: i,
  model,
  modelVersion: 1,
  executionProvider: 'wasm',
  latencyMs: 0.5,
  createdAt: 1_700_000_000_000 + i,
  input: { f0: i, f1: 1 },
  output: { label: 'c0', probabilities: [0.5, 0.3, 0.2] },
});
const upload = (records: InferenceRecord[], deviceId = 'device-aaaaaaaa') =>
  request('/v1/device/inferences', projectKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, records }) });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-monitoring-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  const created = await admin('/v1/projects', { method: 'POST', body: '{"id":"demo"}', headers: { 'content-type': 'application/json' } });
  projectKey = ((await created.json()) as { projectKey: string }).projectKey;
  const form = uploadForm(2, 3);
  expect((await admin('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
});
afterAll(async () => {
  hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('GET /v1/projects/{project}/models/{model}/inferences', () => {
  it("lists each stored record of the model once, by id, page after page, without other models' records", async () => {
    expect((await upload([record(3), record(1), record(2)])).status).toBe(200);
    // A retried upload and another model's record: neither shows up twice or here.
    expect((await upload([record(2), record(4), record(5, 'other')], 'device-bbbbbbbb')).status).toBe(200);

    const first = await admin('/v1/projects/demo/models/iris/inferences?limit=3');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { records: { id: string; deviceId: string; seq: number }[]; next: string | null };
    expect(page1.records.map((r) => r.id)).toEqual([record(1).id, record(2).id, record(3).id]);
    expect(page1.records[0]).toEqual({ id: record(1).id, deviceId: 'device-aaaaaaaa', seq: 1, modelVersion: 1, executionProvider: 'wasm', createdAt: record(1).createdAt, receivedAt: expect.any(Number), observedAt: record(1).createdAt, flags: 0 });
    expect(page1.next).toBe(record(3).id);

    const page2 = (await (await admin(`/v1/projects/demo/models/iris/inferences?limit=3&after=${page1.next}`)).json()) as typeof page1;
    expect(page2.records.map((r) => [r.id, r.deviceId])).toEqual([[record(4).id, 'device-bbbbbbbb']]);
    expect(page2.next).toBeNull();
  });

  it('names the bad query field, the missing model, and refuses project keys and anonymous callers', async () => {
    const bad = await admin('/v1/projects/demo/models/iris/inferences?limit=0');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.issues?.[0]?.path).toBe('limit');

    const missing = await admin('/v1/projects/demo/models/nope/inferences');
    expect(missing.status).toBe(404);

    expect((await request('/v1/projects/demo/models/iris/inferences', null)).status).toBe(401);
    expect((await request('/v1/projects/demo/models/iris/inferences', projectKey)).status).toBe(401);
  });
});
