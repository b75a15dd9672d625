import { describe, expect, test } from 'vitest';
import type { IngestBatch, InferenceRecord } from '@outpost/shared';
import { createMemoryLogBuffer } from '../log-buffer/memory.ts';
import { recordBytes, type LogBuffer } from '../log-buffer/types.ts';
import { createMemoryMetaStore } from '../storage/meta.ts';
import { createFakeClock } from '../testing/fake-clock.ts';
import { KEEPALIVE_MAX_BYTES, TRIM_LOW_WATER, createLogPipeline, type LogPipelineInput } from './log-pipeline.ts';
import { createRecordPolicy } from './record-policy.ts';
import { createFetchTransport, type SendOutcome, type SyncTransport } from './transport.ts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const SENT: SendOutcome = { kind: 'sent', accepted: 1, duplicates: 0 };
const FAILED: SendOutcome = { kind: 'retry', error: 'HTTP 500' };

/** Let queued microtasks and zero-delay timers run (the memory buffer settles within a few turns). */
const settle = async () => {
  for (let i = 0; i < 2; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A scripted hub behind the SyncTransport interface: answers in turn, then `otherwise`. */
function scriptedTransport() {
  const calls: Array<{ batch: IngestBatch; keepalive: boolean }> = [];
  const delivered = new Map<string, number>();
  const state = { answers: [] as SendOutcome[], otherwise: SENT, hold: undefined as Promise<void> | undefined };
  const transport: SyncTransport = {
    async send(batch, options = {}) {
      calls.push({ batch, keepalive: options.keepalive === true });
      if (state.hold) await state.hold;
      const answer = state.answers.shift() ?? state.otherwise;
      if (answer.kind === 'sent') for (const r of batch.records) delivered.set(r.id, (delivered.get(r.id) ?? 0) + 1);
      return answer;
    },
  };
  return { transport, calls, delivered, state };
}

function setup(overrides: Partial<LogPipelineInput> = {}, logs: LogBuffer = createMemoryLogBuffer()) {
  const clock = createFakeClock(T0);
  const events = new EventTarget();
  const hub = scriptedTransport();
  const meta = createMemoryMetaStore();
  const input: LogPipelineInput = {
    storage: { logs, meta, deviceId: 'device-0001', seq: 0 },
    transport: hub.transport,
    batchSize: 100,
    flushIntervalMs: 5_000,
    clock,
    lifecycleEvents: events,
    random: () => 0.5,
    ...overrides,
  };
  let n = 0;
  const record = (note = ''): Omit<InferenceRecord, 'seq'> => ({
    id: `record-${String(++n).padStart(6, '0')}`,
    model: 'penguins',
    modelVersion: 1,
    executionProvider: 'wasm',
    latencyMs: 1,
    createdAt: clock.now(),
    input: { island: 'Dream', note },
    output: { label: 'Adelie', probabilities: [0.8, 0.1, 0.1] },
  });
  return { pipeline: createLogPipeline(input), clock, events, hub, logs, meta, record };
}

describe('bounds', () => {
  test(`over maxQueueBytes the oldest records are dropped and counted, down to ${TRIM_LOW_WATER} of the bound; the newest are delivered`, async () => {
    const one = recordBytes({ ...setup().record(), seq: 1 });
    const { pipeline, hub, record } = setup({ maxQueueBytes: one * 10 + 2 }); // trimmed to 9 records
    hub.state.otherwise = FAILED;
    for (let i = 0; i < 10; i++) pipeline.push(record());
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ pending: 10, dropped: {} }); // at the bound, not over
    for (let i = 0; i < 5; i++) pipeline.push(record());
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ pending: 9, dropped: { queue_full: 6 } });
    expect(pipeline.stats().queueBytes).toBeLessThanOrEqual((one * 10 + 2) * TRIM_LOW_WATER);
    hub.state.otherwise = SENT;
    await pipeline.flush();
    expect([...hub.delivered.keys()]).toEqual(Array.from({ length: 9 }, (_, i) => `record-${String(i + 7).padStart(6, '0')}`));
  });

  test('a record older than maxRecordAgeMs is dropped unsent, counted as expired', async () => {
    const { pipeline, hub, clock, record } = setup({ maxRecordAgeMs: DAY });
    hub.state.otherwise = FAILED;
    pipeline.push(record());
    await pipeline.flush();
    clock.advance(DAY - 1);
    await settle();
    pipeline.push(record()); // young
    clock.advance(2);
    hub.state.otherwise = SENT;
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ pending: 0, synced: 1, dropped: { expired: 1 } });
    expect([...hub.delivered.keys()]).toEqual(['record-000002']);
  });

  test('a day offline keeps every record under the default 7-day limit; each is delivered once', async () => {
    const { pipeline, hub, clock, record } = setup();
    hub.state.otherwise = { kind: 'retry', error: 'network: offline' };
    for (let i = 0; i < 5; i++) pipeline.push(record());
    await pipeline.flush();
    for (let h = 0; h < 24; h++) {
      clock.advance(60 * 60 * 1000);
      await settle();
    }
    expect(pipeline.stats()).toMatchObject({ pending: 5, dropped: {}, oldestRecordAgeMs: DAY });
    hub.state.otherwise = SENT;
    await pipeline.flush();
    expect([...hub.delivered.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  test('records in an upload in flight are never dropped for space; the hub gets them once, none counted lost', async () => {
    const one = recordBytes({ ...setup().record(), seq: 1 });
    const { pipeline, hub, record } = setup({ maxQueueBytes: one * 10 + 2, batchSize: 3 }); // trimmed to 9
    for (let i = 0; i < 3; i++) pipeline.push(record());
    await settle();
    let release: () => void = () => undefined;
    hub.state.hold = new Promise((r) => (release = r));
    const flushing = pipeline.flush(); // uploads records 1–3 and waits
    await settle();
    expect(hub.calls).toHaveLength(1);
    for (let i = 0; i < 10; i++) pipeline.push(record()); // 13 queued: over the bound
    await settle();
    hub.state.hold = undefined;
    release();
    await flushing;
    await pipeline.flush();
    const delivered = [...hub.delivered.keys()];
    // The oldest records not in flight (4–7) made room; the three in flight were delivered.
    expect(delivered).toEqual(['record-000001', 'record-000002', 'record-000003', ...[8, 9, 10, 11, 12, 13].map((i) => `record-${String(i).padStart(6, '0')}`)]);
    expect(pipeline.stats().dropped).toEqual({ queue_full: 4 });
    expect([...hub.delivered.values()].every((n) => n === 1)).toBe(true);
  });

  test('start-up drops what expired while the page was closed, then uploads the rest after flushIntervalMs', async () => {
    const logs = createMemoryLogBuffer();
    const clock = createFakeClock(T0 + 8 * DAY);
    const base = { seq: 1, model: 'm', modelVersion: 1, executionProvider: 'wasm', latencyMs: 1, input: {}, output: { value: 1 } };
    await logs.append([
      { ...base, id: 'old-record', createdAt: T0 },
      { ...base, id: 'new-record', seq: 2, createdAt: T0 + 7 * DAY },
    ]);
    const { pipeline, hub } = setup({ clock }, logs);
    await settle();
    expect(pipeline.stats()).toMatchObject({ pending: 1, dropped: { expired: 1 } });
    expect(hub.calls).toHaveLength(0);
    clock.advance(5_000);
    await settle();
    expect([...hub.delivered.keys()]).toEqual(['new-record']);
  });
  test('start-up upkeep waits for upkeepAfter (the model start), then drops what expired', async () => {
    const logs = createMemoryLogBuffer();
    const clock = createFakeClock(T0 + 8 * DAY);
    const base = { seq: 1, model: 'm', modelVersion: 1, executionProvider: 'wasm', latencyMs: 1, input: {}, output: { value: 1 } };
    await logs.append([{ ...base, id: 'old-record', createdAt: T0 }]);
    let started!: () => void;
    const { pipeline } = setup({ clock, upkeepAfter: new Promise<void>((r) => (started = r)) }, logs);
    await settle();
    expect(pipeline.stats().dropped).toEqual({});
    started();
    await settle();
    expect(pipeline.stats()).toMatchObject({ pending: 0, dropped: { expired: 1 } });
  });
});

describe('uploads', () => {
  test('a retried batch carries the same batch id; another batch another id', async () => {
    const { pipeline, hub, record } = setup({ batchSize: 2 });
    hub.state.answers = [FAILED];
    for (let i = 0; i < 3; i++) pipeline.push(record());
    await pipeline.flush();
    await pipeline.flush();
    const ids = hub.calls.map((c) => c.batch.batchId);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(hub.calls[0]?.batch.records).toEqual(hub.calls[1]?.batch.records);
  });

  test('each try carries the clock at send and the drops so far; a retry keeps its batch id', async () => {
    const { pipeline, hub, clock, record } = setup({ recordPolicy: (r) => (r.input.note === 'skip' ? undefined : r) });
    hub.state.answers = [FAILED];
    pipeline.push(record());
    pipeline.push(record('skip')); // counted as dropped: 'sampled'
    await pipeline.flush();
    clock.advance(90_000);
    await pipeline.flush();
    const [first, retry] = hub.calls.map((c) => c.batch);
    expect(first).toMatchObject({ sentAt: T0, health: { model: 'penguins', dropped: { sampled: 1 } } });
    expect(retry).toMatchObject({ batchId: first!.batchId, sentAt: T0 + 90_000, health: { model: 'penguins', dropped: pipeline.stats().dropped } });
  });

  test('a refused batch moves to the quarantine: counted, inspectable, never sent again', async () => {
    const { pipeline, hub, logs, record } = setup();
    hub.state.answers = [{ kind: 'rejected', status: 422, error: 'HTTP 422 VALIDATION_FAILED: records.0.input' }];
    pipeline.push(record());
    pipeline.push(record());
    expect(await pipeline.flush()).toEqual({ sent: 0, pending: 0 });
    await pipeline.flush();
    expect(hub.calls).toHaveLength(1);
    expect(pipeline.stats()).toMatchObject({ dropped: { rejected_422: 2 }, quarantined: 2, lastSyncError: 'HTTP 422 VALIDATION_FAILED: records.0.input' });
    expect((await logs.quarantined(10)).map((q) => [q.record.id, q.reason, q.at])).toEqual([
      ['record-000002', 'rejected_422', T0],
      ['record-000001', 'rejected_422', T0],
    ]);
  });

  test('never a hot loop: six simulated hours of 500s while predictions keep coming', async () => {
    const { pipeline, hub, clock, record } = setup({ random: Math.random });
    hub.state.otherwise = FAILED;
    const hours = 6;
    const predictions = (hours * 3600) / 20;
    for (let t = 0; t < predictions; t++) {
      pipeline.push(record()); // one prediction every 20 s, each arming the flush timer
      clock.advance(20_000);
      await settle();
    }
    // Backoff doubles from 1 s to the 5-minute cap, jittered in its upper half: at most ~9 attempts to
    // reach the cap, then one per 150–300 s.
    const attempts = hub.calls.length;
    expect(attempts).toBeGreaterThanOrEqual((hours * 3600) / 300);
    expect(attempts).toBeLessThanOrEqual(10 + (hours * 3600) / 150);
    expect(pipeline.stats()).toMatchObject({ pending: predictions, dropped: {} });
    hub.state.otherwise = SENT;
    await pipeline.flush();
    expect(hub.delivered.size).toBe(predictions);
  }, 60_000);
});

describe('pagehide', () => {
  test('records only in memory go out in one keepalive fetch under 64 KiB; they stay queued until confirmed', async () => {
    const bodies: Array<{ bytes: number; keepalive: boolean | undefined }> = [];
    const transport = createFetchTransport(
      {
        hubUrl: 'https://hub.test',
        projectKey: 'pk',
        fetch: async (_url, init) => {
          bodies.push({ bytes: new TextEncoder().encode(String(init?.body)).length, keepalive: init?.keepalive });
          throw new TypeError('the page is gone'); // the answer is never seen
        },
      },
      () => T0,
    );
    const { pipeline, events, logs, record } = setup({ transport });
    for (let i = 0; i < 300; i++) pipeline.push(record('x'.repeat(300)));
    events.dispatchEvent(new Event('pagehide')); // synchronously, before the write-behind ran
    expect(bodies[0]).toMatchObject({ keepalive: true });
    expect(bodies[0]!.bytes).toBeLessThanOrEqual(KEEPALIVE_MAX_BYTES);
    expect(bodies[0]!.bytes).toBeGreaterThan(KEEPALIVE_MAX_BYTES - 1_000);
    await settle();
    expect((await logs.size()).count).toBe(300);
    expect(pipeline.stats().synced).toBe(0);
  });

  test('a keepalive answer that is seen removes the records like a normal upload', async () => {
    const { pipeline, hub, events, record } = setup();
    pipeline.push(record());
    pipeline.push(record());
    hub.state.answers = [SENT, FAILED];
    events.dispatchEvent(new Event('pagehide'));
    expect(hub.calls[0]?.keepalive).toBe(true);
    await settle();
    expect(pipeline.stats()).toMatchObject({ pending: 0, synced: 2, lastSyncAt: T0 });
    expect(await pipeline.flush()).toEqual({ sent: 0, pending: 0 });
  });
});

describe('writes', () => {
  test("records pushed in one task share one append, made in a later task (after the caller's awaits)", async () => {
    const appended: number[] = [];
    const memory = createMemoryLogBuffer();
    const logs: LogBuffer = { ...memory, append: (records) => (appended.push(records.length), memory.append(records)) };
    const { pipeline, record } = setup({}, logs);
    for (let i = 0; i < 3; i++) pipeline.push(record());
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(appended).toEqual([]); // no transaction opened in the pushing task's microtasks
    await settle();
    expect(appended).toEqual([3]);
    expect(await logs.size()).toMatchObject({ count: 3 });
  });
});

describe('sequence numbers, sampling and redaction', () => {
  test('nextSeq shares the counter with push and is saved without a later push', async () => {
    const { pipeline, hub, meta, record } = setup();
    pipeline.push(record());
    expect(pipeline.nextSeq()).toBe(2);
    pipeline.push(record());
    expect(pipeline.nextSeq()).toBe(4);
    await pipeline.flush();
    expect(hub.calls.flatMap((c) => c.batch.records.map((r) => r.seq))).toEqual([1, 3]);
    expect(await meta.get('seq')).toBe(4);
  });

  test('a sampled-out prediction takes no sequence number (hub gaps stay real losses); errors are always logged', async () => {
    const randoms = [0.1, 0.9, 0.9, 0.3];
    const recordPolicy = createRecordPolicy({ sampleRate: 0.5 }, () => randoms.shift() ?? 0);
    const { pipeline, hub, record } = setup({ recordPolicy });
    pipeline.push(record()); // kept
    pipeline.push(record()); // sampled out
    pipeline.push({ ...record(), output: { error: 'model failed' } }); // kept, no draw
    pipeline.push(record()); // sampled out
    pipeline.push(record()); // kept
    await pipeline.flush();
    expect(hub.calls.flatMap((c) => c.batch.records.map((r) => [r.id, r.seq]))).toEqual([
      ['record-000001', 1],
      ['record-000003', 2],
      ['record-000005', 3],
    ]);
    expect(pipeline.stats().dropped).toEqual({ sampled: 2 });
  });

  test('redacted fields never reach the queue', async () => {
    const recordPolicy = createRecordPolicy({ redact: { island: 'hash', note: 'drop' } }, Math.random);
    const { pipeline, logs, record } = setup({ recordPolicy });
    pipeline.push(record('secret'));
    await settle();
    const [queued] = await logs.peek(1);
    expect(queued?.input).toEqual({ island: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test('stats: queue depth and bytes, age of the oldest record, last sync', async () => {
    const { pipeline, clock, record } = setup();
    pipeline.push(record());
    await settle();
    clock.advance(1_000);
    const before = pipeline.stats();
    expect(before).toMatchObject({ pending: 1, oldestRecordAgeMs: 1_000, quarantined: 0, synced: 0 });
    expect(before.queueBytes).toBeGreaterThan(100);
    expect(before.lastSyncAt).toBeUndefined();
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ pending: 0, queueBytes: 0, synced: 1, lastSyncAt: T0 + 1_000 });
    expect(pipeline.stats().oldestRecordAgeMs).toBeUndefined();
  });
});
