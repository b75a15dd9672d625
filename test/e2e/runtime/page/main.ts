// The SDK's public API on a page, for the execution-provider tests: the client is made from the
// query string (`?config=` JSON, `worker=1`, `fresh=1`), so a reload brings the same app back up.
import { createOnnxRuntime, createOutpost, type OutpostClient, type OutpostOptions, type OutpostStats } from '@outpost/edge-sdk';
import { loseWebGpuDevice } from '@outpost/edge-sdk/testing';

export type PageConfig = Pick<OutpostOptions, 'hubUrl' | 'projectKey' | 'model' | 'trustedKeys'>;

export interface Answer {
  probabilities: number[];
  executionProvider: string;
}

export interface RuntimePage {
  booted: Promise<{ modelVersion: number; executionProvider: string } | { error: string }>;
  /** One prediction per row of feature values (`f0`, `f1`, …), one after another. */
  predict(rows: number[][]): Promise<Answer[]>;
  /** All rows at once (concurrent predict calls). */
  predictAll(rows: number[][]): Promise<Answer[]>;
  stats(): OutpostStats;
  /** `GPUDevice.destroy()` on the device the runtime's sessions run on (in its worker, if any). */
  loseDevice(): Promise<boolean>;
  flush(): Promise<unknown>;
}

const params = new URLSearchParams(location.search);
const config = JSON.parse(params.get('config') ?? 'null') as PageConfig | null;
const runtime = createOnnxRuntime({ worker: params.get('worker') === '1' });

async function boot(): Promise<OutpostClient> {
  if (!config) throw new Error('no ?config= in the URL');
  if (params.get('fresh') === '1') {
    // Forget what an earlier test remembered on this origin (models, provider choices, logs).
    const names = (await indexedDB.databases()).flatMap((db) => (db.name ? [db.name] : []));
    await Promise.all(names.map((name) => new Promise((done) => (indexedDB.deleteDatabase(name).onsuccess = done))));
  }
  return createOutpost({ ...config, runtime, flushIntervalMs: 1_000 });
}

const client = boot();
const answer = async (outpost: OutpostClient, row: number[]): Promise<Answer> => {
  const p = await outpost.predict(Object.fromEntries(row.map((v, i) => [`f${i}`, v])));
  if (p.task !== 'classification') throw new Error('expected a classifier');
  return { probabilities: Object.values(p.probabilities), executionProvider: p.executionProvider };
};
let outpost: OutpostClient | undefined;

const page: RuntimePage = {
  booted: client.then(
    (c) => ((outpost = c), c.ready()),
  ).catch((e: unknown) => ({ error: String(e) })),
  async predict(rows) {
    const out: Answer[] = [];
    for (const row of rows) out.push(await answer(await client, row));
    return out;
  },
  async predictAll(rows) {
    const c = await client;
    return Promise.all(rows.map((row) => answer(c, row)));
  },
  stats: () => {
    if (!outpost) throw new Error('no client yet');
    return outpost.stats();
  },
  loseDevice: () => loseWebGpuDevice(runtime),
  flush: async () => (await client).flush(),
};
(window as unknown as { runtimePage: RuntimePage }).runtimePage = page;
