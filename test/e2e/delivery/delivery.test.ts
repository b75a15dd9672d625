import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutpostStats } from '@outpost/edge-sdk';
import type { TrustedKey } from '@outpost/shared';
import { uploadForm } from '../../../hub/src/registry/test-support.ts';
import { launchChromium } from '../../support/chromium.ts';
import { startNodeHub, type RunningHub } from '../../support/hub-process.ts';
import type { DeliveryPage, PageConfig } from './page/main.ts';

/**
 * Model delivery through the SDK's public API in Debian's Chromium against a real Node hub: the
 * device context on the manifest request, a new version found by polling, downloaded with progress
 * and swapped in while predictions go on, and the hub's server-side fallback when no model can be
 * opened on the device.
 */
describe('model delivery in Chromium', () => {
  const PROJECT = 'delivery';
  const MODEL = 'clf';
  let hub: RunningHub;
  let site: { origin: string; close(): Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let config: PageConfig;

  const admin = async (path: string, init: RequestInit = {}, status = 200): Promise<unknown> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${hub.adminToken}`);
    const res = await fetch(`${hub.baseUrl}${path}`, { ...init, headers });
    const body = await res.json();
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  /** Register and publish the next version (different output name: different bytes and SHA-256). */
  const publish = async (outputName: string) => {
    const form = uploadForm(2, 3, { outputName });
    const { version } = (await admin(`/v1/projects/${PROJECT}/models/${MODEL}/versions`, { method: 'POST', body: form }, 201)) as { version: number };
    await admin(`/v1/projects/${PROJECT}/models/${MODEL}/versions/${version}/publish`, { method: 'POST' });
  };
  const inPage = <T>(fn: (d: DeliveryPage) => T | Promise<T>) => page.evaluate(`(${fn.toString()})(window.delivery)`) as Promise<T>;
  const stats = () => inPage((d) => d.outpost.stats()) as Promise<OutpostStats>;
  async function open(c: PageConfig) {
    await page.goto(`${site.origin}/index.html?config=${encodeURIComponent(JSON.stringify(c))}`);
    await page.waitForFunction(() => (window as unknown as { delivery?: unknown }).delivery !== undefined);
    const info = await inPage((d) => d.booted);
    if ('error' in info) throw new Error(`the SDK did not get ready: ${info.error}`);
    return info;
  }
  const storedRecords = async () => {
    const body = (await admin(`/v1/projects/${PROJECT}/models/${MODEL}/inferences`)) as { records: { id: string; modelVersion: number; executionProvider: string }[] };
    return body.records;
  };

  beforeAll(async () => {
    const outDir = resolve(import.meta.dirname, '../../../node_modules/.cache/outpost-delivery-page');
    const built = build({ root: resolve(import.meta.dirname, 'page'), logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' }, optimizeDeps: { exclude: ['onnxruntime-web'] } });
    hub = await startNodeHub();
    await built;
    const app = new Hono();
    app.use('*', serveStatic({ root: outDir, rewriteRequestPath: (p) => p }));
    site = await new Promise((r) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        r({ origin: `http://localhost:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) }),
      );
    });
    const { projectKey } = (await admin('/v1/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: PROJECT }) }, 201)) as { projectKey: string };
    await publish('probabilities');
    const { keys } = (await admin('/v1/signing-keys')) as { keys: TrustedKey[] };
    config = { hubUrl: hub.baseUrl, projectKey, model: MODEL, trustedKeys: keys, flushIntervalMs: 500 };
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await hub?.stop();
  });

  it('sends the device context with the manifest request and runs v1 on the device', async () => {
    const queries: URLSearchParams[] = [];
    await page.route(`${hub.baseUrl}/v1/device/models/${MODEL}/manifest*`, async (route) => {
      queries.push(new URL(route.request().url()).searchParams);
      await route.continue();
    });
    const info = await open({ ...config, pollIntervalMs: 1_000, context: { platform: 'linux', appVersion: '1.4.2', attributes: { cohort: 'e2e' } } });
    await page.unrouteAll();
    expect(info).toMatchObject({ modelVersion: 1, executionProvider: 'wasm' });
    const q = Object.fromEntries(queries[0]!);
    // No WebGPU adapter in this Chromium (--disable-gpu): the SDK says so.
    expect(q).toEqual({ installId: expect.stringMatching(/^[0-9a-f-]{36}$/), platform: 'linux', appVersion: '1.4.2', webgpu: '0', 'attr.cohort': 'e2e' });
    const s = await stats();
    expect(s).toMatchObject({ modelVersion: 1, modelSource: 'network', modelCache: 'indexeddb', download: { state: 'idle' } });
    // The hub says why this device runs v1 (its bucket, the reason); ready() and stats() agree.
    expect(info.assignment).toMatchObject({ version: 1, bucket: expect.any(Number) });
    expect(s.assignment).toEqual(info.assignment);
    expect((await inPage((d) => d.predict(3))).map((p) => p.modelVersion)).toEqual([1, 1, 1]);
  });

  it('finds v2 by polling, downloads it with progress and swaps it in while predictions go on', async () => {
    await publish('probs');
    // Predict throughout: every answer comes from v1 or v2, never an error.
    const during = inPage(async (d) => {
      const versions: number[] = [];
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline && d.outpost.stats().modelVersion !== 2) {
        versions.push(...(await d.predict(1)).map((p) => p.modelVersion));
        await new Promise((r) => setTimeout(r, 10)); // as an app would: predictions between other work
      }
      versions.push(...(await d.predict(2)).map((p) => p.modelVersion));
      return versions;
    });
    const versions = await during;
    expect(versions.at(-1)).toBe(2);
    expect(new Set(versions)).toEqual(new Set(versions.includes(1) ? [1, 2] : [2]));
    const events = await inPage((d) => d.events);
    const downloads = events.filter((e) => e.type === 'download' && (e.event as { version: number }).version === 2).map((e) => e.event as { loaded: number; total: number });
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.at(-1)!.loaded).toBe(downloads.at(-1)!.total);
    expect(events.filter((e) => e.type === 'model').map((e) => e.event)).toEqual([
      { to: 1, source: 'network' },
      { from: 1, to: 2, source: 'network' },
    ]);
    expect(await stats()).toMatchObject({ modelVersion: 2, download: { state: 'idle' }, lastManifestCheck: { outcome: 'updated' } });
    await inPage((d) => d.outpost.flush());
    await expect.poll(async () => (await storedRecords()).filter((r) => r.modelVersion === 2).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  });

  it('predicts on the hub when the device cannot open any model (no onnxruntime wasm here)', async () => {
    const fresh = await browser.context.browser()?.newContext();
    const other = fresh ? await fresh.newPage() : await browser.context.newPage();
    const previous = page;
    page = other;
    try {
      const info = await open({ ...config, pollIntervalMs: 0, wasmPaths: '/no-such-dir/' });
      expect(info).toMatchObject({ modelVersion: 2, executionProvider: 'server' });
      const made = await inPage((d) => d.predict(2));
      expect(made.map((p) => p.executionProvider)).toEqual(['server', 'server']);
      expect(made[0]!.label).toMatch(/^c[012]$/);
      const s = await stats();
      expect(s).toMatchObject({ executionProvider: 'server', predictions: 2, modelRefusals: { runtime: expect.any(Number) } });
      expect(s.modelFallbackReason).toMatch(/runtime/);
      const stored = await storedRecords();
      for (const p of made) expect(stored.find((r) => r.id === p.id)).toMatchObject({ executionProvider: 'server', modelVersion: 2 });
    } finally {
      page = previous;
      await other.close();
    }
  });
});
