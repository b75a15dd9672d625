import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import type { TrustedKey } from '@outpost/shared';
import type { OutpostStats } from '@outpost/edge-sdk';
import { denseModel, numericSpec } from '../../../hub/src/registry/test-support.ts';
import { bootedAs } from '../../support/chromium.ts';
import type { FaultsPage, PageConfig } from './page/main.ts';

// What the fault tests share: the page (the SDK's public API, built with Vite and served on
// loopback), a hub seeded with a small model over its HTTP API, and reading back what the hub stored.

export interface Hub {
  baseUrl: string;
  adminToken: string;
}

/** Build test/e2e/faults/page and serve it on a free loopback port (its own origin, not the hub's). */
export async function serveFaultsPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const outDir = resolve(import.meta.dirname, '../../../node_modules/.cache/outpost-faults-page');
  await build({ root: resolve(import.meta.dirname, 'page'), logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' }, optimizeDeps: { exclude: ['onnxruntime-web'] } });
  const app = new Hono();
  app.use('*', serveStatic({ root: outDir, rewriteRequestPath: (p) => p }));
  return new Promise((r) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      r({ origin: `http://localhost:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

export const admin = (hub: Hub, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${hub.adminToken}`);
  return fetch(`${hub.baseUrl}${path}`, { ...init, headers });
};

async function ok(res: Promise<Response>, status = 200): Promise<unknown> {
  const r = await res;
  const body = await r.json();
  if (r.status !== status) throw new Error(`${r.url}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

/** Model versions: the same 2 → 3 classifier shape, different bytes (so a different SHA-256). */
export const MODEL_BYTES = { 1: denseModel(2, 3), 2: denseModel(2, 3, { outputName: 'probs' }), 3: denseModel(2, 3, { inputName: 'x' }) } as const;

/** Register `MODEL_BYTES[version]` as the next version of `model`, and publish it. */
export async function publishVersion(hub: Hub, project: string, model: string, version: keyof typeof MODEL_BYTES): Promise<void> {
  const form = new FormData();
  form.append('model', new Blob([MODEL_BYTES[version] as Uint8Array<ArrayBuffer>]), 'model.onnx');
  form.append('features', JSON.stringify(numericSpec(2, 3)));
  const up = (await ok(admin(hub, `/v1/projects/${project}/models/${model}/versions`, { method: 'POST', body: form }), 201)) as { version: number };
  await ok(admin(hub, `/v1/projects/${project}/models/${model}/versions/${up.version}/publish`, { method: 'POST' }));
}

/** A project with `model` v1 published; what an app is built with to use it. */
export async function seedProject(hub: Hub, project: string, model: string): Promise<Omit<PageConfig, 'flushIntervalMs' | 'batchSize'>> {
  const { projectKey } = (await ok(admin(hub, '/v1/projects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: project }) }), 201)) as { projectKey: string };
  await publishVersion(hub, project, model, 1);
  const { keys } = (await ok(admin(hub, '/v1/signing-keys'))) as { keys: TrustedKey[] };
  return { hubUrl: hub.baseUrl, projectKey, model, trustedKeys: keys };
}

export interface StoredRecord {
  id: string;
  deviceId: string;
  seq: number;
  modelVersion: number;
  executionProvider: string;
}

/** Every record the hub stored for `model`, read back page by page through the admin API. */
export async function storedRecords(hub: Hub, project: string, model: string): Promise<StoredRecord[]> {
  const all: StoredRecord[] = [];
  let after: string | null = null;
  do {
    const query: string = after === null ? '' : `?after=${encodeURIComponent(after)}`;
    const page = (await ok(admin(hub, `/v1/projects/${project}/models/${model}/inferences${query}`))) as { records: StoredRecord[]; next: string | null };
    all.push(...page.records);
    after = page.next;
  } while (after !== null);
  return all;
}

/**
 * The hub holds every record the page made, and nothing else: each id once (the ids are the ones
 * predict() answered with), and no device sequence number twice (a record logged again under a
 * new id would reuse none, but a counter that went backwards after a reload would).
 */
export async function expectEachRecordOnce(hub: Hub, project: string, model: string, made: ReadonlyMap<string, number>): Promise<StoredRecord[]> {
  let stored: StoredRecord[] = [];
  await expect
    .poll(async () => (stored = await storedRecords(hub, project, model)).length, { timeout: 30_000, message: 'records at the hub' })
    .toBeGreaterThanOrEqual(made.size);
  const missing = [...made.keys()].filter((id) => !stored.some((r) => r.id === id));
  expect(missing, 'acknowledged records missing at the hub').toEqual([]);
  expect(stored.length, 'records at the hub that the page never made').toBe(made.size);
  const seqs = stored.map((r) => `${r.deviceId}#${r.seq}`);
  expect(new Set(seqs).size, 'a device sequence number stored twice').toBe(seqs.length);
  for (const r of stored) expect(r.modelVersion, `version of ${r.id}`).toBe(made.get(r.id));
  return stored;
}

type PageWindow = { faults: FaultsPage };

/** Load the app page with this client configuration; resolves with its first `ready()`. */
export async function openApp(page: Page, origin: string, config: PageConfig): Promise<{ modelVersion: number; executionProvider: string }> {
  await page.goto(`${origin}/index.html?config=${encodeURIComponent(JSON.stringify(config))}`);
  return booted(page);
}

/** The page's first `ready()` after a load or reload; throws with its error. */
export const booted = (page: Page) => bootedAs(page, 'faults');

/** `n` predictions in the page; each id goes into `made` with its model version. */
export async function predict(page: Page, n: number, made: Map<string, number>) {
  const out = await page.evaluate((k) => (window as unknown as PageWindow).faults.predict(k), n);
  for (const p of out) made.set(p.id, p.modelVersion);
  return out;
}

export const stats = (page: Page): Promise<OutpostStats> => page.evaluate(() => (window as unknown as PageWindow).faults.outpost!.stats());
export const flush = (page: Page) => page.evaluate(() => (window as unknown as PageWindow).faults.outpost!.flush());

/** The device upload endpoint, as page.route matches it. */
export const uploadsOf = (hub: Hub) => `${hub.baseUrl}/v1/device/inferences`;

/**
 * The CORS headers the hub puts on its device answers (`Origin: origin`), for answers a test makes
 * up in the hub's place: a browser shows the page nothing of a cross-origin answer without them,
 * and no header beyond the safelisted ones unless the hub exposes it.
 */
export async function hubCorsHeaders(hub: Hub, origin: string, config: { projectKey: string; model: string }): Promise<Record<string, string>> {
  const res = await fetch(`${hub.baseUrl}/v1/device/models/${config.model}/manifest`, { headers: { origin, authorization: `Bearer ${config.projectKey}` } });
  await res.arrayBuffer();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name.startsWith('access-control-')) headers[name] = value;
  });
  return headers;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
