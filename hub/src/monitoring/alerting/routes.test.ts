import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../../node/create-node-hub.ts';
import { createRandom, type ErrorBody, type InferenceRecord } from '@outpost/shared';
import { uploadForm } from '../../registry/test-support.ts';
import { createPeriodicTick } from '../../tick.ts';
import { verifyWebhookSignature } from './webhook.ts';
import { METRICS } from './metrics.ts';
import { REDELIVERY_MS } from './service.ts';

// Alert rules through the real app (in-memory libSQL, a controllable clock), a real webhook
// receiver on loopback, and the periodic tick.

let hub: NodeHub;
let dataDir: string;
let projectKey: string;
let now = Date.now();
const rng = createRandom(5);
const normal = (mean: number) => mean + Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());

let receiver: Server;
let receiverUrl: string;
const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
let receiverStatus = 200;

const request = (path: string, token: string | null | undefined, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};
const admin = (path: string, init: RequestInit = {}) => request(path, hub.adminToken, init);
const send = (method: string, path: string, body?: unknown) => admin(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const A = '/v1/projects/demo/models/iris/alerts';

let seq = 0;
async function upload(n: number, shift: number, version = 1) {
  const records: InferenceRecord[] = Array.from({ length: n }, () => ({
    id: `alert-${String(++seq).padStart(6, '0')}-xxxx`,
    seq,
    model: 'iris',
    modelVersion: version,
    executionProvider: 'wasm',
    latencyMs: 1,
    createdAt: now - 1000,
    input: { f0: normal(shift), f1: normal(1) },
    output: { label: 'c0', probabilities: [0.6, 0.3, 0.1] },
  }));
  const res = await request('/v1/device/inferences', projectKey, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'device-alerts-1', records }) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(receiverStatus).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

  dataDir = await mkdtemp(join(tmpdir(), 'outpost-alerts-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', clock: () => now, rolloutTickMs: 0 });
  const created = await send('POST', '/v1/projects', { id: 'demo' });
  projectKey = ((await created.json()) as { projectKey: string }).projectKey;
  const csv = ['f0,f1,label', ...Array.from({ length: 500 }, (_, i) => `${normal(0)},${normal(1)},c${i % 3}`)].join('\n') + '\n';
  expect((await admin('/v1/projects/demo/datasets/ref/versions', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(201);
  for (let v = 1; v <= 2; v++) {
    const form = uploadForm(2, 3);
    form.append('reference', 'ref@1');
    expect((await admin('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
  }
  expect((await send('POST', '/v1/projects/demo/models/iris/versions/1/publish')).status).toBe(200);
});
afterAll(async () => {
  hub?.close();
  receiver?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('alert rules', () => {
  let secret: string;

  it('creates a rule with a signed webhook; the secret is shown once', async () => {
    const res = await send('POST', `${A}/rules`, { name: 'f0-drift', metric: 'feature_drift', params: { column: 'f0' }, comparator: '>=', threshold: 1, forMs: 10 * 60_000, windowMs: 3_600_000, webhookUrl: receiverUrl, retrain: true });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { rule: { state: string; hasWebhook: boolean }; webhookSecret: string };
    expect(body.rule).toMatchObject({ state: 'ok', hasWebhook: true });
    secret = body.webhookSecret;
    expect(secret).toMatch(/^[\w-]{43}$/);
    const listed = (await (await admin(`${A}/rules`)).json()) as { rules: Array<Record<string, unknown>> };
    expect(listed.rules).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('waits while the data is insufficient or fine, goes pending when the drift starts, fires only after forMs, with a signed webhook and a retraining trigger', async () => {
    await upload(10, 3);
    let r = (await (await send('POST', `${A}/evaluate`)).json()) as { rules: Array<{ state: string; value: number | null; event: string | null }> };
    expect(r.rules[0]).toMatchObject({ state: 'ok', value: null, event: null }); // 10 values: insufficient data

    await upload(300, 3);
    r = (await (await send('POST', `${A}/evaluate`)).json()) as typeof r;
    expect(r.rules[0]).toMatchObject({ state: 'pending', value: 1, event: null });
    expect(received).toHaveLength(0);

    now += 11 * 60_000;
    await upload(50, 3);
    r = (await (await send('POST', `${A}/evaluate`)).json()) as typeof r;
    expect(r.rules[0]).toMatchObject({ state: 'firing', value: 1, event: 'firing' });

    expect(received).toHaveLength(1);
    const hook = received[0]!;
    const payload = JSON.parse(hook.body) as { event: string; rule: { name: string }; value: number };
    expect(payload).toMatchObject({ event: 'alert.firing', project: 'demo', model: 'iris', rule: { name: 'f0-drift', metric: 'feature_drift' }, value: 1 });
    // The signature, checked by the hub's helper and independently with node:crypto.
    const header = String(hook.headers['outpost-signature']);
    expect(await verifyWebhookSignature(secret, header, hook.body, 300, Math.floor(now / 1000))).toBe(true);
    expect(await verifyWebhookSignature(secret, header, `${hook.body} `, 300, Math.floor(now / 1000))).toBe(false);
    expect(await verifyWebhookSignature(secret, header, hook.body, 300, Math.floor(now / 1000) + 3600)).toBe(false);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
    expect(createHmac('sha256', secret).update(`${t}.${hook.body}`).digest('hex')).toBe(v1);

    const events = (await (await admin(`${A}/events`)).json()) as { events: Array<{ kind: string; delivery: string; rule: string }> };
    expect(events.events[0]).toMatchObject({ kind: 'firing', delivery: 'sent', rule: 'f0-drift' });
    const triggers = (await (await admin('/v1/projects/demo/models/iris/retrain-triggers')).json()) as { triggers: Array<{ status: string; reason: string }> };
    expect(triggers.triggers).toHaveLength(1);
    expect(triggers.triggers[0]).toMatchObject({ status: 'recorded' });
    expect(triggers.triggers[0]!.reason).toContain('alert "f0-drift" fired');

    // Still firing: no second event, webhook or trigger.
    r = (await (await send('POST', `${A}/evaluate`)).json()) as typeof r;
    expect(r.rules[0]).toMatchObject({ state: 'firing', event: null });
    expect(received).toHaveLength(1);
  });

  it('resolves when the window holds no drift any more, and records a failed delivery without breaking evaluation', async () => {
    receiverStatus = 503;
    now += 2 * 3_600_000; // the drifted records leave the window
    await upload(300, 0);
    const r = (await (await send('POST', `${A}/evaluate`)).json()) as { rules: Array<{ state: string; event: string | null }> };
    expect(r.rules[0]).toMatchObject({ state: 'ok', event: 'resolved' });
    expect(received).toHaveLength(3); // one try and one retry
    const events = (await (await admin(`${A}/events`)).json()) as { events: Array<{ kind: string; delivery: string; deliveryDetail: string }> };
    expect(events.events[0]).toMatchObject({ kind: 'resolved', delivery: 'failed', deliveryDetail: 'HTTP 503' });
    receiverStatus = 200;
  });

  it('a firing rule that guards rollouts rolls a staged rollout back at the next tick', async () => {
    const start = await send('POST', '/v1/projects/demo/models/iris/rollout/start', { version: 2, stages: [10, 100], stageMinutes: 60 });
    expect(start.status, await start.clone().text()).toBe(200);
    expect((await send('POST', `${A}/rules`, { name: 'errors', metric: 'predictions', params: { version: 2 }, comparator: '>', threshold: 5, guardRollout: true })).status).toBe(201);
    await upload(20, 0, 2);
    await createPeriodicTick(hub.deps).tick();
    const rollout = (await (await admin('/v1/projects/demo/models/iris/rollout')).json()) as { policy: { state: string; history: Array<{ action: string; detail: string }> } };
    expect(rollout.policy.state).toBe('rolled_back');
    expect(rollout.policy.history.at(-1)!.detail).toContain('alert "errors" is firing');
  });

  it('names what is wrong: unknown metric, missing param, bad webhook URL, duplicate name; 404s; admin only', async () => {
    const unknown = await send('POST', `${A}/rules`, { name: 'x', metric: 'vibes', comparator: '>', threshold: 1 });
    expect(unknown.status).toBe(400);
    const u = (await unknown.json()) as ErrorBody;
    expect(u.error.issues?.[0]?.path).toBe('metric');
    expect(u.error.message).toContain('drift_share');
    const missing = await send('POST', `${A}/rules`, { name: 'x', metric: 'feature_psi', comparator: '>', threshold: 0.2 });
    expect(((await missing.json()) as ErrorBody).error.issues?.[0]?.path).toBe('params.column');
    const http = await send('POST', `${A}/rules`, { name: 'x', metric: 'drift_share', comparator: '>', threshold: 0.5, webhookUrl: 'http://example.com/hook' });
    expect(((await http.json()) as ErrorBody).error.issues?.[0]?.path).toBe('webhookUrl');
    const comparator = await send('POST', `${A}/rules`, { name: 'x', metric: 'drift_share', comparator: '!=', threshold: 0.5 });
    expect(((await comparator.json()) as ErrorBody).error.issues?.[0]?.path).toBe('comparator');
    expect((await send('POST', `${A}/rules`, { name: 'f0-drift', metric: 'drift_share', comparator: '>', threshold: 0.5 })).status).toBe(409);
    expect((await send('PATCH', `${A}/rules/nope`, { threshold: 1 })).status).toBe(404);
    expect((await send('POST', '/v1/projects/demo/models/nope/alerts/rules', { name: 'x', metric: 'drift_share', comparator: '>', threshold: 0.5 })).status).toBe(404);
    expect((await request(`${A}/rules`, projectKey)).status).toBe(401);

    const patched = await send('PATCH', `${A}/rules/f0-drift`, { threshold: 2, enabled: false });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ threshold: 2, enabled: false, state: 'ok' });
    expect((await send('DELETE', `${A}/rules/f0-drift`)).status).toBe(204);
    expect(((await (await admin(`${A}/rules`)).json()) as { rules: unknown[] }).rules).toHaveLength(1);
    // The trigger outlives its rule.
    expect(((await (await admin('/v1/projects/demo/models/iris/retrain-triggers')).json()) as { triggers: unknown[] }).triggers).toHaveLength(1);
  });
});

describe('alert evaluation, more', () => {
  type Evaluated = { rules: Array<{ name: string; state: string; event: string | null }> };
  const eventsOf = async (rule: string) => ((await (await admin(`${A}/events?limit=500`)).json()) as { events: Array<{ rule: string; kind: string; delivery: string; deliveryDetail: string | null }> }).events.filter((e) => e.rule === rule);
  const triggerCount = async () => ((await (await admin('/v1/projects/demo/models/iris/retrain-triggers')).json()) as { triggers: unknown[] }).triggers.length;

  it("a firing's webhook names the rule by id and carries a delivery id; the creation, the firing and its retraining trigger are audited", async () => {
    const created = await send('POST', `${A}/rules`, { name: 'busy', metric: 'predictions', params: { version: 1 }, comparator: '>', threshold: 0, webhookUrl: receiverUrl, retrain: true });
    expect(created.status, await created.clone().text()).toBe(201);
    const { rule } = (await created.json()) as { rule: { id: number } };
    await upload(5, 0);
    const hooksBefore = received.length;
    const triggersBefore = await triggerCount();

    const r = (await (await send('POST', `${A}/evaluate`)).json()) as Evaluated;
    expect(r.rules.find((x) => x.name === 'busy')).toMatchObject({ state: 'firing', event: 'firing' });
    expect(await eventsOf('busy')).toHaveLength(1);
    expect(received.length - hooksBefore).toBe(1);
    expect(await triggerCount()).toBe(triggersBefore + 1);

    const payload = JSON.parse(received.at(-1)!.body) as { rule: { id: number; name: string } };
    expect(payload.rule).toMatchObject({ id: rule.id, name: 'busy' });
    expect(received.at(-1)!.headers['outpost-delivery']).toMatch(/^alert-event-\d+$/);

    const audit = (await (await admin('/v1/projects/demo/audit?model=iris&limit=500')).json()) as { entries: Array<{ action: string; actor: string; detail: { rule?: string }; reason: string | null }> };
    const mine = audit.entries.filter((e) => e.detail.rule === 'busy').map((e) => e.action);
    expect(mine).toEqual(['alert.retrain', 'alert.firing', 'alert.create']);
    expect(audit.entries.find((e) => e.action === 'alert.retrain' && e.detail.rule === 'busy')!.reason).toContain('alert "busy" fired: predictions');
  });

  it('bad numbers and unknown fields get a 400 naming the field', async () => {
    const rule = { name: 'bad', metric: 'error_rate', comparator: '>', threshold: 0.1 };
    for (const [body, path] of [
      [{ ...rule, threshold: 'high' }, 'threshold'],
      [{ ...rule, forMs: -1 }, 'forMs'],
      [{ ...rule, windowMs: 1000 }, 'windowMs'],
      [{ ...rule, retrain: 'yes' }, 'retrain'],
      [{ ...rule, params: { version: 2, colour: 'red' } }, 'params.colour'],
    ] as const) {
      const res = await send('POST', `${A}/rules`, body);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path, path).toBe(path);
    }
    const unknownField = await send('POST', `${A}/rules`, { ...rule, severity: 'page' });
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(await unknownField.json())).toContain('severity');
    const patch = await send('PATCH', `${A}/rules/busy`, { metric: 'feature_psi' });
    expect(patch.status).toBe(400);
    expect(((await patch.json()) as ErrorBody).error.issues?.[0]?.path).toBe('params.column');
  });

  it('shows one rule by name, without its secret', async () => {
    const res = await admin(`${A}/rules/busy`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'busy', metric: 'predictions', state: 'firing', hasWebhook: true, retrain: true });
    expect(body).not.toHaveProperty('webhookSecret');
    const missing = await admin(`${A}/rules/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.message).toContain('no alert rule "nope"');
  });

  it('a webhook nobody answers is recorded as failed, with the error, and the rule still fires', async () => {
    // A port that was just free: nothing listens there now, so the connection is refused.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect((await send('POST', `${A}/rules`, { name: 'unheard', metric: 'predictions', params: { version: 1 }, comparator: '>', threshold: 0, webhookUrl: `http://localhost:${port}/hook` })).status).toBe(201);

    const r = (await (await send('POST', `${A}/evaluate`)).json()) as Evaluated;
    expect(r.rules.find((x) => x.name === 'unheard')).toMatchObject({ state: 'firing', event: 'firing' });
    const [event] = await eventsOf('unheard');
    expect(event).toMatchObject({ kind: 'firing', delivery: 'failed' });
    expect(event!.deliveryDetail).toBeTruthy();
    expect(event!.deliveryDetail).not.toMatch(/^HTTP/);
  });

  type Audit = { entries: Array<{ action: string; detail: { rule?: string; resolvedWebhook?: string }; reason: string | null }> };
  const auditOf = async (rule: string) => ((await (await admin('/v1/projects/demo/audit?model=iris&limit=500')).json()) as Audit).entries.filter((e) => e.detail.rule === rule);
  const lastHook = () => ({ body: JSON.parse(received.at(-1)!.body) as { event: string; reason?: string; rule: { name: string; threshold: number } }, delivery: received.at(-1)!.headers['outpost-delivery'] });

  it('a firing rule that is changed or disabled resolves: an event, an audit entry and a signed webhook that say why', async () => {
    const created = await send('POST', `${A}/rules`, { name: 'paging', metric: 'predictions', params: { version: 1 }, comparator: '>', threshold: 0, webhookUrl: receiverUrl });
    const { webhookSecret } = (await created.json()) as { webhookSecret: string };
    await upload(3, 0);
    const fire = async () => ((await (await send('POST', `${A}/evaluate`)).json()) as Evaluated).rules.find((x) => x.name === 'paging');
    expect(await fire()).toMatchObject({ state: 'firing', event: 'firing' });

    // A changed condition starts over: the firing on the old one resolves, and the old threshold is in its webhook.
    const changed = await send('PATCH', `${A}/rules/paging`, { threshold: 1_000_000 });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ state: 'ok' });
    expect(lastHook().body).toMatchObject({ event: 'alert.resolved', reason: 'rule changed', rule: { name: 'paging', threshold: 0 } });
    expect(await fire()).toMatchObject({ state: 'ok', event: null });

    expect((await send('PATCH', `${A}/rules/paging`, { threshold: 0 })).status).toBe(200);
    expect(await fire()).toMatchObject({ state: 'firing', event: 'firing' });
    const hooksBefore = received.length;
    expect((await send('PATCH', `${A}/rules/paging`, { enabled: false })).status).toBe(200);
    expect(received.length - hooksBefore).toBe(1);
    expect(lastHook().body).toMatchObject({ event: 'alert.resolved', reason: 'rule disabled' });
    expect(await verifyWebhookSignature(webhookSecret, received.at(-1)!.headers['outpost-signature'] as string, received.at(-1)!.body, 300, Math.floor(now / 1000))).toBe(true);

    const events = await eventsOf('paging');
    expect(events.map((e) => e.kind)).toEqual(['resolved', 'firing', 'resolved', 'firing']);
    expect(events[0]).toMatchObject({ delivery: 'sent', deliveryDetail: 'HTTP 200' });
    expect(lastHook().delivery).toMatch(/^alert-event-\d+$/);
    const resolutions = (await auditOf('paging')).filter((e) => e.action === 'alert.resolved');
    expect(resolutions.map((e) => e.reason)).toEqual(['rule disabled', 'rule changed']);

    // Disabled, it stays quiet; disabling it again resolves nothing more.
    expect((await send('PATCH', `${A}/rules/paging`, { enabled: false })).status).toBe(200);
    expect(received.length - hooksBefore).toBe(1);
    expect(await eventsOf('paging')).toHaveLength(4);
  });

  it("a firing rule that is deleted sends its resolution; the deletion's audit entry says how the webhook went", async () => {
    const created = await send('POST', `${A}/rules`, { name: 'doomed', metric: 'predictions', params: { version: 1 }, comparator: '>', threshold: 0, webhookUrl: receiverUrl });
    const { rule } = (await created.json()) as { rule: { id: number } };
    await upload(3, 0);
    expect(((await (await send('POST', `${A}/evaluate`)).json()) as Evaluated).rules.find((x) => x.name === 'doomed')).toMatchObject({ state: 'firing' });
    expect((await send('DELETE', `${A}/rules/doomed`)).status).toBe(204);
    expect(lastHook()).toMatchObject({ body: { event: 'alert.resolved', reason: 'rule deleted', rule: { name: 'doomed' } }, delivery: `alert-rule-${rule.id}-deleted` });
    expect((await auditOf('doomed')).find((e) => e.action === 'alert.delete')!.detail.resolvedWebhook).toBe('sent: HTTP 200');

    // A rule that is not firing goes without a webhook.
    expect((await send('POST', `${A}/rules`, { name: 'calm', metric: 'predictions', params: { version: 1 }, comparator: '<', threshold: 0, webhookUrl: receiverUrl })).status).toBe(201);
    const hooksBefore = received.length;
    expect((await send('DELETE', `${A}/rules/calm`)).status).toBe(204);
    expect(received.length).toBe(hooksBefore);
    expect((await auditOf('calm')).find((e) => e.action === 'alert.delete')!.detail).not.toHaveProperty('resolvedWebhook');
  });

  describe('a failed webhook is delivered again', () => {
    type Event = { id: number; rule: string; kind: string; delivery: string; deliveryDetail: string | null; attempts: number; nextAttemptAt: number | null };
    /** The event a webhook delivery is for (`alert-event-<id>`): the rule may resolve, with events of its own, as the clock moves on. */
    const eventOf = async (rule: string, delivery: string) => ((await eventsOf(rule)) as unknown as Event[]).find((e) => `alert-event-${e.id}` === delivery)!;
    const tick = () => createPeriodicTick(hub.deps).tick();
    const hooksFor = (delivery: string) => received.filter((r) => r.headers['outpost-delivery'] === delivery);
    const fireOnce = async (name: string) => {
      const created = await send('POST', `${A}/rules`, { name, metric: 'predictions', params: { version: 1 }, comparator: '>', threshold: 0, webhookUrl: receiverUrl });
      expect(created.status).toBe(201);
      await upload(3, 0);
      expect(((await (await send('POST', `${A}/evaluate`)).json()) as Evaluated).rules.find((x) => x.name === name)).toMatchObject({ state: 'firing', event: 'firing' });
      return (await created.json()) as { webhookSecret: string };
    };
    let startedAt: number;
    beforeAll(() => void (startedAt = now));
    // The clock moves on by hours here: the suites after this one read the data uploaded at the start.
    afterAll(() => void ((now = startedAt), (receiverStatus = 200)));

    it('on a later tick, with the same body and delivery id, signed anew, until it gets through', async () => {
      receiverStatus = 500;
      const { webhookSecret } = await fireOnce('flaky');
      const delivery = received.at(-1)!.headers['outpost-delivery'] as string;
      expect(await eventOf('flaky', delivery)).toMatchObject({ kind: 'firing', delivery: 'failed', deliveryDetail: 'HTTP 500', attempts: 1, nextAttemptAt: now + REDELIVERY_MS[0]! });
      expect(hooksFor(delivery)).toHaveLength(2); // a 5xx is tried twice

      await tick(); // not due yet
      expect(hooksFor(delivery)).toHaveLength(2);
      receiverStatus = 200;
      now += REDELIVERY_MS[0]!;
      await tick();
      const [first, , again] = hooksFor(delivery);
      expect(again!.body).toBe(first!.body);
      expect(again!.headers['outpost-signature']).not.toBe(first!.headers['outpost-signature']);
      expect(await verifyWebhookSignature(webhookSecret, again!.headers['outpost-signature'] as string, again!.body, 300, Math.floor(now / 1000))).toBe(true);
      expect(await eventOf('flaky', delivery)).toMatchObject({ delivery: 'sent', deliveryDetail: 'HTTP 200', attempts: 2, nextAttemptAt: null });

      now += 24 * 3_600_000;
      await tick();
      expect(hooksFor(delivery)).toHaveLength(3);
    });

    it('on a schedule that ends: then the event stays failed, and nothing more is sent', async () => {
      receiverStatus = 503;
      await fireOnce('down');
      const delivery = received.at(-1)!.headers['outpost-delivery'] as string;
      for (const [i, wait] of REDELIVERY_MS.entries()) {
        expect(await eventOf('down', delivery)).toMatchObject({ delivery: 'failed', attempts: i + 1, nextAttemptAt: now + wait });
        now += wait;
        await tick();
      }
      expect(await eventOf('down', delivery)).toMatchObject({ kind: 'firing', delivery: 'failed', deliveryDetail: 'HTTP 503', attempts: REDELIVERY_MS.length + 1, nextAttemptAt: null });
      expect(hooksFor(delivery)).toHaveLength(2 * (REDELIVERY_MS.length + 1));
      now += 7 * 24 * 3_600_000;
      await tick();
      expect(hooksFor(delivery)).toHaveLength(2 * (REDELIVERY_MS.length + 1));
    });

  });
});

describe('metric sources', () => {
  it('rules of one evaluation pass on the same model and window share one drift report', async () => {
    const memo = new Map<string, Promise<unknown>>();
    const ctx = { project: 'demo', model: 'iris', from: now - 3_600_000, to: now, memo };
    const share = await METRICS.drift_share!.source(hub.deps)({ ...ctx, params: {} });
    const psi = await METRICS.feature_psi!.source(hub.deps)({ ...ctx, params: { column: 'f0' } });
    expect(memo.size).toBe(1);
    expect(share).toEqual(expect.any(Number));
    expect(psi).toEqual(expect.any(Number));
    // Another window is another report.
    await METRICS.drift_share!.source(hub.deps)({ ...ctx, from: ctx.from - 1, params: {} });
    expect(memo.size).toBe(2);
  });
});
