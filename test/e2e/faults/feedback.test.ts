import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { startRestartableHub, type RestartableHub } from '../../support/restartable-hub.ts';
import { admin, booted, openApp, seedProject, serveFaultsPage, stats } from './fixture.ts';
import type { FaultsPage, PageConfig } from './page/main.ts';

type PageWindow = { faults: FaultsPage };
type LiveAccuracy = { versions: Array<{ version: number; labeled: number; predictions: number; accuracy: number | null }> };

/**
 * Late labels through the SDK's public API, in Debian's Chromium: labels given while the browser
 * is offline stay queued in IndexedDB across a reload, are sent when the browser comes back
 * online, and the hub's live accuracy counts them against the predictions they label.
 */
describe('feedback() offline, across a reload, in Chromium', () => {
  const PROJECT = 'labels';
  const MODEL = 'clf';
  let hub: RestartableHub;
  let site: Awaited<ReturnType<typeof serveFaultsPage>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let config: PageConfig;
  const feedbackOf = (h: RestartableHub) => `${h.baseUrl}/v1/device/feedback`;
  const accuracy = async (): Promise<LiveAccuracy> => (await (await admin(hub, `/v1/projects/${PROJECT}/models/${MODEL}/monitoring/accuracy`)).json()) as LiveAccuracy;

  beforeAll(async () => {
    [hub, site] = await Promise.all([startRestartableHub(), serveFaultsPage()]);
    config = { ...(await seedProject(hub, PROJECT, MODEL)), flushIntervalMs: 1_000 };
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    expect(await openApp(page, site.origin, config)).toMatchObject({ modelVersion: 1 });
  });
  afterAll(async () => {
    await browser?.context.setOffline(false);
    await browser?.close();
    await site?.close();
    await hub?.stop();
  });

  it('queues labels given offline, keeps them over a reload, sends them when online; the accuracy endpoint counts them', async () => {
    // Two predictions, synced while online.
    const made = await page.evaluate(async () => {
      const outpost = (window as unknown as PageWindow).faults.outpost!;
      const out: Array<{ id: string; label: string }> = [];
      for (const f0 of [-1.5, 1.5]) {
        const p = await outpost.predict({ f0, f1: 0.5 });
        if (p.task !== 'classification') throw new Error(`expected a classification, got ${p.task}`);
        out.push({ id: p.id, label: p.label });
      }
      await outpost.flush();
      return out;
    });
    await expect.poll(async () => (await accuracy()).versions[0]?.predictions ?? 0, { timeout: 15_000, message: 'predictions at the hub' }).toBe(2);
    expect((await accuracy()).versions[0]).toMatchObject({ labeled: 0, accuracy: null });

    // Offline: one label agrees with the prediction, one does not. Neither can be sent, and the
    // labels' code (a chunk of its own, never fetched yet) cannot load either: they wait in IndexedDB.
    await browser.context.setOffline(true);
    const wrong = ['c0', 'c1', 'c2'].find((c) => c !== made[1]!.label)!;
    await page.evaluate(
      async ([a, b]) => {
        const outpost = (window as unknown as PageWindow).faults.outpost!;
        await outpost.feedback(a.id, a.label);
        await outpost.feedback(b.id, b.label);
        await outpost.flush();
      },
      [made[0]!, { id: made[1]!.id, label: wrong }] as const,
    );
    expect((await accuracy()).versions[0]).toMatchObject({ labeled: 0 });

    // Reload with the hub's feedback endpoint still unreachable: the start-up send fails, the labels stay.
    await page.route(feedbackOf(hub), (route) => route.abort('internetdisconnected'));
    await browser.context.setOffline(false);
    await page.reload();
    await booted(page);
    await expect.poll(async () => (await stats(page)).feedback?.lastError ?? '', { timeout: 15_000, message: 'the start-up send after the reload' }).toMatch(/^network/);
    expect((await stats(page)).feedback).toMatchObject({ pending: 2, sent: 0 });
    expect((await accuracy()).versions[0]).toMatchObject({ labeled: 0 });

    // Back online (the browser's `online` event): the queue goes out, and the hub counts it.
    await page.unroute(feedbackOf(hub));
    await browser.context.setOffline(true);
    await browser.context.setOffline(false);
    await expect.poll(async () => (await stats(page)).feedback?.sent ?? 0, { timeout: 15_000, message: 'labels sent after the online event' }).toBe(2);
    expect((await stats(page)).feedback).toMatchObject({ pending: 0, dropped: {} });
    expect((await accuracy()).versions).toEqual([expect.objectContaining({ version: 1, predictions: 2, labeled: 2, accuracy: 0.5 })]);
  });
});
