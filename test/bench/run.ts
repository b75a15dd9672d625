// `npm run bench`: (1) the SDK's predict() beside raw onnxruntime-web session.run() on the same model,
// in the same Chromium page, against a real hub seeded by `npm start`'s process; (2) hub ingest
// beside a raw batched libSQL insert (ingest.ts).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { build } from 'vite';
import { launchChromium } from '../support/chromium.ts';
import { startOutpost } from '../support/outpost-start.ts';
import { benchIngest } from './ingest.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const pageRoot = resolve(import.meta.dirname, 'page');
const outDir = resolve(import.meta.dirname, '../../node_modules/.cache/outpost-bench');

await build({ root: pageRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' }, optimizeDeps: { exclude: ['onnxruntime-web'] } });

const outpost = await startOutpost();
const server = new Hono();
// Cross-origin isolation gives the page precise timers (5 µs instead of 100 µs).
server.use('*', async (c, next) => {
  await next();
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Cross-Origin-Embedder-Policy', 'require-corp');
});
server.use('*', serveStatic({ root: outDir, rewriteRequestPath: (p) => p }));
const port = await new Promise<number>((r) => serve({ fetch: server.fetch, port: 0, hostname: '127.0.0.1' }, (i) => r(i.port)));
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(`http://localhost:${port}/index.html`);
  await page.waitForFunction(() => document.title === 'ready');
  const demo = JSON.parse(await readFile(join(outpost.dataDir, 'demo-app.json'), 'utf8')) as object;
  const result = await page.evaluate(
    (config) => (window as unknown as { runBench(c: unknown): Promise<unknown> }).runBench(config),
    { ...demo, calls: CALLS, warmup: 200 },
  ) as {
    crossOriginIsolated: boolean;
    userAgent: string;
    sdk: { medianMs: number; p99Ms: number; meanMs: number; calls: number };
    baseline: { medianMs: number; p99Ms: number; meanMs: number; calls: number };
    synced: number;
  };
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const { sdk, baseline } = result;
  console.log(`\nPredict latency, penguins MLP, batch 1, WASM, 1 thread (${result.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0]}, crossOriginIsolated=${result.crossOriginIsolated})`);
  console.log(`seed: npm start → demo model published in ${outpost.seedSeconds} s\n`);
  console.log('                         calls    median        p99       mean');
  console.log(`raw session.run     ${String(baseline.calls).padStart(9)} ${us(baseline.medianMs).padStart(10)} ${us(baseline.p99Ms).padStart(10)} ${us(baseline.meanMs).padStart(10)}`);
  console.log(`SDK predict()       ${String(sdk.calls).padStart(9)} ${us(sdk.medianMs).padStart(10)} ${us(sdk.p99Ms).padStart(10)} ${us(sdk.meanMs).padStart(10)}`);
  console.log(`ratio SDK/raw                ${(sdk.medianMs / baseline.medianMs).toFixed(2)}×     ${(sdk.p99Ms / baseline.p99Ms).toFixed(2)}×      ${(sdk.meanMs / baseline.meanMs).toFixed(2)}×`);
  console.log(`\nSDK records synced to the hub during the run: ${result.synced}`);
} finally {
  await browser.close();
  await outpost.stop();
}
const ingest = await benchIngest();
const rate = (n: number) => `${Math.round(n).toLocaleString('en')} rows/s`;
console.log(`\nIngest of ${ingest.total} inference records in batches of ${ingest.batch}, fresh file databases`);
console.log(`raw libSQL batched insert (same table, one statement per batch)  ${rate(ingest.rawRowsPerSecond)}`);
console.log(`hub POST /v1/device/inferences over loopback HTTP               ${rate(ingest.hubRowsPerSecond)}`);
console.log(`ratio hub/raw                                                     ${(ingest.hubRowsPerSecond / ingest.rawRowsPerSecond).toFixed(2)}×`);
process.exit(0);
