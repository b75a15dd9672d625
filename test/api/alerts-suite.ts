import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { InferenceRecord } from '@outpost/shared';
import type { RolloutTarget } from './rollout-suite.ts';

/**
 * Alerts through the API on every build: a rule fires on the platform's periodic evaluation (the
 * Workers cron when the target has `tick`, else `POST …/alerts/evaluate` and the rollout's
 * `evaluate`), its webhook reaches a receiver on loopback signed as the docs say (checked here with
 * node:crypto alone, as a receiver would), a retraining trigger is recorded, a guarded rollout rolls
 * back, and the rule resolves. Targets as the rollout suite's (`preseeded`: fleet/species v1, v2).
 */
export function defineAlertSuite(name: string, start: () => Promise<RolloutTarget>) {
  describe(`alerts on ${name}`, () => {
    let hub: RolloutTarget;
    let projectKey: string;
    let receiver: Server;
    let receiverUrl: string;
    const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
    const api = (path: string, init: RequestInit & { token?: string } = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${init.token ?? hub.adminToken}`);
      return fetch(`${hub.baseUrl}${path}`, { ...init, headers });
    };
    const send = (method: string, path: string, body?: unknown) =>
      api(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const M = '/v1/projects/fleet/models/species';
    let seq = 0;
    const sync = async (n: number, errors: number) => {
      const records: InferenceRecord[] = Array.from({ length: n }, (_, i) => ({
        id: `alerts-${String(++seq).padStart(6, '0')}`,
        seq,
        model: 'species',
        modelVersion: 2,
        executionProvider: 'wasm',
        latencyMs: 3,
        createdAt: Date.now(),
        input: { f0: i, f1: 1 },
        output: i < errors ? { error: 'session.run: out of memory' } : { label: 'c1', probabilities: [0.1, 0.8, 0.1] },
      }));
      const res = await api('/v1/device/inferences', { method: 'POST', token: projectKey, body: JSON.stringify({ deviceId: 'alerts-device-1', records }), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
    };
    /** One periodic evaluation: alerts first, then rollouts, as the hub's tick runs them. */
    const tick = async () => {
      if (hub.tick) return hub.tick();
      expect((await send('POST', `${M}/alerts/evaluate`)).status).toBe(200);
      expect((await send('POST', `${M}/rollout/evaluate`)).status).toBe(200);
    };
    const events = async () => ((await (await api(`${M}/alerts/events`)).json()) as { events: Array<{ rule: string; kind: string; value: number; delivery: string; deliveryDetail: string | null }> }).events;

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/outpost`;
      hub = await start();
      if (hub.preseeded) {
        projectKey = ((await (await send('POST', '/v1/projects/fleet/keys')).json()) as { projectKey: string }).projectKey;
      } else {
        projectKey = ((await (await send('POST', '/v1/projects', { id: 'fleet' })).json()) as { projectKey: string }).projectKey;
        const { uploadForm } = await import('../../hub/src/registry/test-support.ts');
        for (let i = 0; i < 2; i++) expect((await api(`${M}/versions`, { method: 'POST', body: uploadForm(2, 3) })).status).toBe(201);
        expect((await send('POST', `${M}/versions/1/publish`)).status).toBe(200);
      }
    }, 180_000);
    afterAll(async () => {
      receiver?.close();
      await hub?.stop();
    });

    let secret: string;

    it('refuses a rule on an unknown metric, listing the known ones, and plain http off this machine', async () => {
      const unknown = await send('POST', `${M}/alerts/rules`, { name: 'x', metric: 'vibes', comparator: '>', threshold: 1 });
      expect(unknown.status).toBe(400);
      const body = (await unknown.json()) as { error: { message: string; issues: Array<{ path: string }> } };
      expect(body.error.issues[0]?.path).toBe('metric');
      expect(body.error.message).toContain('error_rate');
      const http = await send('POST', `${M}/alerts/rules`, { name: 'x', metric: 'error_rate', comparator: '>', threshold: 1, webhookUrl: 'http://hooks.example.com/x' });
      expect(((await http.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]?.path).toBe('webhookUrl');
    });

    it('fires on the periodic evaluation: a signed webhook, a retraining trigger, and the guarded rollout rolls back', async () => {
      const created = await send('POST', `${M}/alerts/rules`, { name: 'v2-errors', metric: 'error_rate', params: { version: 2 }, comparator: '>', threshold: 0.5, webhookUrl: receiverUrl, retrain: true, guardRollout: true });
      expect(created.status, await created.clone().text()).toBe(201);
      secret = ((await created.json()) as { webhookSecret: string }).webhookSecret;
      const started = await send('POST', `${M}/rollout/start`, { version: 2, stages: [10, 100], stageMinutes: 60 });
      expect(started.status, await started.clone().text()).toBe(200);

      await sync(4, 4);
      await tick();

      expect((await events())[0]).toMatchObject({ rule: 'v2-errors', kind: 'firing', value: 1, delivery: 'sent', deliveryDetail: 'HTTP 204' });
      expect(received).toHaveLength(1);
      const hook = received[0]!;
      expect(JSON.parse(hook.body)).toMatchObject({ event: 'alert.firing', project: 'fleet', model: 'species', rule: { name: 'v2-errors', metric: 'error_rate', params: { version: 2 }, comparator: '>', threshold: 0.5 }, value: 1 });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['outpost-signature'])) ?? [];
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${hook.body}`).digest('hex'));
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
      expect(hook.headers['outpost-delivery']).toMatch(/^alert-event-\d+$/);

      const triggers = ((await (await api(`${M}/retrain-triggers`)).json()) as { triggers: Array<{ status: string; reason: string }> }).triggers;
      expect(triggers).toHaveLength(1);
      expect(triggers[0]).toMatchObject({ status: 'recorded' });
      expect(triggers[0]!.reason).toContain('alert "v2-errors" fired: error_rate');

      const rollout = (await (await api(`${M}/rollout`)).json()) as { policy: { state: string; history: Array<{ detail: string }> } };
      expect(rollout.policy.state).toBe('rolled_back');
      expect(rollout.policy.history.at(-1)!.detail).toContain('alert "v2-errors" is firing');
    });

    it('resolves when the condition stops holding, with a second signed webhook', async () => {
      await sync(20, 0); // 4 errors in 24: 0.17
      await tick();
      const [resolved] = await events();
      expect(resolved).toMatchObject({ rule: 'v2-errors', kind: 'resolved', delivery: 'sent' });
      expect(resolved!.value).toBeCloseTo(4 / 24, 9);
      expect(received).toHaveLength(2);
      expect(JSON.parse(received[1]!.body)).toMatchObject({ event: 'alert.resolved' });
      const rule = (await (await api(`${M}/alerts/rules/v2-errors`)).json()) as { state: string; hasWebhook: boolean };
      expect(rule).toMatchObject({ state: 'ok', hasWebhook: true });
      expect(JSON.stringify(rule)).not.toContain(secret);
    });

    it('resolves when it is disabled while firing, and its webhook says so', async () => {
      await sync(40, 40); // 44 errors in 64
      await tick();
      expect((await events())[0]).toMatchObject({ rule: 'v2-errors', kind: 'firing' });
      const disabled = await send('PATCH', `${M}/alerts/rules/v2-errors`, { enabled: false });
      expect(disabled.status, await disabled.clone().text()).toBe(200);
      expect(await disabled.json()).toMatchObject({ state: 'ok', enabled: false });
      expect((await events())[0]).toMatchObject({ rule: 'v2-errors', kind: 'resolved', delivery: 'sent' });
      expect(received).toHaveLength(4);
      expect(JSON.parse(received[3]!.body)).toMatchObject({ event: 'alert.resolved', reason: 'rule disabled', rule: { name: 'v2-errors' } });
    });
  });
}
