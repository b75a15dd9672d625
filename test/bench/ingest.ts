// Hub ingest (POST /v1/device/inferences over loopback HTTP: JSON, zod validation, dedup insert in
// one atomic batch) beside a raw batched insert of the same rows with @libsql/client in this process.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import type { InferenceRecord } from '@outpost/shared';
import { ROOT, startNodeHub } from '../support/hub-process.ts';

const BATCH = 500;

function records(n: number, offset: number): InferenceRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-${offset + i}-${'0'.repeat(8)}`,
    seq: offset + i,
    model: 'penguins',
    modelVersion: 1,
    executionProvider: 'wasm',
    latencyMs: 0.03,
    createdAt: 1_700_000_000_000 + offset + i,
    input: { Island: 'Biscoe', 'Beak Length (mm)': 40 + (i % 10), Sex: 'MALE' },
    output: { label: 'Gentoo', probabilities: [0.01, 0.01, 0.98] },
  }));
}

async function rawInsert(total: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-raw-'));
  const client = createClient({ url: `file:${join(dir, 'raw.db')}` });
  try {
    const migrations = join(ROOT, 'hub/drizzle');
    for (const file of (await readdir(migrations)).filter((f) => f.endsWith('.sql')).sort()) {
      for (const sql of (await readFile(join(migrations, file), 'utf8')).split('--> statement-breakpoint')) await client.execute(sql);
    }
    const cols = 'project_id,id,device_id,seq,model,model_version,execution_provider,latency_ms,created_at,received_at,input,output';
    const row = `(${new Array(12).fill('?').join(',')})`;
    const t0 = performance.now();
    for (let offset = 0; offset < total; offset += BATCH) {
      const batch = records(BATCH, offset);
      const args = batch.flatMap((r) => ['demo', r.id, 'device-bench', r.seq, r.model, r.modelVersion, r.executionProvider, r.latencyMs, r.createdAt, Date.now(), JSON.stringify(r.input), JSON.stringify(r.output)]);
      await client.batch([{ sql: `INSERT INTO inferences (${cols}) VALUES ${batch.map(() => row).join(',')} ON CONFLICT DO NOTHING`, args }], 'write');
    }
    return total / ((performance.now() - t0) / 1000);
  } finally {
    client.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function hubIngest(total: number): Promise<number> {
  const hub = await startNodeHub();
  try {
    const project = await fetch(`${hub.baseUrl}/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'demo' }),
    });
    const { projectKey } = (await project.json()) as { projectKey: string };
    const bodies = Array.from({ length: total / BATCH }, (_, b) => JSON.stringify({ deviceId: 'device-bench', records: records(BATCH, b * BATCH) }));
    const t0 = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${hub.baseUrl}/v1/device/inferences`, { method: 'POST', headers: { authorization: `Bearer ${projectKey}`, 'content-type': 'application/json' }, body });
      const result = (await res.json()) as { accepted: number };
      if (result.accepted !== BATCH) throw new Error(`hub accepted ${result.accepted} of ${BATCH}: ${JSON.stringify(result)}`);
    }
    return total / ((performance.now() - t0) / 1000);
  } finally {
    await hub.stop();
  }
}

/** Records per second for both, in batches of 500, on fresh file databases. */
export async function benchIngest(total = 20_000) {
  // The hub's rate limiter (120 burst, 20/s per key) caps a single device far below this; 40 batches fit the burst.
  const raw = await rawInsert(total);
  const hub = await hubIngest(total);
  return { total, batch: BATCH, rawRowsPerSecond: raw, hubRowsPerSecond: hub };
}
