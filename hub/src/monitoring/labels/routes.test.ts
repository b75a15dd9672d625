import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../../node/create-node-hub.ts';
import type { ErrorBody, InferenceRecord } from '@outpost/shared';
import { uploadForm } from '../../registry/test-support.ts';
import { classification, meanAbsoluteError } from './live-metrics.ts';

// Late labels through the real app (in-memory libSQL): POST /v1/device/feedback, GET …/monitoring/accuracy.

let hub: NodeHub;
let dataDir: string;
let projectKey: string;
const json = { 'content-type': 'application/json' };
const request = (path: string, token: string | null | undefined, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};
const admin = (path: string, init: RequestInit = {}) => request(path, hub.adminToken, init);
const device = (path: string, body: unknown) => request(path, projectKey, { method: 'POST', headers: json, body: JSON.stringify(body) });
const id = (i: number) => `pred-${String(i).padStart(4, '0')}-xxxx`;
const now = Date.now();
const record = (i: number, label: string): InferenceRecord => ({ id: id(i), seq: i, model: 'iris', modelVersion: 1, executionProvider: 'wasm', latencyMs: 1, createdAt: now - 60_000, input: { f0: i, f1: 1 }, output: { label, probabilities: [0.4, 0.3, 0.3] } });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-labels-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  projectKey = ((await (await admin('/v1/projects', { method: 'POST', headers: json, body: '{"id":"demo"}' })).json()) as { projectKey: string }).projectKey;
  const form = uploadForm(2, 3);
  form.append('metrics', JSON.stringify({ accuracy: 0.9, macroF1: 0.88 }));
  expect((await admin('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
});
afterAll(async () => {
  hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('late labels and live accuracy', () => {
  it('joins labels to predictions: accuracy, macro F1 and coverage per version, beside the offline metrics', async () => {
    // A label that arrives before its prediction counts once the prediction is there.
    expect((await device('/v1/device/feedback', { deviceId: 'device-labels-1', items: [{ predictionId: id(9), label: 'c1' }] })).status).toBe(200);
    const predicted = ['c0', 'c0', 'c0', 'c1', 'c1', 'c2', 'c2', 'c0', 'c1', 'c2'];
    expect((await device('/v1/device/inferences', { deviceId: 'device-labels-1', records: predicted.map((l, i) => record(i, l)) })).status).toBe(200);
    // Truth for 0..8 (9 came first); 3 is relabeled (the later label wins); 6, 7 and 9 are wrong.
    const truth = ['c0', 'c0', 'c0', 'c2', 'c1', 'c2', 'c1', 'c1', 'c1'];
    const res = await device('/v1/device/feedback', { deviceId: 'device-labels-1', items: truth.map((label, i) => ({ predictionId: id(i), label })) });
    expect(await res.json()).toEqual({ accepted: 9 });
    expect((await device('/v1/device/feedback', { deviceId: 'device-labels-1', items: [{ predictionId: id(3), label: 'c1' }] })).status).toBe(200);
    truth[3] = 'c1';
    const pairs = [...truth, 'c1'].map((t, i) => ({ predicted: predicted[i]!, truth: t, n: 1 }));

    const r = (await (await admin('/v1/projects/demo/models/iris/monitoring/accuracy')).json()) as { versions: Array<{ version: number; labeled: number; predictions: number; coverage: number; accuracy: number; macroF1: number; offline: Record<string, number>; series: Array<{ labeled: number }> }> };
    expect(r.versions).toHaveLength(1);
    const v = r.versions[0]!;
    expect(v).toMatchObject({ version: 1, labeled: 10, predictions: 10, coverage: 1, offline: { accuracy: 0.9, macroF1: 0.88 } });
    expect(v.accuracy).toBeCloseTo(7 / 10, 12);
    expect(v.macroF1).toBeCloseTo(classification(pairs).macroF1!, 12);
    expect(v.series.reduce((n, s) => n + s.labeled, 0)).toBe(10);

    // An alert on live accuracy, with the same number.
    const rule = await admin('/v1/projects/demo/models/iris/alerts/rules', { method: 'POST', headers: json, body: JSON.stringify({ name: 'accuracy', metric: 'accuracy', params: { version: 1 }, comparator: '<', threshold: 0.75 }) });
    expect(rule.status).toBe(201);
    const evaluated = (await (await admin('/v1/projects/demo/models/iris/alerts/evaluate', { method: 'POST' })).json()) as { rules: Array<{ state: string; value: number }> };
    expect(evaluated.rules[0]).toMatchObject({ state: 'firing' });
    expect(evaluated.rules[0]!.value).toBeCloseTo(0.7, 12);
  });

  it('computes F1 per class as 2·TP / (predicted + true) and averages over the classes seen', () => {
    const r = classification([{ predicted: 'a', truth: 'a', n: 8 }, { predicted: 'a', truth: 'b', n: 2 }]);
    expect(r.accuracy).toBe(0.8);
    // a: 2·8/(10+8); b: 0.
    expect(r.macroF1).toBeCloseTo((16 / 18 + 0) / 2, 12);
    expect(classification([])).toEqual({ labeled: 0, accuracy: null, macroF1: null });
    expect(meanAbsoluteError(6, 4)).toEqual({ labeled: 4, mae: 1.5 });
  });

  it('refuses a bad upload naming the item and field, and stores nothing of it', async () => {
    const both = await device('/v1/device/feedback', { deviceId: 'device-labels-1', items: [{ predictionId: id(1), label: 'c1', value: 3 }] });
    expect(both.status).toBe(400);
    expect(((await both.json()) as ErrorBody).error.issues?.[0]?.path).toBe('items.0.label');
    const unknown = await device('/v1/device/feedback', { deviceId: 'device-labels-1', items: [{ predictionId: id(1), label: 'c2' }, { predictionId: id(2), label: 'c0', truth: 'c0' }] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.message).toContain('items.1');
    const tooMany = await device('/v1/device/feedback', { deviceId: 'device-labels-1', items: Array.from({ length: 501 }, (_, i) => ({ predictionId: id(i), label: 'c0' })) });
    expect(tooMany.status).toBe(400);
    const r = (await (await admin('/v1/projects/demo/models/iris/monitoring/accuracy')).json()) as { versions: Array<{ accuracy: number }> };
    expect(r.versions[0]!.accuracy).toBeCloseTo(0.7, 12); // nothing changed
    expect((await request('/v1/device/feedback', null, { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
    expect((await admin('/v1/projects/demo/models/iris/monitoring/accuracy?from=5&to=4')).status).toBe(400);
  });
});
