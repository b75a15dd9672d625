import type { Page } from 'playwright-core';

// The in-page benches beside `predict` (page/main.ts runAppend, runColdStart): driven and printed here.

interface Series {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  calls: number;
}
type Window = Record<string, (config: unknown) => Promise<unknown>>;

const APPEND_SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 3);
const APPEND_MAX_RECORDS = Number(process.env.BENCH_APPEND_MAX_RECORDS ?? 30_000);
const APPEND_YIELD_EVERY = Number(process.env.BENCH_APPEND_YIELD_EVERY ?? 100);
const COLD_REPS = Number(process.env.BENCH_COLD_REPS ?? 30);
const PAGE_REPS = Number(process.env.BENCH_PAGE_REPS ?? 30);
const ms = (n: number) => `${n.toFixed(2)} ms`;
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;

/** (b) Records/s through predict() into IndexedDB, sustained for APPEND_SECONDS, and predict latency meanwhile. */
export async function benchLogAppend(page: Page, demo: object, us: (ms: number) => string): Promise<void> {
  const results = (await page.evaluate((config) => (window as unknown as Window).runAppend!(config), { ...demo, calls: 0, warmup: 0, seconds: APPEND_SECONDS, maxRecords: APPEND_MAX_RECORDS, yieldEvery: APPEND_YIELD_EVERY })) as {
    side: string;
    records: number;
    inIndexedDb: number;
    dropped: Record<string, number>;
    storage?: string;
    predictedPerSecond: number;
    writtenPerSecond: number;
    tailMs: number;
    predict: Series;
  }[];
  console.log(`\nLog append: predict() in a loop for ${APPEND_SECONDS} s or ${APPEND_MAX_RECORDS.toLocaleString('en')} records, every record logged to IndexedDB (uploads refused, so all stay there; queue bound 512 MiB); written = records in IndexedDB / (first predict → flush() resolved)`);
  console.log(`(a tight loop never yields, so the writes all run after it; "yielding" gives the event loop a task every ${APPEND_YIELD_EVERY} predictions, so they run in between)`);
  console.log(`${'runtime'.padEnd(29)} ${'records'.padStart(9)} ${'in IDB'.padStart(9)} ${'predicted'.padStart(11)} ${'written'.padStart(11)} ${'tail'.padStart(10)} ${'predict median'.padStart(15)} ${'p99'.padStart(10)}`);
  for (const r of results) {
    console.log(
      `${r.side.padEnd(29)} ${String(r.records).padStart(9)} ${String(r.inIndexedDb).padStart(9)} ${perSecond(r.predictedPerSecond).padStart(11)} ${perSecond(r.writtenPerSecond).padStart(11)} ${ms(r.tailMs).padStart(10)} ${us(r.predict.medianMs).padStart(15)} ${us(r.predict.p99Ms).padStart(10)}`,
    );
    if (r.inIndexedDb !== r.records || Object.keys(r.dropped).length > 0 || r.storage !== 'indexeddb') {
      console.log(`  ${r.side}: ${r.inIndexedDb} of ${r.records} records in the queue, dropped ${JSON.stringify(r.dropped)}, storage ${r.storage}`);
    }
  }
  console.log('goal: ≥ 20,000 records/s written, predict latency while appending close to the predict bench\'s (fake runtime = the log pipeline\'s own ceiling)');
}

/** (c) createOutpost() → first prediction from the SDK's cache, beside InferenceSession.create(bytes) + run: in fresh pages (the cold start), and again in a page where onnxruntime-web already runs. */
export async function benchColdStart(page: Page, demo: object): Promise<void> {
  // Also fills the SDK's cache and the raw app's in this origin, for the fresh pages.
  const r = (await page.evaluate((config) => (window as unknown as Window).runColdStart!(config), { ...demo, calls: 0, warmup: 0, reps: COLD_REPS })) as {
    raw: Series;
    rawCached: Series;
    cacheOffline: Series;
    cacheOnline: Series;
    sources: string[];
  };
  // The same starts in fresh pages (runPageColdStart): onnxruntime-web's JS and wasm are loaded and
  // started on every side, as when an app is opened offline. This is the cold start the goal is about.
  const { inputName, input } = (await page.evaluate((config) => (window as unknown as Window).rawInput!(config), { ...demo, calls: 0, warmup: 0 })) as { inputName: string; input: number[] };
  const sides = ['raw', 'rawMemory', 'sdk'] as const;
  const times: Record<(typeof sides)[number], number[]> = { raw: [], rawMemory: [], sdk: [] };
  for (let i = 0; i < PAGE_REPS; i++) {
    // Each round in a rotated order: no side always follows another.
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(i + k) % sides.length]!;
      const fresh = await page.context().newPage();
      try {
        await fresh.goto(page.url());
        await fresh.waitForFunction(() => document.title === 'ready');
        times[side].push((await fresh.evaluate((config) => (window as unknown as Window).runPageColdStart!(config), { ...demo, calls: 0, warmup: 0, side, inputName, input })) as number);
      } finally {
        await fresh.close();
      }
    }
  }
  const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
  const sdk = at(times.sdk, 0.5);
  console.log(`\nCold start to the first prediction, in a fresh page: ${PAGE_REPS} pages a side, rotating (onnxruntime-web's JS and wasm from the browser's cache, started on every side, as when an app is opened offline)`);
  console.log(`${''.padEnd(66)} ${'median'.padStart(10)} ${'p10–p90'.padStart(17)} ${'SDK ÷ it'.padStart(9)}`);
  const row = (label: string, xs: number[], base = true) =>
    console.log(`${label.padEnd(66)} ${ms(at(xs, 0.5)).padStart(10)} ${`${at(xs, 0.1).toFixed(0)}–${at(xs, 0.9).toFixed(0)} ms`.padStart(17)} ${base ? `${(sdk / at(xs, 0.5)).toFixed(2)}×`.padStart(9) : ''}`);
  row('raw: import onnxruntime-web, create(bytes in memory), run', times.rawMemory);
  row('raw app: read its IndexedDB, import onnxruntime-web, create, run', times.raw);
  row('SDK createOutpost → predict, cache, hub unreachable', times.sdk, false);
  console.log('goal: ≤ 1.10× (median, SDK ÷ raw session create with its bytes in memory)');

  // The starts measured first, in the bench's own page, where onnxruntime-web already runs (as in an
  // app that makes a second client): not a cold start, but they show what the SDK's own start-up
  // costs in absolute terms.
  console.log(`\nA second start in a page where onnxruntime-web already runs, ${COLD_REPS} interleaved repetitions (model from: ${r.sources.join(', ')})`);
  console.log(`${''.padEnd(58)} ${'median'.padStart(10)} ${'p99'.padStart(10)} ${'÷ cached'.padStart(9)} ${'÷ memory'.padStart(9)} ${'+ cached'.padStart(9)}`);
  const ratio = (s: Series, base: Series) => `${(s.medianMs / base.medianMs).toFixed(2)}×`.padStart(9);
  const inPage = (label: string, s: Series) => console.log(`${label.padEnd(58)} ${ms(s.medianMs).padStart(10)} ${ms(s.p99Ms).padStart(10)} ${ratio(s, r.rawCached)} ${ratio(s, r.raw)} ${`${(s.medianMs - r.rawCached.medianMs).toFixed(2)} ms`.padStart(9)}`);
  inPage('raw app, model in its IndexedDB: open, read, create, run', r.rawCached);
  inPage('raw InferenceSession.create(bytes in memory) + run', r.raw);
  inPage('SDK createOutpost → predict, cache, hub unreachable', r.cacheOffline);
  inPage('SDK createOutpost → predict, cache, hub same version', r.cacheOnline);
  console.log("(+ cached: what the SDK's start adds to a raw app's: its database's device and model state, the signature and hash check, the log pipeline)");
}
