import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { createRandom, type ErrorBody, type InferenceRecord } from '@outpost/shared';
import { uploadForm } from '../registry/test-support.ts';

// GET …/monitoring/drift through the real app (in-memory libSQL): a version uploaded with a
// 600-row reference dataset, records uploaded by a device, the report read back.

let hub: NodeHub;
let dataDir: string;
let projectKey: string;
const rng = createRandom(11);
const normal = (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());

const request = (path: string, token: string | null | undefined, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};
const admin = (path: string, init: RequestInit = {}) => request(path, hub.adminToken, init);
const json = { 'content-type': 'application/json' };

type Report = {
  version: number;
  records: number;
  truncated: boolean;
  columns: Array<{ column: string; test: string | null; verdict: string; pValue: number | null; pValueBH: number | null; counts: { n: number; missing: number } }>;
  dataset: { tested: number; driftedColumns: number; share: number | null; drifted: boolean | null };
};
const column = (r: Report, name: string) => r.columns.find((c) => c.column === name)!;

let seq = 0;
function records(n: number, shift: number, version = 1): InferenceRecord[] {
  const now = Date.now();
  return Array.from({ length: n }, () => {
    seq++;
    const a = rng.next();
    return {
      id: `drift-${String(seq).padStart(6, '0')}-xxxx`,
      seq,
      model: 'iris',
      modelVersion: version,
      executionProvider: 'wasm',
      latencyMs: 0.4,
      createdAt: now - 60_000 + seq,
      input: { f0: normal(shift, 1), f1: normal(1, 1) },
      output: { label: a > 0.5 ? 'c0' : 'c1', probabilities: [a, (1 - a) / 2, (1 - a) / 2] },
    };
  });
}
const send = async (recs: InferenceRecord[]) => {
  for (let i = 0; i < recs.length; i += 500) {
    const res = await request('/v1/device/inferences', projectKey, { method: 'POST', headers: json, body: JSON.stringify({ deviceId: 'device-drift-01', records: recs.slice(i, i + 500) }) });
    expect(res.status).toBe(200);
  }
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-drift-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  const created = await admin('/v1/projects', { method: 'POST', body: '{"id":"demo"}', headers: json });
  projectKey = ((await created.json()) as { projectKey: string }).projectKey;
  // The reference: 600 rows, f0 ~ N(0, 1), f1 ~ N(1, 1).
  const csv = ['f0,f1,label', ...Array.from({ length: 600 }, (_, i) => `${normal(0, 1)},${normal(1, 1)},c${i % 3}`)].join('\n') + '\n';
  expect((await admin('/v1/projects/demo/datasets/ref/versions', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(201);
  const form = uploadForm(2, 3);
  form.append('reference', 'ref@1');
  expect((await admin('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
  expect((await admin('/v1/projects/demo/models/iris/versions/1/publish', { method: 'POST' })).status).toBe(200);
});
afterAll(async () => {
  hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('GET /v1/projects/{project}/models/{model}/monitoring/drift', () => {
  it('with few records, every column is insufficient data and nothing is called drift', async () => {
    await send(records(10, 3));
    const res = await admin('/v1/projects/demo/models/iris/monitoring/drift');
    expect(res.status).toBe(200);
    const r = (await res.json()) as Report;
    expect(r).toMatchObject({ version: 1, records: 10, truncated: false, dataset: { tested: 0, share: null, drifted: null } });
    expect(new Set(r.columns.map((c) => c.verdict))).toEqual(new Set(['insufficient data']));
  });

  it("flags the shifted feature (KS against the reference's raw values) and not the other, on the production version by default", async () => {
    await send(records(400, 1));
    const r = (await (await admin('/v1/projects/demo/models/iris/monitoring/drift')).json()) as Report;
    expect(r.records).toBe(410);
    expect(column(r, 'f0')).toMatchObject({ test: 'ks', verdict: 'drift' });
    expect(column(r, 'f0').pValue!).toBeLessThan(1e-10);
    expect(column(r, 'f1')).toMatchObject({ test: 'ks', verdict: 'no drift' });
    expect(column(r, 'f1').counts).toMatchObject({ n: 410, missing: 0 });
    // The outputs are judged too: each class's probability and the predicted class.
    expect(r.columns.map((c) => c.column)).toEqual(['f0', 'f1', 'p(c0)', 'p(c1)', 'p(c2)', 'predicted']);
    expect(r.dataset.tested).toBe(6);
    // Corrections change the verdict's p-value, not the raw one.
    const bh = (await (await admin('/v1/projects/demo/models/iris/monitoring/drift?correction=bh&version=1')).json()) as Report;
    expect(column(bh, 'f0').pValue).toBe(column(r, 'f0').pValue);
    expect(column(bh, 'f0').pValueBH!).toBeGreaterThanOrEqual(column(r, 'f0').pValue!);
  });

  it('windows on observed time: a window before the records holds none', async () => {
    const to = Date.now() - 3_600_000;
    const r = (await (await admin(`/v1/projects/demo/models/iris/monitoring/drift?to=${to}`)).json()) as Report;
    expect(r.records).toBe(0);
    expect(new Set(r.columns.map((c) => c.verdict))).toEqual(new Set(['insufficient data']));
  });

  it('names the bad query field; 404 for a version without a reference or a missing model; admin only', async () => {
    const backwards = await admin('/v1/projects/demo/models/iris/monitoring/drift?from=2000&to=1000');
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as ErrorBody).error.issues?.[0]?.path).toBe('from');
    const wide = await admin(`/v1/projects/demo/models/iris/monitoring/drift?from=0&to=${100 * 86_400_000}`);
    expect(wide.status).toBe(400);
    const bad = await admin('/v1/projects/demo/models/iris/monitoring/drift?correction=holm');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.issues?.[0]?.path).toBe('correction');

    expect((await admin('/v1/projects/demo/models/iris/versions', { method: 'POST', body: uploadForm(2, 3) })).status).toBe(201);
    const noReference = await admin('/v1/projects/demo/models/iris/monitoring/drift?version=2');
    expect(noReference.status).toBe(404);
    expect(((await noReference.json()) as ErrorBody).error.message).toContain('no reference profile');
    expect((await admin('/v1/projects/demo/models/nope/monitoring/drift')).status).toBe(404);
    expect((await request('/v1/projects/demo/models/iris/monitoring/drift', projectKey)).status).toBe(401);
  });
});

describe('GET /v1/projects/{project}/models/{model}/monitoring/operations', () => {
  it('counts predictions, errors and devices per version and bucket, latency per provider, sequence gaps and queue drops', async () => {
    const now = Date.now();
    const mk = (i: number, extra: Partial<InferenceRecord>): InferenceRecord => ({ ...records(1, 0)[0]!, id: `ops-${String(i).padStart(6, '0')}-xxxx`, createdAt: now - 5_000, ...extra });
    // Device ops-1: seq 1..10 but 4 and 7 missing; one failed prediction; two providers.
    const recs = [1, 2, 3, 5, 6, 8, 9, 10].map((q, i) => mk(i, { seq: q, latencyMs: q, executionProvider: q > 8 ? 'webgpu' : 'wasm', ...(q === 6 ? { output: { error: 'bad input' } } : {}) }));
    const res = await request('/v1/device/inferences', projectKey, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ deviceId: 'device-ops-0001', records: recs, health: { model: 'iris', dropped: { queue_full: 2 } } }),
    });
    expect(res.status).toBe(200);
    const ops = (await (await admin(`/v1/projects/demo/models/iris/monitoring/operations?from=${now - 60_000}&to=${now}&bucket=60000`)).json()) as {
      series: Array<{ at: number; version: number; predictions: number; errors: number; devices: number }>;
      latency: Array<{ version: number; provider: string; n: number; p50: number; p95: number }>;
      sequenceGaps: { devices: number; gaps: number };
      queueDrops: { dropped: Record<string, number> };
    };
    const mine = ops.series.reduce((n, r) => n + r.errors, 0);
    expect(mine).toBe(1);
    expect(ops.series.every((r) => r.at === now - 60_000)).toBe(true);
    expect(ops.latency.find((l) => l.provider === 'webgpu')).toMatchObject({ version: 1, n: 2, p50: 9, p95: 10 });
    expect(ops.sequenceGaps.gaps).toBeGreaterThanOrEqual(2);
    expect(ops.queueDrops.dropped).toEqual({ queue_full: 2 });
    const tooMany = await admin(`/v1/projects/demo/models/iris/monitoring/operations?from=0&to=${now}&bucket=60000`);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as ErrorBody).error.issues?.[0]?.path).toBe('bucket');
  });
});

describe('the console monitoring dashboard', () => {
  it('shows the drift table with verdicts, a histogram per column, traffic, latency and the alerts', async () => {
    const rule = await admin('/v1/projects/demo/models/iris/alerts/rules', { method: 'POST', headers: json, body: JSON.stringify({ name: 'f0-moved', metric: 'feature_drift', params: { column: 'f0' }, comparator: '>=', threshold: 1 }) });
    expect(rule.status).toBe(201);
    expect((await admin('/v1/projects/demo/models/iris/alerts/evaluate', { method: 'POST' })).status).toBe(200);
    const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const res = await hub.app.request('/console/projects/demo/models/iris/monitoring?window=24h&version=1', { headers: { cookie } });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<tr class="failed" data-column="f0" data-verdict="drift">');
    expect(page).toContain('data-column="f1" data-verdict="no drift"');
    expect(page.match(/class="chart histogram"/g)).toHaveLength(6);
    expect(page).toContain('Predictions per hour');
    expect(page).toMatch(/<td>v1<\/td><td>wasm<\/td>/);
    expect(page).toContain('data-rule="f0-moved" data-state="firing"');
    expect(page).toContain('data-event="firing" data-rule="f0-moved"');
    expect((await hub.app.request('/console/projects/demo/models/nope/monitoring', { headers: { cookie } })).status).toBe(404);
    expect((await hub.app.request('/console/projects/demo/models/iris/monitoring?window=9y', { headers: { cookie } })).status).toBe(400);
    // The model page links to it.
    expect(await (await hub.app.request('/console/projects/demo/models/iris', { headers: { cookie } })).text()).toContain('/monitoring">monitoring</a>');
  });
});
