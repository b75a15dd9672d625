import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium (never a downloaded browser), with the flags this closed network needs (STACK.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `extraArgs`: flags beyond CHROMIUM_ARGS, e.g. `['--enable-unsafe-webgpu']` (WebGPU on SwiftShader). */
export async function launchChromium(options: { extraArgs?: string[] } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'outpost-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    headless: true,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A Chromium with one page, for the tests of the calling `describe` block (launched in beforeAll,
 * closed in afterAll); the page's uncaught errors are printed.
 * @example const b = chromiumPage(['--enable-unsafe-webgpu']); it('…', async () => { await b.page().goto(url); });
 */
export function chromiumPage(extraArgs: string[] = []): { page: () => Page } {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium({ extraArgs });
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    page: () => {
      if (!page) throw new Error('chromiumPage: no page before beforeAll ran');
      return page;
    },
  };
}

/** What a test page's first `ready()` gave: `window[global].booted` (after a load or reload); throws with its error. */
export async function bootedAs(page: Page, global: string): Promise<{ modelVersion: number; executionProvider: string }> {
  await page.waitForFunction((g) => (window as unknown as Record<string, unknown>)[g] !== undefined, global);
  const info = await page.evaluate((g) => ((window as unknown as Record<string, { booted: Promise<{ modelVersion: number; executionProvider: string } | { error: string }> }>)[g]!).booted, global);
  if ('error' in info) throw new Error(`the SDK did not get ready: ${info.error}`);
  return info;
}
