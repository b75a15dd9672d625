import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPage } from '../../support/chromium.ts';
import { startNodeHub, type RunningHub } from '../../support/hub-process.ts';
import { expectEachRecordOnce, flush, openApp, predict, seedProject, serveFaultsPage, stats, storedRecords } from './fixture.ts';
import type { PageConfig } from './page/main.ts';

/**
 * The end-to-end fact, with and without WebGPU in the browser: the SDK predicts, logs, and names
 * the execution provider that really ran, in stats, in each prediction and in the hub's records.
 * (Provider choice in detail: test/e2e/runtime.)
 */
const PROJECT = 'faults';
const MODEL = 'clf';
let hub: RunningHub;
let site: Awaited<ReturnType<typeof serveFaultsPage>>;
let config: PageConfig;
const made = new Map<string, number>();

beforeAll(async () => {
  [hub, site] = await Promise.all([startNodeHub(), serveFaultsPage()]);
  config = { ...(await seedProject(hub, PROJECT, MODEL)), flushIntervalMs: 1_000 };
});
afterAll(async () => {
  await site?.close();
  await hub?.stop();
});

describe.each([
  { mode: 'WebGPU unavailable (plain headless)', extraArgs: [], adapter: false },
  { mode: 'WebGPU on SwiftShader (--enable-unsafe-webgpu)', extraArgs: ['--enable-unsafe-webgpu'], adapter: true },
])('$mode', ({ mode, extraArgs, adapter }) => {
  const b = chromiumPage(extraArgs);

  it('predicts, logs every record once, and names the provider that ran', async () => {
    const page = b.page();
    await openApp(page, site.origin, config); // the page's first load: nothing cached, no provider remembered
    expect(await page.evaluate(() => (window as unknown as { faults: { webgpuAdapter(): Promise<boolean> } }).faults.webgpuAdapter())).toBe(adapter);
    const ps = await predict(page, 5, made);
    const s = await stats(page);
    console.log(`${mode}: provider ${s.executionProvider}${s.modelFallbackReason ? ` (${s.modelFallbackReason})` : ''}`);
    expect(s.executionProvider).toMatch(/^(wasm|webgpu)$/);
    if (!adapter) expect(s.executionProvider).toBe('wasm');
    expect(ps.every((p) => p.modelVersion === 1 && p.executionProvider === s.executionProvider)).toBe(true);

    await flush(page);
    await expect.poll(async () => (await stats(page)).pending, { timeout: 30_000 }).toBe(0);
    await expectEachRecordOnce(hub, PROJECT, MODEL, made);
    const ids = new Set(ps.map((p) => p.id));
    const mine = (await storedRecords(hub, PROJECT, MODEL)).filter((r) => ids.has(r.id));
    expect(mine.map((r) => r.executionProvider)).toEqual(ps.map(() => s.executionProvider));
  });
});
