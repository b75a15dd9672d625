import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../../node/create-node-hub.ts';
import { createAlertService } from './service.ts';
import { createAlertStore } from './store.ts';

// Overlapping evaluations, on a real libSQL database: the periodic tick and a manual `evaluate` can
// run at once (Node's interval, a person's `outpost alert evaluate`). Through the service, where the
// awaits of two evaluations interleave, so without the compare-and-set both would see `ok`.

let hub: NodeHub;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-alert-service-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', clock: () => 1_800_000_000_000, rolloutTickMs: 0 });
});
afterAll(async () => {
  hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('overlapping evaluations fire a rule once: one event, one retraining trigger', async () => {
  const store = createAlertStore(hub.deps.db);
  // `predictions < 1` of a version nobody ran: 0, so it holds, and fires at once (forMs 0).
  await store.insertRule({ projectId: 'p', model: 'm', name: 'quiet', metric: 'predictions', params: { version: 1 }, comparator: '<', threshold: 1, forMs: 0, windowMs: 60_000, retrain: true, guardRollout: false, enabled: true, state: 'ok', createdBy: 'test', createdAt: 0 });
  const alerts = createAlertService(hub.deps);

  const [a, b] = await Promise.all([alerts.evaluateModel('p', 'm'), alerts.evaluateModel('p', 'm'), alerts.tick()]);
  expect([a![0]!.state, b![0]!.state]).toEqual(['firing', 'firing']);
  expect(await store.listEvents('p', 'm', { limit: 10 })).toHaveLength(1);
  expect(await store.listTriggers('p', 'm', 10)).toHaveLength(1);
  expect((await store.getRule('p', 'm', 'quiet'))?.state).toBe('firing');
});

it('a stale read cannot move a rule: advanceRule answers false and changes nothing', async () => {
  const store = createAlertStore(hub.deps.db);
  const rule = (await store.getRule('p', 'm', 'quiet'))!;
  expect(await store.advanceRule(rule.id, { state: 'ok', since: null }, { state: 'pending', since: 1 })).toBe(false);
  expect(await store.getRule('p', 'm', 'quiet')).toMatchObject({ state: 'firing', since: rule.since });
  expect(await store.advanceRule(rule.id, { state: 'firing', since: rule.since }, { state: 'ok', since: null })).toBe(true);
});
