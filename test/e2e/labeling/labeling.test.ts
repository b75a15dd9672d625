import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { startOutpost } from '../../support/outpost-start.ts';

/** Hand labeling in the console, with the keyboard, as a person does it. */
describe('labeling in the console, in Chromium', () => {
  let outpost: Awaited<ReturnType<typeof startOutpost>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    outpost = await startOutpost();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await outpost?.stop();
  });

  it('labels rows with keys 1–9, skips with s, and records the labeler by name', async () => {
    const admin = { authorization: `Bearer ${outpost.adminToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${outpost.hubUrl}/v1/projects/demo/label-sets`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'sex-check', dataset: 'penguins', labelColumn: 'sex_checked', classes: ['MALE', 'FEMALE', 'unsure'] }),
    });
    expect(created.status).toBe(201);
    const page = await browser.context.newPage();
    await page.goto(`${outpost.hubUrl}/console/login`);
    await page.fill('input[name=token]', outpost.adminToken);
    await page.fill('input[name=name]', 'ana');
    await page.click('form.login button');
    await page.goto(`${outpost.hubUrl}/console/projects/demo/label-sets/sex-check`);
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Row 1');
    await page.keyboard.press('2');
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Row 2');
    await page.keyboard.press('s');
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Row 3');
    await page.keyboard.press('3');
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Row 4');

    const set = (await (await fetch(`${outpost.hubUrl}/v1/projects/demo/label-sets/sex-check`, { headers: admin })).json()) as {
      progress: { labeled: number; byLabeler: Record<string, number> };
    };
    expect(set.progress).toEqual({ labeled: 2, byLabeler: { 'console:ana': 2 } });
    const next = (await (await fetch(`${outpost.hubUrl}/v1/projects/demo/label-sets/sex-check/next`, { headers: admin })).json()) as { row: number };
    expect(next.row).toBe(1); // the admin token is another labeler: its queue starts at the top
  });
});
