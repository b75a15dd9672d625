import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { TrustedKey } from '@outpost/shared';
import type { OutpostStats } from '@outpost/edge-sdk';
import { uploadForm } from '../../../hub/src/registry/test-support.ts';
import { bootedAs } from '../../support/chromium.ts';
import type { RunningHub } from '../../support/hub-process.ts';
import type { Answer, PageConfig, RuntimePage } from './page/main.ts';

/** The model's input width: wide enough that a wrong kernel shows in the self-test. */
export const WIDTH = 8;

/** Build test/e2e/runtime/page with Vite (the SDK from source, its worker bundled) and serve it on loopback. */
export async function servePage(): Promise<{ origin: string; close(): Promise<void> }> {
  const outDir = resolve(import.meta.dirname, '../../../node_modules/.cache/outpost-runtime-page');
  await build({ root: resolve(import.meta.dirname, 'page'), logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' }, optimizeDeps: { exclude: ['onnxruntime-web'] } });
  const app = new Hono();
  app.use('*', serveStatic({ root: outDir, rewriteRequestPath: (p) => p }));
  return new Promise((r) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      r({ origin: `http://localhost:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

async function admin(hub: RunningHub, path: string, init: RequestInit = {}, status = 200): Promise<unknown> {
  const res = await fetch(`${hub.baseUrl}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${hub.adminToken}` } });
  const body = await res.json();
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A project with a WIDTH → 3 classifier published, over the hub's admin API; what the page is built with. */
export async function seedProject(hub: RunningHub, project: string): Promise<PageConfig> {
  const json = { 'content-type': 'application/json' };
  const { projectKey } = (await admin(hub, '/v1/projects', { method: 'POST', headers: json, body: JSON.stringify({ id: project }) }, 201)) as { projectKey: string };
  const form = uploadForm(WIDTH, 3);
  const { version } = (await admin(hub, `/v1/projects/${project}/models/clf/versions`, { method: 'POST', body: form }, 201)) as { version: number };
  await admin(hub, `/v1/projects/${project}/models/clf/versions/${version}/publish`, { method: 'POST' });
  const { keys } = (await admin(hub, '/v1/signing-keys')) as { keys: TrustedKey[] };
  return { hubUrl: hub.baseUrl, projectKey, model: 'clf', trustedKeys: keys };
}

type PageWindow = { runtimePage: RuntimePage };

/** Load the page with this client; resolves with its first `ready()`, or throws its error. */
export async function openPage(page: Page, origin: string, config: PageConfig, query: { worker?: boolean; fresh?: boolean } = {}) {
  const q = new URLSearchParams({ config: JSON.stringify(config), worker: query.worker ? '1' : '0', fresh: query.fresh ? '1' : '0' });
  await page.goto(`${origin}/index.html?${q}`);
  return booted(page);
}

/** The page's first `ready()` after a load or reload; throws with its error. */
export const booted = (page: Page) => bootedAs(page, 'runtimePage');

export const predict = (page: Page, rows: number[][]): Promise<Answer[]> => page.evaluate((r) => (window as unknown as PageWindow).runtimePage.predict(r), rows);
export const predictAll = (page: Page, rows: number[][]): Promise<Answer[]> => page.evaluate((r) => (window as unknown as PageWindow).runtimePage.predictAll(r), rows);
export const stats = (page: Page): Promise<OutpostStats> => page.evaluate(() => (window as unknown as PageWindow).runtimePage.stats());
export const loseDevice = (page: Page): Promise<boolean> => page.evaluate(() => (window as unknown as PageWindow).runtimePage.loseDevice());

/** The providers the SDK has written to its IndexedDB meta store (read with the plain IndexedDB API). */
export const rememberedProviders = (page: Page): Promise<string[]> =>
  page.evaluate(async () => {
    const names = (await indexedDB.databases()).flatMap((d) => (d.name ? [d.name] : []));
    const read = (name: string) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('meta')) return (db.close(), resolve([]));
          const get = db.transaction('meta').objectStore('meta').get('executionProviders');
          get.onsuccess = () => (db.close(), resolve(Array.isArray(get.result) ? get.result.map((e: { provider: string }) => e.provider) : []));
          get.onerror = () => (db.close(), reject(get.error));
        };
      });
    return (await Promise.all(names.map(read))).flat();
  });

/** Deterministic feature rows around the spec's means (f_i has mean i). */
export const ROWS: number[][] = Array.from({ length: 12 }, (_, r) => Array.from({ length: WIDTH }, (_, i) => i + Math.sin(r * 7 + i) * 2));
