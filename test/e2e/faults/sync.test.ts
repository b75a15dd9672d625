import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { startRestartableHub, type RestartableHub } from '../../support/restartable-hub.ts';
import { booted, expectEachRecordOnce, flush, hubCorsHeaders, openApp, predict, seedProject, serveFaultsPage, sleep, stats, uploadsOf } from './fixture.ts';
import type { PageConfig } from './page/main.ts';

/**
 * The inference log's way to the hub under scripted faults, in Debian's Chromium: one hub process
 * (killed and restarted on the same port and data), one page using the SDK's public API. After
 * each fault the hub holds every record predict() answered for, once, and predictions never stopped.
 */
describe('log sync under faults, in Chromium', () => {
  const PROJECT = 'faults';
  const MODEL = 'clf';
  let hub: RestartableHub;
  let site: Awaited<ReturnType<typeof serveFaultsPage>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let config: PageConfig;
  /** Every record id predict() answered with, and its model version. */
  const made = new Map<string, number>();
  /** The hub's answers to uploads that reached the page. */
  const answers: { accepted: number; duplicates: number }[] = [];
  const duplicatesSince = (mark: number) => answers.slice(mark).reduce((n, a) => n + a.duplicates, 0);

  const posts = (route: Route) => route.request().method() === 'POST';
  const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });
  const allAtHubOnce = async () => {
    await expect.poll(async () => (await stats(page)).pending, { timeout: 30_000, message: 'records pending in the page' }).toBe(0);
    await expectEachRecordOnce(hub, PROJECT, MODEL, made);
    expect((await stats(page)).dropped).toEqual({});
  };

  beforeAll(async () => {
    [hub, site] = await Promise.all([startRestartableHub(), serveFaultsPage()]);
    config = { ...(await seedProject(hub, PROJECT, MODEL)), flushIntervalMs: 1_000 };
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    page.on('response', async (res) => {
      if (res.url() !== uploadsOf(hub) || res.request().method() !== 'POST' || res.status() !== 200) return;
      const body = (await res.json().catch(() => undefined)) as (typeof answers)[number] | undefined;
      if (body) answers.push(body);
    });
    expect(await openApp(page, site.origin, config)).toMatchObject({ modelVersion: 1, executionProvider: 'wasm' });
  });
  // A test that failed half-way leaves no fault behind for the next.
  afterEach(() => page?.unrouteAll({ behavior: 'ignoreErrors' }));
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await hub?.stop();
  });

  it('counts a duplicated batch once: delivered twice by the network, and replayed later', async () => {
    let captured: { body: string; authorization: string } | undefined;
    let secondAnswer: unknown;
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route) || captured) return route.fallback();
      const request = route.request();
      captured = { body: request.postData()!, authorization: (await request.allHeaders()).authorization! };
      await route.fetch(); // delivered…
      const again = await route.fetch(); // …and delivered again; the page hears the second answer
      secondAnswer = await again.json();
      await route.fulfill({ response: again });
    });
    await predict(page, 5, made);
    await flush(page);
    await page.unroute(uploadsOf(hub));

    expect(captured).toBeDefined();
    const n = (JSON.parse(captured!.body) as { records: unknown[] }).records.length;
    expect(n).toBeGreaterThan(0);
    expect(secondAnswer).toEqual({ accepted: 0, duplicates: n });
    // The captured upload, replayed from outside the browser with the app's own key.
    const replay = await fetch(uploadsOf(hub), { method: 'POST', headers: { authorization: captured!.authorization, 'content-type': 'application/json' }, body: captured!.body });
    expect(await replay.json()).toEqual({ accepted: 0, duplicates: n });
    await allAtHubOnce();
  });

  it("waits out 429's Retry-After (2 s) before retrying, even when flush() is called meanwhile", async () => {
    const cors = await hubCorsHeaders(hub, site.origin, config);
    const attempts: { at: number; status: number }[] = [];
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route)) return route.fallback();
      const at = performance.now();
      if (attempts.length < 2) {
        attempts.push({ at, status: 429 });
        return route.fulfill({ status: 429, headers: { ...cors, 'retry-after': '2' }, contentType: 'application/json', body: errorBody('RATE_LIMITED', 'slow down') });
      }
      attempts.push({ at, status: 200 });
      return route.fallback();
    });
    await predict(page, 3, made);
    await flush(page);
    expect(attempts.map((a) => a.status)).toEqual([429]);
    // A forced flush skips the SDK's own backoff, never the hub's Retry-After.
    await flush(page);
    expect(attempts).toHaveLength(1);
    await expect.poll(() => attempts.length, { timeout: 20_000 }).toBe(3);
    await page.unroute(uploadsOf(hub));
    expect(attempts.map((a) => a.status)).toEqual([429, 429, 200]);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    console.log(`429 Retry-After: 2 → retries after ${gaps.map((g) => `${Math.round(g)} ms`).join(', ')}`);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(2_000);
    await allAtHubOnce();
  });

  it('splits a batch the hub (or a proxy) answers 413 until it fits, losing nothing', async () => {
    const cors = await hubCorsHeaders(hub, site.origin, config);
    const LIMIT = 1_500;
    const uploads: { bytes: number; status: number }[] = [];
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route)) return route.fallback();
      const bytes = Buffer.byteLength(route.request().postData() ?? '');
      if (bytes > LIMIT) {
        uploads.push({ bytes, status: 413 });
        return route.fulfill({ status: 413, headers: cors, contentType: 'application/json', body: errorBody('PAYLOAD_TOO_LARGE', `bodies are limited to ${LIMIT} bytes`) });
      }
      uploads.push({ bytes, status: 200 });
      return route.fallback();
    });
    await predict(page, 20, made);
    await flush(page);
    await allAtHubOnce();
    await page.unroute(uploadsOf(hub));
    const refused = uploads.filter((u) => u.status === 413);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(5); // halving: 20 → 10 → 5 records, not one try per record
    expect(uploads.filter((u) => u.status === 200).every((u) => u.bytes <= LIMIT)).toBe(true);
  });

  it('backs off through a storm of 500s (no hot loop), keeps predicting, and syncs once the hub recovers', async () => {
    const cors = await hubCorsHeaders(hub, site.origin, config);
    const attempts: number[] = [];
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route)) return route.fallback();
      attempts.push(performance.now());
      return route.fulfill({ status: 500, headers: cors, contentType: 'application/json', body: errorBody('INTERNAL', 'storm') });
    });
    const WINDOW_MS = 10_000;
    const started = performance.now();
    await predict(page, 2, made);
    await flush(page);
    while (performance.now() - started < WINDOW_MS) {
      const [p] = await predict(page, 1, made);
      expect(p!.modelVersion).toBe(1);
      await sleep(250);
    }
    const s = await stats(page);
    await page.unroute(uploadsOf(hub));
    console.log(`500 storm: ${attempts.length} uploads in ${WINDOW_MS / 1000} s while ${s.pending} records waited`);
    // Exponential backoff from 1 s: about 4 tries in 10 s; a loop without backoff would make hundreds.
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.length).toBeLessThanOrEqual(10);
    expect(s.lastSyncError).toMatch(/500|storm/);
    expect(s.pending).toBeGreaterThanOrEqual(30);
    await flush(page);
    await allAtHubOnce();
  });

  it('loses nothing and doubles nothing when the hub is killed mid-sync and restarted on the same port and data', async () => {
    // 1. The hub stores a batch and dies before its answer leaves: the page never hears the 200.
    const mark = answers.length;
    let killed = false;
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route) || killed) return route.fallback();
      killed = true;
      await route.fetch();
      await hub.kill();
      await route.abort('connectionreset');
    });
    await predict(page, 4, made);
    await flush(page);
    expect(killed).toBe(true);
    await page.unroute(uploadsOf(hub));

    // 2. While it is down: predictions go on with the loaded model, uploads fail and wait.
    const during = await predict(page, 3, made);
    expect(during.every((p) => p.modelVersion === 1)).toBe(true);
    await flush(page);
    const down = await stats(page);
    expect(down.pending).toBeGreaterThanOrEqual(7);
    expect(down.lastSyncError).toBeTruthy();

    // 3. Back on the same port and data folder: the stored batch comes again and is counted once.
    await hub.restart();
    await flush(page);
    await allAtHubOnce();
    expect(duplicatesSince(mark), 'the stored batch, sent again, answered as duplicates').toBe(4);

    // 4. Killed while an upload is on its way (whether it was stored is a race), then restarted.
    let cut = false;
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route) || cut) return route.fallback();
      cut = true;
      const forwarded = route.fetch().catch(() => undefined);
      await sleep(5);
      await hub.kill();
      const res = await forwarded;
      await (res === undefined ? route.abort('connectionreset') : route.fulfill({ response: res }));
    });
    await predict(page, 5, made);
    await flush(page);
    expect(cut).toBe(true);
    await page.unroute(uploadsOf(hub));
    await predict(page, 2, made);
    await hub.restart();
    await flush(page);
    await allAtHubOnce();
  });

  it('sends every record once when the page reloads in the middle of a flush', async () => {
    // The hub stores the upload; its answer is held until the page has gone.
    const mark = answers.length;
    let held = 0;
    let release: (() => void) | undefined;
    await page.route(uploadsOf(hub), async (route) => {
      if (!posts(route) || held > 0) return route.fallback();
      held++;
      await route.fetch();
      await new Promise<void>((r) => (release = r));
      await route.abort('connectionreset').catch(() => undefined);
    });
    await predict(page, 6, made);
    const flushing = flush(page).catch(() => 'page reloaded');
    await expect.poll(() => held).toBe(1);
    await predict(page, 2, made); // logged while the upload hangs
    await page.reload();
    release?.();
    expect(await flushing).toBe('page reloaded');
    expect((await booted(page)).modelVersion).toBe(1);
    // The new page finds the unacknowledged records in IndexedDB and sends them on its own.
    await allAtHubOnce();
    console.log(`reload mid-flush: the hub answered ${duplicatesSince(mark)} of the held batch's 6 records as duplicates (the rest of the answers died with the old page)`);
    await page.unroute(uploadsOf(hub));
    await predict(page, 1, made);
    await flush(page);
    await allAtHubOnce();
  });

  it('keeps predicting offline for a simulated day and syncs everything when back online', async () => {
    // A fake clock (Date, performance, timers) that runs on its own and can jump ahead.
    await page.clock.install();
    await page.reload();
    await booted(page);
    const uploads: number[] = [];
    page.on('request', (r) => {
      if (r.url() === uploadsOf(hub) && r.method() === 'POST') uploads.push(Date.now());
    });
    await browser.context.setOffline(true);
    await predict(page, 4, made);
    for (let hour = 0; hour < 24; hour++) {
      await page.clock.fastForward('01:00:00');
      const [p] = await predict(page, 1, made);
      expect(p!.modelVersion).toBe(1);
    }
    await flush(page);
    const offline = await stats(page);
    expect(offline.pending).toBeGreaterThanOrEqual(28);
    expect(offline.dropped).toEqual({});
    // A day of backoff: a few tries an hour at most, never a loop.
    expect(uploads.length).toBeLessThanOrEqual(24 * 3 + 2);
    await browser.context.setOffline(false); // the browser fires `online`: the SDK syncs without being asked
    await allAtHubOnce();
  });
});
