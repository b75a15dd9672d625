import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import type { InferenceRecord } from '@outpost/shared';
import { uploadForm } from '../registry/test-support.ts';
import type { RolloutView } from '../rollout/service.ts';

// The rollout page through the real app, logged in as a person.

let hub: NodeHub;
let dataDir: string;
let session: string;
let projectKey: string;

const api = (path: string, init: RequestInit = {}) => hub.app.request(path, { ...init, headers: { authorization: `Bearer ${hub.adminToken}`, ...init.headers } });
const page = async (path: string) => {
  const res = await hub.app.request(path, { headers: { cookie: session } });
  return { status: res.status, html: await res.text() };
};
const post = (path: string, fields: Record<string, string>) => hub.app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie: session } });
const rollout = async () => (await (await api('/v1/projects/demo/models/iris/rollout')).json()) as RolloutView;
const PAGE = '/console/projects/demo/models/iris/rollout';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-console-rollout-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', rolloutTickMs: 0 });
  projectKey = ((await (await api('/v1/projects', { method: 'POST', body: JSON.stringify({ id: 'demo' }), headers: { 'content-type': 'application/json' } })).json()) as { projectKey: string }).projectKey;
  for (let i = 0; i < 2; i++) {
    const form = uploadForm(2, 3);
    expect((await api('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
  }
  expect((await api('/v1/projects/demo/models/iris/versions/1/publish', { method: 'POST' })).status).toBe(200);
  const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
  session = login.headers.get('set-cookie')!.split(';')[0]!;
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('console: the rollout page', () => {
  it('is linked from the model page, needs a session, and starts a rollout as the person logged in', async () => {
    expect((await page('/console/projects/demo/models/iris')).html).toContain(`href="${PAGE}"`);
    expect((await hub.app.request(PAGE)).status).toBe(303); // to the login
    const idle = await page(PAGE);
    expect(idle.status).toBe(200);
    expect(idle.html).toContain('data-state="idle"');
    expect(idle.html).toMatch(/<select name="version"><option value="2">2<\/option><\/select>/);

    const bad = await post(`${PAGE}/start`, { version: '2', stages: '10, 5, 100', stageMinutes: '30' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('data-path="stages.1"');
    expect(html).toMatch(/name="stages" value="10, 5, 100"[^>]*aria-invalid="true"/);

    const started = await post(`${PAGE}/start`, { version: '2', stages: '10, 50, 100', stageMinutes: '30', reason: 'canary' });
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe(PAGE);
    expect((await rollout()).policy).toMatchObject({ state: 'running', candidate: 2, stages: [10, 50, 100], stageMinutes: 30 });
    const audit = (await (await api('/v1/projects/demo/audit?model=iris')).json()) as { entries: { action: string; actor: string; reason: string }[] };
    expect(audit.entries[0]).toMatchObject({ action: 'rollout.start', actor: 'console:ana', reason: 'canary' });
  });

  it('shows the stages with the current one highlighted, guard metrics against thresholds, and who runs what, refreshing itself', async () => {
    const records: InferenceRecord[] = Array.from({ length: 8 }, (_, i) => ({
      id: `console-rec-${i}-xxxxxxxx`, seq: i, model: 'iris', modelVersion: 2, executionProvider: 'wasm', latencyMs: 3, createdAt: Date.now(),
      input: { f0: 1, f1: 2 }, output: i < 2 ? { error: 'boom' } : { label: 'c0', probabilities: [1, 0, 0] },
    }));
    expect((await hub.app.request('/v1/device/inferences', { method: 'POST', body: JSON.stringify({ deviceId: 'device-console-1', records }), headers: { authorization: `Bearer ${projectKey}`, 'content-type': 'application/json' } })).status).toBe(200);
    const { html } = await page(PAGE);
    expect(html).toContain('<li class="current" data-stage="0">10 %</li>');
    expect(html).toContain('data-percent="10"');
    expect(html).toMatch(/<tr data-version="2" class=""><td>2<\/td><td>candidate<\/td><td>8<\/td><td>2<\/td><td>0\.250<\/td><td>3 ms<\/td><td><span class="muted">waiting: 8 of 50 samples<\/span>/);
    expect(html).toMatch(/<table class="mix">[\s\S]*?<tr data-version="2"><td>2<\/td><td class="devices">1<\/td><td>8<\/td>/);
    expect(html).toContain('getElementById(\'live\')');
  });

  it('edits guards, rules and pins, naming the field at fault', async () => {
    expect((await post(`${PAGE}/guards`, { maxErrorRate: '0.5', maxLatencyP95Ms: '', minSamples: '5' })).status).toBe(303);
    expect((await rollout()).policy.guards).toEqual({ maxErrorRate: 0.5, minSamples: 5 });
    const badGuard = await post(`${PAGE}/guards`, { maxErrorRate: '2', minSamples: '5' });
    expect(badGuard.status).toBe(400);
    expect(await badGuard.text()).toMatch(/name="maxErrorRate" value="2"[^>]*aria-invalid="true"/);

    expect((await post(`${PAGE}/rules`, { name: 'swiss', version: '2', locale: 'de-CH, fr-CH', appVersion: '>=1.4 <2', webgpu: 'yes', attributes: 'plan=pro|team' })).status).toBe(303);
    expect((await rollout()).policy.rules).toEqual([{ name: 'swiss', version: 2, when: { locale: ['de-CH', 'fr-CH'], appVersion: '>=1.4 <2', webgpu: true, attributes: { plan: ['pro', 'team'] } } }]);
    for (const [fields, path] of [
      [{ name: 'x', version: '2', appVersion: 'soon' }, 'appVersion'],
      [{ name: 'x', version: '7' }, 'version'],
      [{ name: 'x', version: '2', attributes: 'plan' }, 'attributes'],
    ] as const) {
      const res = await post(`${PAGE}/rules`, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(`data-path="${path}"`);
    }
    expect((await page(PAGE)).html).toContain('<tr data-rule="swiss">');
    expect((await post(`${PAGE}/rules/remove`, { name: 'swiss' })).status).toBe(303);
    expect((await rollout()).policy.rules).toEqual([]);

    expect((await post(`${PAGE}/pins`, { installId: 'qa-phone-0001', version: '2' })).status).toBe(303);
    expect((await page(PAGE)).html).toContain('<tr data-pin="qa-phone-0001">');
    expect((await post(`${PAGE}/pins`, { installId: 'short', version: '2' })).status).toBe(400);
    expect((await post(`${PAGE}/pins/remove`, { installId: 'qa-phone-0001' })).status).toBe(303);
    expect((await rollout()).policy.pins).toEqual({});
  });

  it('pauses, resumes, advances and rolls back from buttons; a rollback needs a reason', async () => {
    expect((await post(`${PAGE}/action`, { action: 'pause', reason: '' })).status).toBe(303);
    expect((await rollout()).policy.state).toBe('paused');
    expect((await post(`${PAGE}/action`, { action: 'resume' })).status).toBe(303);
    expect((await post(`${PAGE}/action`, { action: 'advance' })).status).toBe(303);
    expect((await rollout()).percent).toBe(50);
    const noReason = await post(`${PAGE}/action`, { action: 'rollback', reason: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('data-path="reason"');
    expect((await post(`${PAGE}/action`, { action: 'rollback', reason: 'crash reports' })).status).toBe(303);
    const { html } = await page(PAGE);
    expect(html).toContain('data-state="rolled_back"');
    expect(html).toMatch(/<li data-action="rollback">[^<]*<strong>rollback<\/strong> by console:ana: rolled back: crash reports<\/li>/);
    expect((await page('/console/projects/demo/models/nope/rollout')).status).toBe(404);
  });
});
