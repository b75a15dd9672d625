import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../../node/create-node-hub.ts';
import type { ErrorBody, FeatureSpec, InferenceRecord } from '@outpost/shared';
import { denseModel } from '../../registry/test-support.ts';

// Late labels for a regressor through the real app (in-memory libSQL): MAE per version and bucket,
// an unmatched label left out until its prediction comes, and the bucket bound.

let hub: NodeHub;
let dataDir: string;
let projectKey: string;
const json = { 'content-type': 'application/json' };
const HOUR = 3_600_000;
const request = (path: string, token: string | undefined, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};
const admin = (path: string, init: RequestInit = {}) => request(path, hub.adminToken, init);
const device = (path: string, body: unknown) => request(path, projectKey, { method: 'POST', headers: json, body: JSON.stringify(body) });
const id = (i: number) => `mass-${String(i).padStart(4, '0')}-xxxx`;
// Two hours back and one hour back, from one clock reading: exactly one bucket apart, so never in
// the same hour bucket and never split across two.
const NOW = Date.now();
const at = (i: number) => NOW - (i < 3 ? 2 : 1) * HOUR;
const record = (i: number, value: number): InferenceRecord => ({ id: id(i), seq: i, model: 'mass', modelVersion: 1, executionProvider: 'wasm', latencyMs: 1, createdAt: at(i), input: { f0: i, f1: 1 }, output: { value } });
type Quality = { labeled: number; predictions: number; coverage: number | null; mae?: number | null; accuracy?: number | null };
type Live = { from: number; bucketMs: number; versions: Array<Quality & { version: number; offline: Record<string, number> | null; series: Array<Quality & { at: number }> }> };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-labels-mae-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  projectKey = ((await (await admin('/v1/projects', { method: 'POST', headers: json, body: '{"id":"demo"}' })).json()) as { projectKey: string }).projectKey;
  const spec: FeatureSpec = { features: [{ name: 'f0', kind: 'numeric', mean: 0, std: 1 }, { name: 'f1', kind: 'numeric', mean: 1, std: 1 }], label: { name: 'mass', task: 'regression' } };
  const form = new FormData();
  form.append('model', new Blob([denseModel(2, 1, { activation: 'relu' }) as Uint8Array<ArrayBuffer>]), 'model.onnx');
  form.append('features', JSON.stringify(spec));
  form.append('metrics', JSON.stringify({ mae: 0.4 }));
  const up = await admin('/v1/projects/demo/models/mass/versions', { method: 'POST', body: form });
  expect(up.status, await up.clone().text()).toBe(201);
});
afterAll(async () => {
  hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('late labels for a regressor', () => {
  it('reports MAE and coverage per version and per bucket, beside the offline MAE; a label without its prediction waits', async () => {
    const predicted = [10, 20, 30, 40, 50];
    expect((await device('/v1/device/inferences', { deviceId: 'device-mass-1', records: predicted.map((v, i) => record(i, v)) })).status).toBe(200);
    // Errors 1 and 3 in the older bucket (|10−11|, |20−17|), 2 in the newer (|40−42|); 2 and 4 unlabeled.
    // The last label names a prediction the hub has not got (yet): it is stored, and not counted.
    const items = [{ predictionId: id(0), value: 11 }, { predictionId: id(1), value: 17 }, { predictionId: id(3), value: 42 }, { predictionId: id(99), value: 1 }];
    expect(await (await device('/v1/device/feedback', { deviceId: 'device-mass-1', items })).json()).toEqual({ accepted: 4 });

    const live = (await (await admin(`/v1/projects/demo/models/mass/monitoring/accuracy?bucket=${HOUR}`)).json()) as Live;
    expect(live.versions).toHaveLength(1);
    const v = live.versions[0]!;
    expect(v).toMatchObject({ version: 1, labeled: 3, predictions: 5, coverage: 3 / 5, offline: { mae: 0.4 } });
    expect(v.mae).toBeCloseTo((1 + 3 + 2) / 3, 12);
    expect(v.accuracy).toBeUndefined();
    expect(v.series).toHaveLength(2);
    const [older, newer] = v.series;
    expect(older).toMatchObject({ labeled: 2, predictions: 3 });
    expect(older!.mae).toBeCloseTo(2, 12);
    expect(newer).toMatchObject({ labeled: 1, predictions: 2, coverage: 0.5 });
    expect(newer!.mae).toBeCloseTo(2, 12);

    // The prediction the early label named arrives: now it counts (error |7 − 1| = 6).
    expect((await device('/v1/device/inferences', { deviceId: 'device-mass-1', records: [{ ...record(99, 7), seq: 99, createdAt: at(4) }] })).status).toBe(200);
    const after = (await (await admin('/v1/projects/demo/models/mass/monitoring/accuracy')).json()) as Live;
    expect(after.versions[0]).toMatchObject({ labeled: 4, predictions: 6 });
    expect(after.versions[0]!.mae).toBeCloseTo((1 + 3 + 2 + 6) / 4, 12);
  });

  it('refuses more than 1000 buckets, naming the bucket query field', async () => {
    const res = await admin(`/v1/projects/demo/models/mass/monitoring/accuracy?from=0&to=${1001 * 60_000}&bucket=60000`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.issues?.[0]?.path).toBe('bucket');
    expect((await admin('/v1/projects/demo/models/mass/monitoring/accuracy?bucket=abc')).status).toBe(400);
  });
});
