import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { startNodeHub, type RunningHub } from '../../support/hub-process.ts';
import { booted, expectEachRecordOnce, flush, openApp, predict, publishVersion, seedProject, serveFaultsPage, stats } from './fixture.ts';
import type { PageConfig } from './page/main.ts';

/**
 * Model delivery under scripted faults, in Debian's Chromium: bad bytes, a bad signature and a
 * replayed old manifest never replace the last good model; predictions go on with it, are logged
 * with the version that really ran, and reach the hub once.
 */
describe('model delivery under faults, in Chromium', () => {
  const PROJECT = 'faults';
  const MODEL = 'clf';
  let hub: RunningHub;
  let site: Awaited<ReturnType<typeof serveFaultsPage>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let config: PageConfig;
  const made = new Map<string, number>();
  /** v1's signed manifest exactly as the hub sent it to the page. */
  let v1Manifest: string | undefined;

  /** The manifest URL, whatever query (the device context) the SDK adds. */
  const manifestUrl = () => (url: URL) => url.href.startsWith(`${hub.baseUrl}/v1/device/models/${MODEL}/manifest`);
  const artifactsUrl = () => `${hub.baseUrl}/v1/device/artifacts/**`;
  /** Predict with the model that should be running, and see every record at the hub once. */
  const predictsWith = async (version: number) => {
    const ps = await predict(page, 3, made);
    expect(ps.map((p) => p.modelVersion)).toEqual([version, version, version]);
    await flush(page);
    await expect.poll(async () => (await stats(page)).pending, { timeout: 30_000 }).toBe(0);
    await expectEachRecordOnce(hub, PROJECT, MODEL, made);
  };

  beforeAll(async () => {
    [hub, site] = await Promise.all([startNodeHub(), serveFaultsPage()]);
    config = { ...(await seedProject(hub, PROJECT, MODEL)), flushIntervalMs: 1_000 };
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
  });
  // A test that failed half-way leaves no fault behind for the next.
  afterEach(() => page?.unrouteAll({ behavior: 'ignoreErrors' }));
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await hub?.stop();
  });

  it('runs v1 from the network and keeps the manifest response it got (for the replay below)', async () => {
    await page.route(manifestUrl(), async (route) => {
      const res = await route.fetch();
      v1Manifest ??= await res.text();
      await route.fulfill({ response: res });
    });
    expect(await openApp(page, site.origin, config)).toMatchObject({ modelVersion: 1, executionProvider: 'wasm' });
    expect(v1Manifest).toBeDefined();
    expect((await stats(page)).modelSource).toBe('network');
    await predictsWith(1);
  });

  it('refuses corrupted model bytes, keeps the cached v1 and says why', async () => {
    await publishVersion(hub, PROJECT, MODEL, 2);
    let served = 0;
    // Every download of v2 is corrupted for the whole test (retries included).
    await page.route(artifactsUrl(), async (route) => {
      const res = await route.fetch();
      const bytes = Buffer.from(await res.body());
      bytes[bytes.length >> 1]! ^= 0xff; // one flipped byte, same length
      served++;
      await route.fulfill({ response: res, body: bytes });
    });
    await page.reload();
    expect((await booted(page)).modelVersion).toBe(1);
    await expect.poll(() => served).toBeGreaterThan(0);
    await expect.poll(async () => (await stats(page)).modelFallbackReason ?? '').toMatch(/sha-?256|hash|integrity|artifact/i);
    expect(await stats(page)).toMatchObject({ modelVersion: 1, modelSource: 'cache' });
    await predictsWith(1);
  });

  it('moves to v2 once its manifest and bytes check out', async () => {
    await page.reload();
    // Cache-first (the default): v1 from the cache at once, v2 swapped in when it checks out.
    expect((await booted(page)).modelVersion).toBe(1);
    await expect.poll(async () => (await stats(page)).modelVersion, { timeout: 15_000 }).toBe(2);
    expect(await stats(page)).toMatchObject({ modelSource: 'network', lastManifestCheck: { outcome: 'updated' } });
    await predictsWith(2);
  });

  it('refuses a manifest with a tampered signature, keeps the last good model (v2) and says why', async () => {
    await publishVersion(hub, PROJECT, MODEL, 3);
    // Every manifest the page gets for the whole test has one bit of its signature flipped.
    await page.route(manifestUrl(), async (route) => {
      const res = await route.fetch();
      const signed = (await res.json()) as { signature: string };
      const signature = Buffer.from(signed.signature, 'base64url');
      signature[0]! ^= 0x01;
      await route.fulfill({ response: res, json: { ...signed, signature: signature.toString('base64url') } });
    });
    await page.reload();
    expect((await booted(page)).modelVersion).toBe(2);
    await expect.poll(async () => (await stats(page)).modelFallbackReason ?? '', { timeout: 15_000 }).toMatch(/signature/i);
    expect(await stats(page)).toMatchObject({ modelVersion: 2, modelSource: 'cache', lastManifestCheck: { outcome: 'refused' } });
    await predictsWith(2);
  });

  it('moves to v3 once its manifest checks out', async () => {
    await page.reload();
    expect((await booted(page)).modelVersion).toBe(2);
    await expect.poll(async () => (await stats(page)).modelVersion, { timeout: 15_000 }).toBe(3);
    await predictsWith(3);
  });

  it('refuses a replayed v1 manifest as a replay and stays on v3', async () => {
    await page.route(manifestUrl(), async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: v1Manifest! });
    });
    await page.reload();
    expect((await booted(page)).modelVersion).toBe(3);
    await expect.poll(async () => (await stats(page)).modelFallbackReason ?? '', { timeout: 15_000 }).toMatch(/replay/i);
    const s = await stats(page);
    expect(s).toMatchObject({ modelVersion: 3, modelRefusals: { replay: 1 } });
    console.log(`replayed v1 manifest: ${s.modelFallbackReason}`);
    await predictsWith(3);
  });
});
