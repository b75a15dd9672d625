import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { deviceContextToQuery, type DeviceContext, type ErrorBody, type InferenceRecord, type ManifestResponse } from '@outpost/shared';
import { uploadForm } from '../registry/test-support.ts';
import { createRegistryStore } from '../registry/store.ts';
import type { RolloutView } from './service.ts';

// Rollouts through the real app (in-memory libSQL) with an injected clock: stages advance on time.

const MIN = 60_000;
let now = Date.UTC(2026, 2, 1);
let hub: NodeHub;
let dataDir: string;
let projectKey: string;

const request = (path: string, token: string | null, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};
const admin = (path: string, init: RequestInit = {}) => request(path, hub.adminToken ?? null, init);
const send = (method: string, path: string, body?: unknown) =>
  admin(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const R = '/v1/projects/demo/models/iris/rollout';
const view = async (res: Response | Promise<Response>) => {
  const r = await res;
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as RolloutView;
};
const manifest = async (context?: Partial<DeviceContext>, headers: Record<string, string> = {}) => {
  const query = context ? `?${deviceContextToQuery({ installId: 'x'.repeat(8), ...context })}` : '';
  return request(`/v1/device/models/iris/manifest${query}`, projectKey, { headers });
};
const versionOf = async (installId: string) => ((await (await manifest({ installId })).json()) as ManifestResponse).assignment!;

let seq = 0;
const records = (deviceId: string, version: number, n: number, errors = 0): InferenceRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `rec-${String(++seq).padStart(6, '0')}-${deviceId}`,
    seq,
    model: 'iris',
    modelVersion: version,
    executionProvider: 'wasm',
    latencyMs: 1 + (i % 10),
    createdAt: now,
    input: { f0: i, f1: 1 },
    output: i < errors ? { error: 'session.run failed' } : { label: 'c0', probabilities: [0.5, 0.3, 0.2] },
  }));
const sync = async (deviceId: string, version: number, n: number, errors = 0) => {
  const res = await request('/v1/device/inferences', projectKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, records: records(deviceId, version, n, errors) }) });
  expect(res.status).toBe(200);
};
const installs = Array.from({ length: 400 }, (_, i) => `install-${String(i).padStart(5, '0')}`);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-rollout-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', clock: () => now, rolloutTickMs: 0 });
  // Hundreds of devices ask at one frozen instant: no rate limit here.
  hub.deps.rateLimiter = { take: () => ({ ok: true }) };
  const created = await admin('/v1/projects', { method: 'POST', body: '{"id":"demo"}', headers: { 'content-type': 'application/json' } });
  projectKey = ((await created.json()) as { projectKey: string }).projectKey;
  for (const classes of [3, 3]) {
    const form = uploadForm(2, classes);
    expect((await admin('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
  }
  expect((await send('POST', '/v1/projects/demo/models/iris/versions/1/publish')).status).toBe(200);
});
afterAll(async () => {
  await hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('rollouts', () => {
  it('starts idle, everyone on production; a bad policy is refused naming the field', async () => {
    const idle = await view(admin(R));
    expect(idle).toMatchObject({ production: 1, percent: 0, policy: { state: 'idle', candidate: null, stages: [1, 10, 50, 100], guards: { maxErrorRate: 0.05, minSamples: 50 } } });
    expect(idle.policy.salt).toMatch(/^[0-9a-f]{16}$/);
    expect((await versionOf('install-00001')).reason).toBe('default');

    for (const [body, path] of [
      [{ stages: [10, 5, 100] }, 'stages.1'],
      [{ rules: [{ name: 'a', version: 2, when: { appVersion: '>=banana' } }] }, 'rules.0.when.appVersion'],
      [{ rules: [{ name: 'a', version: 7, when: {} }] }, 'rules.0.version'],
      [{ pins: { 'install-00001': 9 } }, 'pins.install-00001'],
    ] as const) {
      const res = await send('PUT', R, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path).toBe(path);
    }
    expect((await send('POST', `${R}/start`, { version: 1 })).status).toBe(409); // already production
    expect((await send('POST', `${R}/start`, { version: 9 })).status).toBe(404);
    expect((await send('POST', `${R}/pause`)).status).toBe(409);
    expect((await admin('/v1/projects/demo/models/nope/rollout')).status).toBe(404);
    expect((await request(R, projectKey)).status).toBe(401);
  });

  it('serves each device its assigned version with an ETag (304 when unchanged); old SDKs get production', async () => {
    const started = await view(send('POST', `${R}/start`, { version: 2, stages: [10, 50, 100], stageMinutes: 60, guards: { minSamples: 20 }, reason: 'new weights' }));
    expect(started).toMatchObject({ percent: 10, policy: { state: 'running', candidate: 2, stage: 0, stageStartedAt: now, guards: { minSamples: 20, maxErrorRate: 0.05 } } });

    const assignments = await Promise.all(installs.map(versionOf));
    const onCandidate = assignments.filter((a) => a.version === 2);
    expect(onCandidate.length).toBeGreaterThan(installs.length * 0.04);
    expect(onCandidate.length).toBeLessThan(installs.length * 0.18);
    for (const a of assignments) expect(a.version === 2).toBe(a.bucket < 1000);
    expect(assignments.every((a) => a.reason === 'rollout')).toBe(true);

    const first = await manifest({ installId: 'install-00001', platform: 'android' });
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await manifest({ installId: 'install-00001', platform: 'android' }, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);

    const legacy = await manifest();
    expect(legacy.status).toBe(200);
    const body = (await legacy.json()) as ManifestResponse;
    expect(JSON.parse(Buffer.from(body.payload, 'base64url').toString('utf8'))).toMatchObject({ version: 1, schema: 2 });
    expect(body.assignment).toBeUndefined();

    const bad = await request('/v1/device/models/iris/manifest?installId=short', projectKey);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.issues?.[0]?.path).toBe('installId');
    const badGpu = await request('/v1/device/models/iris/manifest?installId=install-00001&webgpu=maybe', projectKey);
    expect(((await badGpu.json()) as ErrorBody).error.issues?.[0]?.path).toBe('webgpu');
  });

  it('advances a stage only after its minimum duration with enough healthy samples; devices never flip back', async () => {
    const before = await Promise.all(installs.map(versionOf));
    const onCandidate = installs.filter((_, i) => before[i]!.version === 2);
    await sync(onCandidate[0]!, 2, 30);
    const early = await send('POST', `${R}/evaluate`);
    expect(((await early.json()) as { event: unknown; waiting: string }).waiting).toMatch(/the stage runs until/);

    const signedBefore = ((await (await manifest({ installId: onCandidate[0]! })).json()) as ManifestResponse).payload;
    now += 61 * MIN;
    const r = (await (await send('POST', `${R}/evaluate`)).json()) as { event: { action: string; reason: string }; rollout: RolloutView };
    expect(r.event).toMatchObject({ action: 'rollout.advance', reason: 'guards held for 60 min: error rate 0 ≤ max 0.05 (30 samples)' });
    expect(r.rollout).toMatchObject({ percent: 50, policy: { stage: 1, stageStartedAt: now } });

    const after = await Promise.all(installs.map(versionOf));
    for (let i = 0; i < installs.length; i++) if (before[i]!.version === 2) expect(after[i]!.version).toBe(2);
    expect(after.filter((a) => a.version === 2).length).toBeGreaterThan(installs.length * 0.4);
    // Re-signed after the change: a later issuedAt, so devices never take the old one for new.
    const signedAfter = ((await (await manifest({ installId: onCandidate[0]! })).json()) as ManifestResponse).payload;
    expect(signedAfter).not.toBe(signedBefore);
    // Both live versions carry the change's instant: a device moved between them (a rule now
    // matches, a new app version) never takes the other for a replay; the old one is older.
    const issuedAt = (payload: string) => (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { issuedAt: string; version: number });
    const onProduction = installs[after.findIndex((a) => a.version === 1)]!;
    const sibling = issuedAt(((await (await manifest({ installId: onProduction })).json()) as ManifestResponse).payload);
    expect(sibling.version).toBe(1);
    expect(sibling.issuedAt).toBe(issuedAt(signedAfter).issuedAt);
    expect(Date.parse(issuedAt(signedAfter).issuedAt)).toBeGreaterThan(Date.parse(issuedAt(signedBefore).issuedAt));

    const audit = await createRegistryStore(hub.deps.db).listAudit('demo', { model: 'iris' });
    expect(audit.find((a) => a.action === 'rollout.advance')).toMatchObject({ actor: 'system', reason: expect.stringContaining('max 0.05') });
    expect(audit.find((a) => a.action === 'rollout.start')).toMatchObject({ actor: expect.stringMatching(/^admin-token-/), reason: 'new weights' });
  });

  it('rolls back by itself when the candidate fails too often, and shows the metrics that did it', async () => {
    await sync('device-cand-0001', 2, 25, 10); // 40 % failed, 25 ≥ 20 samples
    await sync('device-prod-0001', 1, 40);
    const watched = await view(admin(R));
    expect(watched.guards).toEqual([
      { version: 2, role: 'candidate', metrics: { samples: 25, errors: 10, errorRate: 0.4, p95LatencyMs: 10 }, verdict: { status: 'fail', text: 'error rate 0.400 > max 0.05 (25 samples)' } },
      { version: 1, role: 'production', metrics: expect.objectContaining({ samples: 40, errors: 0 }), verdict: null },
    ]);
    expect(watched.next).toMatch(/^the next evaluation will rollback/);
    expect(watched.mix).toEqual(expect.arrayContaining([{ version: 1, devices: 1, predictions: 40 }, expect.objectContaining({ version: 2 })]));

    const r = (await (await send('POST', `${R}/evaluate`)).json()) as { event: { action: string }; rollout: RolloutView };
    expect(r.event.action).toBe('rollout.rollback');
    expect(r.rollout).toMatchObject({ percent: 0, policy: { state: 'rolled_back', candidate: 2 } });
    const all = await Promise.all(installs.slice(0, 100).map(versionOf));
    expect(all.every((a) => a.version === 1 && a.reason === 'default')).toBe(true);
    const [last] = await createRegistryStore(hub.deps.db).listAudit('demo', { model: 'iris', limit: 1 });
    expect(last).toMatchObject({ actor: 'system', action: 'rollout.rollback', reason: 'version 2: error rate 0.400 > max 0.05 (25 samples)' });
  });

  it('pins QA devices and applies targeting rules, in that order, and previews assignments', async () => {
    await view(send('PUT', `${R}/pins/qa-device-01`, { version: 2, reason: 'QA' }));
    const rules = [{ name: 'german beta', version: 2, when: { locale: ['de'], appVersion: '>=1.4.0 <2' } }];
    const current = await view(admin(R));
    await view(send('PUT', R, { ...current.policy, rules }));
    const preview = (q: string) => Promise.resolve(admin(`${R}/assignment?${q}`)).then((r) => r.json() as Promise<{ version: number; assignment: { reason: string; detail: string } }>);
    expect(await preview('installId=qa-device-01&locale=de-CH&appVersion=1.5.0')).toMatchObject({ version: 2, assignment: { reason: 'pinned' } });
    expect(await preview('installId=someone-else&locale=de-CH&appVersion=1.5.0')).toMatchObject({ version: 2, assignment: { reason: 'rule', detail: 'rule "german beta"' } });
    expect(await preview('installId=someone-else&locale=de-CH&appVersion=2.0.0')).toMatchObject({ version: 1, assignment: { reason: 'default' } });
    const bad = await admin(`${R}/assignment?installId=someone-else&attr.bad key=1`);
    expect(bad.status).toBe(400);

    // The server-side fallback runs what the device is assigned.
    const predict = await request('/v1/device/models/iris/predict', projectKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'qa-device-01', records: [{ id: 'p-000000001', seq: 1, createdAt: now, input: { f0: 1, f1: 2 } }] }) });
    expect(predict.status, await predict.clone().text()).toBe(200);
    expect(((await predict.json()) as { modelVersion: number }).modelVersion).toBe(2);

    expect((await send('DELETE', `${R}/pins/qa-device-01`)).status).toBe(200);
    expect((await send('DELETE', `${R}/pins/qa-device-01`)).status).toBe(404);
    expect((await view(admin(R))).policy.pins).toEqual({});
    await view(send('PUT', R, { ...current.policy, rules: [] }));
  });

  it('pauses, resumes, advances by hand and completes: production moves to the candidate', async () => {
    now += MIN; // the failed records above are from before this rollout
    await view(send('POST', `${R}/start`, { version: 2, stages: [50, 100] }));
    expect((await view(send('POST', `${R}/pause`, { reason: 'weekend' }))).policy.state).toBe('paused');
    now += 24 * 60 * MIN;
    expect(((await (await send('POST', `${R}/evaluate`)).json()) as { waiting: string }).waiting).toMatch(/^paused/);
    expect((await view(send('POST', `${R}/resume`))).policy).toMatchObject({ state: 'running', stageStartedAt: now });
    expect((await view(send('POST', `${R}/advance`))).percent).toBe(100);
    const done = await view(send('POST', `${R}/advance`, { reason: 'looks good' }));
    expect(done).toMatchObject({ production: 2, policy: { state: 'completed' } });
    expect((await versionOf('install-00003')).version).toBe(2);
    expect((await send('POST', `${R}/rollback`, { reason: 'too late' })).status).toBe(409);
    const actions = (await createRegistryStore(hub.deps.db).listAudit('demo', { model: 'iris', limit: 5 })).map((a) => a.action);
    expect(actions.slice(0, 4)).toEqual(['rollout.complete', 'rollout.advance', 'rollout.resume', 'rollout.pause']);
    expect(done.policy.history.at(-1)).toMatchObject({ action: 'complete', detail: 'production → version 2: looks good' });
  });

  it('needs a reason to roll back by hand, and then rolls back at once', async () => {
    // A fixed split is live as soon as it is set.
    const current = await view(admin(R));
    const split = await view(send('PUT', R, { ...current.policy, candidate: null, weights: { '1': 50, '2': 50 } }));
    expect(split.policy.state).toBe('running');
    expect((await send('POST', `${R}/rollback`, {})).status).toBe(400);
    const back = await view(send('POST', `${R}/rollback`, { reason: 'support tickets' }));
    expect(back.policy.state).toBe('rolled_back');
    expect((await createRegistryStore(hub.deps.db).listAudit('demo', { model: 'iris', limit: 1 }))[0]).toMatchObject({ action: 'rollout.rollback', reason: 'support tickets' });
  });
});

describe('the Node hub on its own', () => {
  it('evaluates live rollouts on its timer (OUTPOST_ROLLOUT_TICK_MS), and closes without waiting for it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outpost-rollout-tick-'));
    const ticking = await createNodeHub({ dataDir: dir, databaseUrl: ':memory:', rolloutTickMs: 20 });
    try {
      const call = (path: string, init: RequestInit = {}, token = ticking.adminToken!) => ticking.app.request(path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
      const key = ((await (await call('/v1/projects', { method: 'POST', body: '{"id":"demo"}' })).json()) as { projectKey: string }).projectKey;
      for (let i = 0; i < 2; i++) {
        const form = uploadForm(2, 3);
        expect((await ticking.app.request('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form, headers: { authorization: `Bearer ${ticking.adminToken}` } })).status).toBe(201);
      }
      expect((await call('/v1/projects/demo/models/iris/versions/1/publish', { method: 'POST', body: '{}' })).status).toBe(200);
      expect((await call(`${R}/start`, { method: 'POST', body: JSON.stringify({ version: 2, guards: { minSamples: 5 } }) })).status).toBe(200);
      const recs = records('device-tick-0001', 2, 10, 5);
      expect((await call('/v1/device/inferences', { method: 'POST', body: JSON.stringify({ deviceId: 'device-tick-0001', records: recs }) }, key)).status).toBe(200);
      let state = '';
      for (let i = 0; i < 100 && state !== 'rolled_back'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        state = ((await (await call(R)).json()) as RolloutView).policy.state;
      }
      expect(state).toBe('rolled_back');
    } finally {
      await ticking.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
