import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPage } from '../../support/chromium.ts';
import { startNodeHub, type RunningHub } from '../../support/hub-process.ts';
import { ROWS, loseDevice, openPage, predict, predictAll, rememberedProviders, seedProject, servePage, stats } from './fixture.ts';
import type { Answer, PageConfig } from './page/main.ts';

/**
 * Execution providers through the SDK's public API, in Debian's Chromium: WASM where WebGPU is
 * missing, WebGPU (SwiftShader, `--enable-unsafe-webgpu`) after a self-test that matches WASM, the
 * choice remembered across reloads, a lost device falling back to WASM without a failed prediction,
 * and the worker option predicting what the main thread predicts.
 */
let hub: RunningHub;
let site: Awaited<ReturnType<typeof servePage>>;
let config: PageConfig;
/** What the WASM provider answers for ROWS, on the main thread: the reference for every other mode. */
let wasmAnswers: Answer[] | undefined;

beforeAll(async () => {
  [hub, site] = await Promise.all([startNodeHub(), servePage()]);
  config = await seedProject(hub, 'providers');
});
afterAll(async () => {
  await site?.close();
  await hub?.stop();
});

/** Same numbers as WASM, within the self-test's tolerance (exactly, when WASM ran both). */
function expectMatchesWasm(answers: Answer[], tolerance: number) {
  expect(wasmAnswers, 'the WASM reference (plain Chromium tests run first)').toBeDefined();
  answers.forEach((a, i) =>
    a.probabilities.forEach((p, j) => expect(Math.abs(p - wasmAnswers![i]!.probabilities[j]!), `row ${i}, class ${j}`).toBeLessThanOrEqual(tolerance)),
  );
}

describe('plain headless Chromium: no WebGPU adapter', () => {
  const b = chromiumPage([]);

  it('runs on WASM, says why, and remembers it across a reload', async () => {
    const page = b.page();
    expect(await openPage(page, site.origin, config, { fresh: true })).toMatchObject({ modelVersion: 1, executionProvider: 'wasm' });
    expect(await stats(page)).toMatchObject({ executionProvider: 'wasm', providerReason: 'no adapter' });
    wasmAnswers = await predict(page, ROWS);
    expect(wasmAnswers.every((a) => a.executionProvider === 'wasm')).toBe(true);
    expect(await loseDevice(page)).toBe(false); // there is no device to lose
    await expect.poll(() => rememberedProviders(page), { timeout: 15_000 }).toEqual(['wasm']);

    // Loaded again (without fresh=1): what the device remembered is used.
    expect(await openPage(page, site.origin, config)).toMatchObject({ executionProvider: 'wasm' });
    expect((await stats(page)).providerReason).toBe('no adapter (remembered)');
  });

  it('the worker option predicts exactly what the main thread predicts, in a worker', async () => {
    const page = b.page();
    expect(await openPage(page, site.origin, config, { worker: true, fresh: true })).toMatchObject({ executionProvider: 'wasm' });
    expect((await stats(page)).providerReason).toBe('no adapter');
    expect(page.workers().length).toBeGreaterThan(0);
    const inWorker = await predict(page, ROWS);
    expectMatchesWasm(inWorker, 0);
    expectMatchesWasm(await predictAll(page, ROWS), 0); // concurrent calls: each its own answer
  });
});

describe('Chromium with --enable-unsafe-webgpu: WebGPU on SwiftShader', () => {
  const b = chromiumPage(['--enable-unsafe-webgpu']);

  it('runs on WebGPU after a self-test that matches WASM, and remembers it across a reload', async () => {
    const page = b.page();
    expect(await openPage(page, site.origin, config, { fresh: true })).toMatchObject({ executionProvider: 'webgpu' });
    expect((await stats(page)).providerReason).toMatch(/^self-test passed: max diff \d\.\de[-+]\d+$/);
    const answers = await predict(page, ROWS);
    expect(answers.every((a) => a.executionProvider === 'webgpu')).toBe(true);
    expectMatchesWasm(answers, 1e-4);
    await expect.poll(() => rememberedProviders(page), { timeout: 15_000 }).toEqual(['webgpu']);

    // Loaded again (without fresh=1): what the device remembered is used.
    expect(await openPage(page, site.origin, config)).toMatchObject({ executionProvider: 'webgpu' });
    expect((await stats(page)).providerReason).toMatch(/^self-test passed: .* \(remembered\)$/);
  });

  it('a lost device falls back to WASM: no prediction fails, and WASM is remembered', async () => {
    const page = b.page();
    await openPage(page, site.origin, config, { fresh: true });
    expect((await stats(page)).executionProvider).toBe('webgpu');
    // Predictions in flight while the device goes away, and after.
    const during = page.evaluate((rows) => (window as unknown as { runtimePage: { predictAll(r: number[][]): Promise<Answer[]> } }).runtimePage.predictAll(rows), ROWS);
    expect(await loseDevice(page)).toBe(true);
    expectMatchesWasm(await during, 1e-4);
    const after = await predict(page, ROWS);
    expectMatchesWasm(after, 0);
    expect(after.every((a) => a.executionProvider === 'wasm')).toBe(true);
    expect(await stats(page)).toMatchObject({ executionProvider: 'wasm', providerReason: expect.stringMatching(/^webgpu device lost: /) });
    // Remembering is a background write: wait for it to reach IndexedDB before the reload.
    await expect.poll(() => rememberedProviders(page), { timeout: 15_000 }).toEqual(['wasm']);

    // Loaded again (without fresh=1): what the device remembered is used.
    expect(await openPage(page, site.origin, config)).toMatchObject({ executionProvider: 'wasm' });
    expect((await stats(page)).providerReason).toMatch(/^webgpu device lost: .* \(remembered\)$/);
  });

  it('in a worker: WebGPU after the self-test, the same numbers, and the same fallback on a lost device', async () => {
    const page = b.page();
    expect(await openPage(page, site.origin, config, { worker: true, fresh: true })).toMatchObject({ executionProvider: 'webgpu' });
    expect((await stats(page)).providerReason).toMatch(/^self-test passed/);
    expectMatchesWasm(await predict(page, ROWS), 1e-4);
    expect(await loseDevice(page)).toBe(true);
    const after = await predict(page, ROWS);
    expectMatchesWasm(after, 0);
    expect(await stats(page)).toMatchObject({ executionProvider: 'wasm', providerReason: expect.stringMatching(/^webgpu device lost: /) });
  });
});
