// Hub ingest (POST /v1/device/inferences over loopback HTTP: JSON, validation, clock-skew correction,
// dedup insert and health upsert in one atomic batch) beside a raw batched insert of the same rows
// (12 input features, 8 numeric and 4 categorical) with @libsql/client in this process.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import type { InferenceRecord } from '@outpost/shared';
import { ROOT, startNodeHub } from '../support/hub-process.ts';

const BATCH = 500;

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
const SEXES = ['MALE', 'FEMALE'];
const COLOURS = ['red', 'green', 'blue', 'grey', 'black'];

/** 12 input features, 8 numeric and 4 categorical, varying by record (deterministic: no randomness needed). */
function records(n: number, offset: number): InferenceRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const i = offset + k;
    return {
      id: `bench-${i}-${'0'.repeat(8)}`,
      seq: i,
      model: 'penguins',
      modelVersion: 1,
      executionProvider: 'wasm',
      latencyMs: 0.03,
      createdAt: 1_700_000_000_000 + i,
      input: {
        island: ISLANDS[i % 3]!,
        sex: SEXES[i % 2]!,
        colour: COLOURS[i % 5]!,
        site: `site-${i % 17}`,
        billLength: 40 + (i % 10) * 0.7,
        billDepth: 15 + (i % 7) * 0.3,
        flipperLength: 180 + (i % 31),
        bodyMass: 3500 + (i % 97) * 11,
        age: i % 23,
        temperature: -2.5 + (i % 13) * 0.25,
        depthM: (i % 41) * 1.5,
        clutch: i % 3,
      },
      output: { label: 'Gentoo', probabilities: [0.01, 0.01, 0.98] },
    };
  });
}

async function rawInsert(total: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-raw-'));
  const client = createClient({ url: `file:${join(dir, 'raw.db')}` });
  try {
    const migrations = join(ROOT, 'hub/drizzle');
    for (const file of (await readdir(migrations)).filter((f) => f.endsWith('.sql')).sort()) {
      for (const sql of (await readFile(join(migrations, file), 'utf8')).split('--> statement-breakpoint')) await client.execute(sql);
    }
    const cols = 'project_id,id,device_id,seq,model,model_version,execution_provider,latency_ms,created_at,received_at,observed_at,flags,input,output';
    const row = `(${new Array(14).fill('?').join(',')})`;
    const t0 = performance.now();
    for (let offset = 0; offset < total; offset += BATCH) {
      const batch = records(BATCH, offset);
      const now = Date.now();
      const args = batch.flatMap((r) => ['demo', r.id, 'device-bench', r.seq, r.model, r.modelVersion, r.executionProvider, r.latencyMs, r.createdAt, now, Math.min(r.createdAt, now), 0, JSON.stringify(r.input), JSON.stringify(r.output)]);
      await client.batch([{ sql: `INSERT INTO inferences (${cols}) VALUES ${batch.map(() => row).join(',')} ON CONFLICT DO NOTHING`, args }], 'write');
    }
    return total / ((performance.now() - t0) / 1000);
  } finally {
    client.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function createProject(hub: Awaited<ReturnType<typeof startNodeHub>>, id: string): Promise<string> {
  const project = await fetch(`${hub.baseUrl}/v1/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  return ((await project.json()) as { projectKey: string }).projectKey;
}

/**
 * Upload `total` records to the hub in batches of 500 from `devices` devices at once, each sending
 * its next batch as soon as its last one is answered, as SDKs upload. The bodies are serialised
 * before the clock starts (a device builds its own), and this process is not the hub's.
 */
async function hubIngest(hub: Awaited<ReturnType<typeof startNodeHub>>, projectKey: string, total: number, devices: number): Promise<number> {
  // As the SDK uploads: the device clock at send (clock-skew correction) and its health report.
  const bodies = Array.from({ length: total / BATCH }, (_, b) =>
    JSON.stringify({ deviceId: `device-bench-${b % devices}`, sentAt: Date.now(), health: { model: 'penguins', dropped: { queue_full: b, expired: 1 } }, records: records(BATCH, b * BATCH) }),
  );
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: devices }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(`${hub.baseUrl}/v1/device/inferences`, { method: 'POST', headers: { authorization: `Bearer ${projectKey}`, 'content-type': 'application/json' }, body });
        const result = (await res.json()) as { accepted: number };
        if (result.accepted !== BATCH) throw new Error(`hub accepted ${result.accepted} of ${BATCH}: ${JSON.stringify(result)}`);
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Records per second, in batches of 500, on fresh file databases: after a warm-up, `rounds` rounds of
 * the raw insert, the hub with one device uploading at a time and the hub with two at once, each into
 * a fresh database (raw) or project (hub); the medians, and every round (on a shared machine the load
 * varies more between runs than between the parts of a round).
 */
export async function benchIngest(total = 20_000, rounds = 3) {
  // The hub's rate limiter (120 burst, 20/s per key) caps a single key far below this; 40 batches
  // fit the burst, and each round uploads with a key of its own.
  const hub = await startNodeHub();
  const results: { raw: number; hub: number; hub2: number }[] = [];
  try {
    // Not counted: both paths compiled by the JIT before the first timed round.
    await rawInsert(BATCH * 10);
    await hubIngest(hub, await createProject(hub, 'bench-warmup'), BATCH * 10, 2);
    for (let round = 0; round < rounds; round++) {
      const raw = await rawInsert(total);
      const one = await hubIngest(hub, await createProject(hub, `bench-${round}-1`), total, 1);
      const two = await hubIngest(hub, await createProject(hub, `bench-${round}-2`), total, 2);
      results.push({ raw, hub: one, hub2: two });
    }
  } finally {
    await hub.stop();
  }
  return {
    total,
    batch: BATCH,
    rounds: results,
    rawRowsPerSecond: median(results.map((r) => r.raw)),
    hubRowsPerSecond: median(results.map((r) => r.hub)),
    hub2RowsPerSecond: median(results.map((r) => r.hub2)),
  };
}
