// Dataset ingestion: POST flights-3m.parquet to a fresh hub (stream into the blob store with an
// incremental SHA-256, read row group by row group with hyparquet, column by column, and profile,
// record the version) beside a read-only pass over the same file with the same reader in a fresh
// process (parquet-read.ts). Each side runs in its own process, so each peak RSS (VmHWM) is its own.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, startNodeHub } from '../support/hub-process.ts';
import type { ReadResult } from './parquet-read.ts';
import { procStatusKiB } from './proc-status.ts';

export const FLIGHTS = join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
const ROWS = 3_000_000;
const COLUMNS = 5;

export interface Run {
  rows: number;
  ms: number;
  /** RSS of the process before it starts on the file (KiB). */
  rssBeforeKiB: number;
  /** Peak RSS over the process's life, read after the work (KiB). */
  peakRssKiB: number;
}

async function ingestOnce(file: Uint8Array<ArrayBuffer>): Promise<Run> {
  const hub = await startNodeHub();
  try {
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${hub.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${hub.adminToken}`, ...init.headers } });
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    await api('/v1/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'bench' }) });
    const rssBeforeKiB = (await procStatusKiB(hub.pid)).VmRSS;
    const t0 = performance.now();
    const version = await api('/v1/projects/bench/datasets/flights/versions', { method: 'POST', headers: { 'content-type': 'application/vnd.apache.parquet' }, body: file });
    const ms = performance.now() - t0;
    const peakRssKiB = (await procStatusKiB(hub.pid)).VmHWM;
    if (version.status !== 201 || version.body.rowCount !== ROWS) {
      throw new Error(`hub ingest of flights-3m.parquet is wrong: status ${version.status}, rowCount ${String(version.body.rowCount)}, expected 201 and ${ROWS}`);
    }
    const profile = (await api('/v1/projects/bench/datasets/flights/versions/1/profile')).body as { rowCount: number; columns: unknown[] };
    if (profile.rowCount !== ROWS || profile.columns.length !== COLUMNS) {
      throw new Error(`profile of flights-3m.parquet is wrong: rowCount ${profile.rowCount}, ${profile.columns.length} columns, expected ${ROWS} and ${COLUMNS}`);
    }
    return { rows: ROWS, ms, rssBeforeKiB, peakRssKiB };
  } finally {
    await hub.stop();
  }
}

function readOnce(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/parquet-read.ts', FLIGHTS], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`parquet-read.ts exited ${code}:\n${out}`));
      const result = JSON.parse(line) as ReadResult;
      if (result.rows !== ROWS) return reject(new Error(`read-only baseline read ${result.rows} rows, expected ${ROWS}`));
      resolve(result);
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Medians over `runs` alternating read-only and ingest runs, each in a fresh process. */
export async function benchDataset(runs = Number(process.env.BENCH_DATASET_RUNS ?? 3)) {
  const bytes = await readFile(FLIGHTS);
  const file = new Uint8Array(bytes.byteLength); // over a plain ArrayBuffer, as fetch's BodyInit type wants
  file.set(bytes);
  const read: Run[] = [];
  const ingest: Run[] = [];
  for (let i = 0; i < runs; i++) {
    read.push(await readOnce());
    ingest.push(await ingestOnce(file));
  }
  const summary = (rs: Run[]) => ({
    rowsPerSecond: median(rs.map((r) => r.rows / (r.ms / 1000))),
    seconds: median(rs.map((r) => r.ms / 1000)),
    rssBeforeMiB: median(rs.map((r) => r.rssBeforeKiB / 1024)),
    peakRssMiB: median(rs.map((r) => r.peakRssKiB / 1024)),
    maxPeakRssMiB: Math.max(...rs.map((r) => r.peakRssKiB / 1024)),
  });
  return { runs, rows: ROWS, bytes: file.byteLength, read: summary(read), ingest: summary(ingest) };
}
