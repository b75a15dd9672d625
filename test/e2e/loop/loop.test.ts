import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { startOutpost } from '../../support/outpost-start.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { encodeRecords, verifyManifest, type RawRecord, type TrustedKey } from '@outpost/shared';

type Outpost = Awaited<ReturnType<typeof startOutpost>>;
type Stats = { predictions: number; pending: number; synced: number; modelVersion?: number; modelSource?: string; modelFallbackReason?: string; assignment?: { version: number; bucket: number; reason: string } };

/**
 * The whole loop in a real browser: `npm start` seeds the demo (upload penguins, train two versions,
 * publish one, roll the other out to half of the devices), the demo app predicts on device with the
 * version the rollout assigns it, the hub is cut off and restored, and the hub ends up counting
 * every prediction exactly once.
 */
describe('the loop, end to end in Chromium', () => {
  let outpost: Outpost;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  let page: Page;
  let made = 0;
  /** The version the rollout assigned this browser (1 or 2, by its bucket), and its install id (from its manifest requests). */
  let deviceVersion = 0;
  let installId = '';

  const hubPredictions = async () => {
    const res = await fetch(`${outpost.hubUrl}/v1/projects/demo/models/penguins`, { headers: { authorization: `Bearer ${outpost.adminToken}` } });
    const model = (await res.json()) as { versions: { version: number; predictions: number }[] };
    return model.versions.reduce((n, v) => n + v.predictions, 0);
  };
  const stats = () => page.evaluate(() => (window as unknown as { outpost: { stats(): Stats } }).outpost.stats());
  const flush = () => page.evaluate(() => (window as unknown as { outpost: { flush(): Promise<unknown> } }).outpost.flush());
  const cutHub = () => page.route(`${outpost.hubUrl}/**`, (route) => route.abort('internetdisconnected'));
  const restoreHub = () => page.unroute(`${outpost.hubUrl}/**`);

  async function open() {
    await page.goto(outpost.demoUrl);
    await page.locator('form#predict button:not([disabled])').waitFor({ timeout: 60_000 });
  }

  async function predict(values: Record<string, string>): Promise<{ species: string; version: string; provider: string }> {
    for (const [name, value] of Object.entries(values)) {
      const field = page.locator(`[name="${name}"]`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    const before = (await stats()).predictions;
    await page.locator('form#predict button').click();
    await page.waitForFunction((n) => (window as unknown as { outpost: { stats(): Stats } }).outpost.stats().predictions > n, before);
    made++;
    return {
      species: (await page.locator('#species').textContent())!,
      version: (await page.locator('#model-version').textContent())!,
      provider: (await page.locator('#execution-provider').textContent())!,
    };
  }

  const gentoo = { Island: 'Biscoe', 'Beak Length (mm)': '47.5', 'Beak Depth (mm)': '14.2', 'Flipper Length (mm)': '217', 'Body Mass (g)': '5200', Sex: 'MALE' };
  const adelie = { Island: 'Torgersen', 'Beak Length (mm)': '39.1', 'Beak Depth (mm)': '18.7', 'Flipper Length (mm)': '181', 'Body Mass (g)': '3750', Sex: 'FEMALE' };
  const chinstrap = { Island: 'Dream', 'Beak Length (mm)': '50.9', 'Beak Depth (mm)': '19.1', 'Flipper Length (mm)': '196', 'Body Mass (g)': '3550', Sex: 'MALE' };

  beforeAll(async () => {
    outpost = await startOutpost();
    console.log(`npm start → demo model published in ${outpost.seedSeconds} s`);
    browser = await launchChromium();
    context = browser.context;
    page = await context.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('/manifest') && url.searchParams.get('installId')) installId = url.searchParams.get('installId')!;
    });
    page.on('pageerror', (e) => console.error('page error:', e));
  });
  afterAll(async () => {
    await browser?.close();
    await outpost?.stop();
  });

  it('predicts on the device with the published, verified model', async () => {
    await open();
    // The seeded rollout: version 2 on buckets 0–4999, version 1 (production) on the rest; the page says which and why.
    const { assignment, modelVersion } = await stats();
    expect(assignment).toMatchObject({ reason: 'rollout', version: assignment!.bucket < 5000 ? 2 : 1 });
    deviceVersion = modelVersion!;
    expect(deviceVersion).toBe(assignment!.version);
    expect(await page.locator('#bucket').textContent()).toBe(String(assignment!.bucket));
    expect(await page.locator('#running-version').textContent()).toBe(String(deviceVersion));
    expect(await page.locator('#assignment-reason').textContent()).toMatch(/^the rollout split, by bucket \(stage 1 of 2: 50 %/);
    const p = await predict(gentoo);
    expect(p).toEqual({ species: 'Gentoo', version: String(deviceVersion), provider: 'wasm' });
    expect((await predict(adelie)).species).toBe('Adelie');
    expect((await predict(chinstrap)).species).toBe('Chinstrap');
    expect(await page.locator('#probabilities tr').count()).toBe(3);
  });

  it('gives the same probabilities on the device (SDK in Chromium) as onnxruntime-web in Node, within 1e-5', async () => {
    // The published model as a device gets it: the signed manifest, verified, and the artifact by hash.
    const demo = JSON.parse(await readFile(join(outpost.dataDir, 'demo-app.json'), 'utf8')) as { projectKey: string; trustedKeys: TrustedKey[] };
    const device = (path: string) => fetch(`${outpost.hubUrl}${path}`, { headers: { authorization: `Bearer ${demo.projectKey}` } });
    const manifest = await verifyManifest(await (await device(`/v1/device/models/penguins/manifest?installId=${installId}`)).json(), demo.trustedKeys);
    expect(manifest.version).toBe(deviceVersion);
    const bytes = new Uint8Array(await (await device(manifest.artifact.path)).arrayBuffer());
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const records: RawRecord[] = [gentoo, adelie, chinstrap, { ...gentoo, Sex: '' }, { ...adelie, Island: 'Atlantis', 'Body Mass (g)': 'NA' }];
    const x = encodeRecords(manifest.features, records);
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', x, [records.length, x.length / records.length]) });
    const inNode = out[manifest.output.name]!.data as Float32Array;
    if (manifest.features.label.task === 'regression') throw new Error('the demo model is a classifier');
    const classes = manifest.features.label.classes;
    const onDevice = await page.evaluate(
      async (rs) => Promise.all(rs.map(async (r) => (await (window as unknown as { outpost: { predict(r: unknown): Promise<{ probabilities: Record<string, number> }> } }).outpost.predict(r)).probabilities)),
      records,
    );
    made += records.length;
    let worst = 0;
    onDevice.forEach((probs, r) => classes.forEach((c, j) => (worst = Math.max(worst, Math.abs(probs[c]! - inNode[r * classes.length + j]!)))));
    expect(worst).toBeLessThanOrEqual(1e-5);
    await session.release();
  });

  it('keeps predicting with the hub cut off, across a reload, and syncs each record once when it is back', async () => {
    await cutHub();
    expect((await predict(gentoo)).species).toBe('Gentoo');
    expect((await predict(adelie)).species).toBe('Adelie');
    await flush(); // fails quietly: the hub is unreachable
    expect((await stats()).pending).toBeGreaterThanOrEqual(2);

    // A reload while cut off: the model comes from the device's cache, the unsent records from IndexedDB.
    await open();
    expect((await stats()).modelSource).toBe('cache');
    expect((await predict(chinstrap)).species).toBe('Chinstrap');
    expect(await hubPredictions()).toBeLessThan(made);

    await restoreHub();
    await flush();
    await expect.poll(hubPredictions, { timeout: 30_000 }).toBe(made);
    await expect.poll(async () => (await stats()).pending).toBe(0);
    // Nothing more arrives later: no record was sent twice and counted twice.
    await flush();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await hubPredictions()).toBe(made);
  });

  it('serves the last good model when the hub sends a tampered manifest', async () => {
    await context.route(`${outpost.hubUrl}/v1/device/models/penguins/manifest?**`, async (route) => {
      const res = await route.fetch();
      const signed = (await res.json()) as { payload: string; signature: string; keyId: string };
      const manifest = JSON.parse(Buffer.from(signed.payload, 'base64url').toString()) as { version: number };
      manifest.version = 99;
      await route.fulfill({ response: res, json: { ...signed, payload: Buffer.from(JSON.stringify(manifest)).toString('base64url') } });
    });
    await open();
    // The cached model runs at once; the tampered manifest is refused in the background.
    await expect.poll(async () => (await stats()).modelFallbackReason ?? '', { timeout: 15_000 }).toMatch(/signature/i);
    expect((await stats()).modelVersion).toBe(deviceVersion);
    expect((await predict(gentoo)).version).toBe(String(deviceVersion));
    await context.unroute(`${outpost.hubUrl}/v1/device/models/penguins/manifest?**`);
    await flush();
    await expect.poll(hubPredictions, { timeout: 30_000 }).toBe(made);
  });

  it('works fully offline after the first visit (service worker + cached model)', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // Precached: onnxruntime's WASM build; not its 28 MB WebGPU build (this device has no adapter).
    const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)))).flat());
    expect(cached.some((p) => /ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(p) && !p.includes('jsep'))).toBe(true);
    expect(cached.filter((p) => p.includes('jsep'))).toEqual([]);
    await context.setOffline(true);
    try {
      await open();
      expect((await predict(adelie)).species).toBe('Adelie');
    } finally {
      await context.setOffline(false);
    }
    await flush();
    await expect.poll(hubPredictions, { timeout: 30_000 }).toBe(made);
  });

  it('shows the synced prediction count in the console after login', async () => {
    const consolePage = await context.newPage();
    await consolePage.goto(`${outpost.hubUrl}/console`);
    await consolePage.locator('input[name=token]').fill('opa_wrong');
    await consolePage.locator('form.login button').click();
    await expect.poll(() => consolePage.locator('.err').textContent()).toContain('not an admin token');
    await consolePage.locator('input[name=token]').fill(outpost.adminToken);
    await consolePage.locator('form.login button').click();
    const cell = consolePage.locator(`table[data-model="penguins"] tr[data-version="${deviceVersion}"] td.predictions`);
    expect(Number(await cell.textContent())).toBe(made);
    expect(await consolePage.locator('text=penguins').first().isVisible()).toBe(true);
    await consolePage.screenshot({ path: process.env.OUTPOST_SCREENSHOT_DIR ? `${process.env.OUTPOST_SCREENSHOT_DIR}/console.png` : '/tmp/outpost-console.png' });
    await page.screenshot({ path: process.env.OUTPOST_SCREENSHOT_DIR ? `${process.env.OUTPOST_SCREENSHOT_DIR}/demo.png` : '/tmp/outpost-demo.png' });
  });
});
