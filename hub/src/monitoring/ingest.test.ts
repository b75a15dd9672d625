import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { count, eq } from 'drizzle-orm';
import { INGEST_LIMITS, RECORD_FLAGS, type ErrorBody, type InferenceRecord } from '@outpost/shared';
import { deviceHealth, inferences } from '../db/schema.ts';
import { uploadForm } from '../registry/test-support.ts';

// POST /v1/device/inferences through the real app on libSQL (:memory:): what it refuses, how it
// places records in time, and the health reports it keeps.

const DAY = 24 * 60 * 60 * 1000;
let hub: NodeHub;
let dataDir: string;
let projectKey: string;
let now = Date.UTC(2026, 0, 10, 12);

const record = (i: number, over: Record<string, unknown> = {}): InferenceRecord =>
  ({
    id: `rec-${String(i).padStart(4, '0')}-xxxxxxxx`,
    seq: i,
    model: 'iris',
    modelVersion: 1,
    executionProvider: 'wasm',
    latencyMs: 0.5,
    createdAt: now - 60_000 + i,
    input: { f0: i, f1: 'a' },
    output: { label: 'c0', probabilities: [0.5, 0.3, 0.2] },
    ...over,
  }) as InferenceRecord;

const post = (body: unknown) =>
  hub.app.request('/v1/device/inferences', { method: 'POST', headers: { authorization: `Bearer ${projectKey}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const stored = async () => (await hub.deps.db.select({ n: count() }).from(inferences))[0]!.n;
const listed = async () => {
  const res = await hub.app.request('/v1/projects/demo/models/iris/inferences', { headers: { authorization: `Bearer ${hub.adminToken}` } });
  return new Map(((await res.json()) as { records: { id: string; createdAt: number; receivedAt: number; observedAt: number; flags: number }[] }).records.map((r) => [r.id, r]));
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-ingest-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', clock: () => now });
  const created = await hub.app.request('/v1/projects', { method: 'POST', body: '{"id":"demo"}', headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' } });
  projectKey = ((await created.json()) as { projectKey: string }).projectKey;
  const registered = await hub.app.request('/v1/projects/demo/models/iris/versions', { method: 'POST', body: uploadForm(2, 3), headers: { authorization: `Bearer ${hub.adminToken}` } });
  expect(registered.status).toBe(201);
  expect((await post({ deviceId: 'device-aaaaaaaa', records: [record(1), record(2)] })).status).toBe(200);
});
afterAll(async () => {
  await hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a refused upload names what is wrong and changes nothing stored', () => {
  it.each([
    ['a wrong type', [record(10), record(11), record(12, { seq: 'twelve' })], 'records.2.seq', 'expected a number'],
    ['a missing field', [record(10), { ...record(11), modelVersion: undefined }], 'records.1.modelVersion', 'expected a number'],
    ['null where a number belongs', [record(10, { latencyMs: null })], 'records.0.latencyMs', 'expected a number'],
    ['an unknown field', [record(10), record(11), record(12), record(13, { foo: 1 })], 'records.3.foo', 'unknown field'],
    ['a server-owned field', [record(10), record(11, { observedAt: now })], 'records.1.observedAt', 'server-owned field, set by the hub'],
    ['flags from the client', [record(10, { flags: 0 })], 'records.0.flags', 'server-owned field, set by the hub'],
    ['an input value that is not a scalar', [record(10, { input: { f0: [1, 2] } })], 'records.0.input.f0', 'expected a string, number, boolean or null'],
  ])('%s: 400 naming record and field', async (_, records, path, message) => {
    const before = await stored();
    const res = await post({ deviceId: 'device-aaaaaaaa', records });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: `invalid body: ${path}: ${message}`, issues: [{ path, message }] });
    // The valid records before the bad one were not stored either: the batch is refused whole.
    expect(await stored()).toBe(before);
  });

  it('a body that is not JSON: 400', async () => {
    const res = await post('{"deviceId": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toBe('invalid body: expected JSON');
  });

  it('a server-owned field on the batch itself: 400 naming it', async () => {
    const res = await post({ deviceId: 'device-aaaaaaaa', receivedAt: now, records: [record(10)] });
    expect(((await res.json()) as ErrorBody).error.message).toBe('invalid body: receivedAt: server-owned field, set by the hub');
  });

  it('more records than an upload may carry: 413, so the SDK splits the batch', async () => {
    const before = await stored();
    const res = await post({ deviceId: 'device-aaaaaaaa', records: Array.from({ length: INGEST_LIMITS.maxRecordsPerBatch + 1 }, (_, i) => record(100 + i)) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(`at most ${INGEST_LIMITS.maxRecordsPerBatch} records, this one ${INGEST_LIMITS.maxRecordsPerBatch + 1}`) });
    expect(await stored()).toBe(before);
  });

  it('a body over the byte limit: 413', async () => {
    const before = await stored();
    const res = await post({ deviceId: 'device-aaaaaaaa', records: [record(10, { input: { blob: 'x'.repeat(INGEST_LIMITS.maxBodyBytes) } })] });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored()).toBe(before);
  });
});

describe('what is stored', () => {
  it('every value as sent: quotes, non-ASCII text, fractions, integer-valued floats, large integers', async () => {
    const odd = [
      record(60, { id: `rec-0060-'); drop table inferences; --`, latencyMs: 0.1 + 0.2, createdAt: now - 2 ** 40, input: { "it's": 'naïve 😀 "quoted"', n: -1.5e-7, big: 2 ** 53 - 1, flag: true, none: null } }),
      record(61, { latencyMs: 3, seq: 2 ** 53 - 1, executionProvider: 'web gpu', output: { error: 'session.run: out of memory' } }),
      record(62, { output: { value: -273.15 } }),
    ];
    expect(await (await post({ deviceId: 'device-values00', records: odd })).json()).toEqual({ accepted: 3, duplicates: 0 });
    const rows = await hub.deps.db.select().from(inferences).where(eq(inferences.deviceId, 'device-values00'));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const sent of odd) {
      const { receivedAt, observedAt, flags, projectId, deviceId, ...kept } = byId.get(sent.id)!;
      expect(kept).toEqual(sent);
      expect({ projectId, deviceId, receivedAt, observedAt, flags }).toEqual({ projectId: 'demo', deviceId: 'device-values00', receivedAt: now, observedAt: Math.min(sent.createdAt, now), flags: 0 });
    }
  });
});

describe('records are placed on the hub clock', () => {
  it("a device whose clock is 3 days fast: observedAt corrected by the upload's sentAt, unflagged", async () => {
    const fast = 3 * DAY;
    const created = [now - 120_000, now - 5_000].map((t) => t + fast);
    const res = await post({ deviceId: 'device-fast0000', sentAt: now + fast - 200, records: [record(20, { createdAt: created[0] }), record(21, { createdAt: created[1] })] });
    expect(res.status).toBe(200);
    const rows = await listed();
    // Corrected by receivedAt − sentAt = 200 ms of transit besides the 3 days: a whole 3 days fewer, plus 200 ms.
    expect(rows.get(record(20).id)).toMatchObject({ createdAt: created[0], receivedAt: now, observedAt: now - 120_000 + 200, flags: 0 });
    expect(rows.get(record(21).id)).toMatchObject({ observedAt: now - 5_000 + 200, flags: 0 });
  });

  it('a record days in the future without sentAt: clamped to receivedAt and flagged; one a little ahead: clamped only', async () => {
    const res = await post({ deviceId: 'device-future00', records: [record(30, { createdAt: now + 2 * DAY }), record(31, { createdAt: now + 1_000 })] });
    expect(res.status).toBe(200);
    const rows = await listed();
    expect(rows.get(record(30).id)).toMatchObject({ createdAt: now + 2 * DAY, observedAt: now, flags: RECORD_FLAGS.clockClamped });
    expect(rows.get(record(31).id)).toMatchObject({ createdAt: now + 1_000, observedAt: now, flags: 0 });
  });

  it('a retry stores nothing twice and keeps the first placement', async () => {
    const before = (await listed()).get(record(20).id);
    now += 60_000;
    const res = await post({ deviceId: 'device-fast0000', sentAt: now, records: [record(20, { createdAt: before!.createdAt })] });
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect((await listed()).get(record(20).id)).toEqual(before);
  });
});

describe('health reports', () => {
  const healthOf = async (deviceId: string) => (await hub.deps.db.select().from(deviceHealth).where(eq(deviceHealth.deviceId, deviceId)))[0];

  it('keeps the largest count per reason: a stale retry never lowers a counter, new reasons are added', async () => {
    const send = (dropped: Record<string, number>, i: number) => post({ deviceId: 'device-health00', health: { model: 'iris', dropped }, records: [record(i)] });
    expect((await send({ queue_full: 5, expired: 2 }, 40)).status).toBe(200);
    expect(await healthOf('device-health00')).toMatchObject({ projectId: 'demo', model: 'iris', dropped: { queue_full: 5, expired: 2 }, reportedAt: now });
    now += 1_000;
    expect((await send({ queue_full: 9, expired: 2, too_large: 1 }, 41)).status).toBe(200);
    now += 1_000;
    // The first upload again (a retry whose answer was lost): older, smaller counts.
    expect((await send({ queue_full: 5, expired: 2 }, 40)).status).toBe(200);
    expect(await healthOf('device-health00')).toMatchObject({ dropped: { queue_full: 9, expired: 2, too_large: 1 }, reportedAt: now });
  });

  it('a report with a bad reason refuses the upload, naming it', async () => {
    const res = await post({ deviceId: 'device-health01', health: { model: 'iris', dropped: { 'not a reason': 1 } }, records: [record(50)] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.issues?.[0]?.path).toBe('health.dropped.not a reason');
    expect(await healthOf('device-health01')).toBeUndefined();
  });
});
