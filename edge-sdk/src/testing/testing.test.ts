// An app's test, written the way the guide (docs/sdk.md, "Testing your app") shows: public entry points only.
import { afterEach, expect, test } from 'vitest';
import type { FeatureSpec } from '@outpost/shared';
import { createOutpost, type OutpostClient } from '../index.ts';
import { createFakeClock, createFakeHub, createFakeRuntime, createMemoryLogBuffer } from './index.ts';

const features: FeatureSpec = {
  features: [{ name: 'island', kind: 'categorical', categories: ['Biscoe', 'Dream'], mode: 'Biscoe' }],
  label: { name: 'species', classes: ['Adelie', 'Gentoo'] },
};

const open: OutpostClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function app() {
  const clock = createFakeClock(Date.UTC(2026, 0, 1));
  const hub = await createFakeHub({ model: 'penguins', clock });
  await hub.publish(1, { features });
  const outpost = createOutpost({
    ...hub.options(),
    runtime: createFakeRuntime({ run: () => [0.25, 0.75] }),
    logBuffer: createMemoryLogBuffer(),
    clock,
    lifecycleEvents: new EventTarget(),
  });
  open.push(outpost);
  return { clock, hub, outpost };
}

test('predict against the fake hub; flush delivers the record', async () => {
  const { hub, outpost } = await app();
  const p = await outpost.predict({ island: 'Dream' });
  expect(p).toMatchObject({ task: 'classification', label: 'Gentoo', modelVersion: 1, executionProvider: 'fake' });
  expect(await outpost.flush()).toEqual({ sent: 1, pending: 0 });
  expect(hub.records()).toEqual([expect.objectContaining({ id: p.id, seq: 1, input: { island: 'Dream' } })]);
  expect(outpost.stats()).toMatchObject({ predictions: 1, synced: 1, pending: 0, queueBytes: 0, quarantined: 0 });
});

test('a scripted 503 with Retry-After: the record waits for the fake clock, then goes once', async () => {
  const { clock, hub, outpost } = await app();
  await outpost.predict({ island: 'Biscoe' });
  hub.script('ingest', { status: 503, headers: { 'retry-after': '60' } });
  expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
  expect(outpost.stats().lastSyncError).toMatch(/503/);
  clock.advance(59_000);
  expect(await outpost.flush()).toEqual({ sent: 0, pending: 1 });
  clock.advance(1_000);
  await expect.poll(() => hub.records().length).toBe(1);
  expect(hub.requests.filter((r) => r.startsWith('ingest'))).toEqual(['ingest 503', 'ingest 200']);
});

test('offline: predictions keep working from the loaded model and are delivered when the hub is back', async () => {
  const { hub, outpost } = await app();
  await outpost.ready();
  hub.offline = true;
  await outpost.predict({ island: 'Dream' });
  await outpost.predict({ island: 'Biscoe' });
  expect(await outpost.flush()).toEqual({ sent: 0, pending: 2 });
  hub.offline = false;
  expect(await outpost.flush()).toEqual({ sent: 2, pending: 0 });
  expect(hub.records().map((r) => r.seq)).toEqual([1, 2]);
});
