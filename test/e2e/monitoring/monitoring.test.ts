import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { startOutpost } from '../../support/outpost-start.ts';

type Outpost = Awaited<ReturnType<typeof startOutpost>>;
type Client = { predict(r: Record<string, string | number>): Promise<{ modelVersion: number }>; flush(): Promise<{ pending: number }>; stats(): { modelVersion?: number; pending: number } };

/**
 * Monitoring end to end: the demo app predicts through the SDK on inputs whose beak length has
 * shifted; the records sync; an alert rule on that feature's drift fires; the console's monitoring
 * dashboard shows the drifted feature and the firing alert.
 */
describe('drift through the SDK fires an alert and shows on the dashboard, in Chromium', () => {
  let outpost: Outpost;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${outpost.hubUrl}${path}`, { ...init, headers: { authorization: `Bearer ${outpost.adminToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  beforeAll(async () => {
    outpost = await startOutpost();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
  });
  afterAll(async () => {
    await browser?.close();
    await outpost?.stop();
  });

  it('shifted beak lengths: the rule fires and the dashboard says drift', async () => {
    await page.goto(outpost.demoUrl);
    await page.locator('form#predict button:not([disabled])').waitFor({ timeout: 60_000 });
    // 200 Gentoo-like penguins whose beaks are 15 mm longer than any the model was trained on.
    const version = await page.evaluate(async () => {
      const outpost = (window as unknown as { outpost: Client }).outpost;
      let v = 0;
      for (let i = 0; i < 200; i++) {
        const p = await outpost.predict({ Island: 'Biscoe', 'Beak Length (mm)': 62 + (i % 20) / 4, 'Beak Depth (mm)': 14 + (i % 10) / 10, 'Flipper Length (mm)': 210 + (i % 15), 'Body Mass (g)': 5000 + i * 3, Sex: i % 2 ? 'MALE' : 'FEMALE' });
        v = p.modelVersion;
      }
      return v;
    });
    await expect.poll(() => page.evaluate(async () => (await (window as unknown as { outpost: Client }).outpost.flush()).pending), { timeout: 15_000 }).toBe(0);

    // A rule on the version this browser runs (the seeded rollout gives half the devices v2).
    const created = await api('/v1/projects/demo/models/penguins/alerts/rules', {
      method: 'POST',
      body: JSON.stringify({ name: 'beak-drift', metric: 'feature_drift', params: { column: 'Beak Length (mm)', version }, comparator: '>=', threshold: 1, retrain: true }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const evaluated = (await (await api('/v1/projects/demo/models/penguins/alerts/evaluate', { method: 'POST' })).json()) as { rules: Array<{ name: string; state: string; event: string | null }> };
    expect(evaluated.rules).toEqual([expect.objectContaining({ name: 'beak-drift', state: 'firing', event: 'firing' })]);
    const triggers = (await (await api('/v1/projects/demo/models/penguins/retrain-triggers')).json()) as { triggers: unknown[] };
    expect(triggers.triggers).toHaveLength(1);

    // The dashboard, as a person sees it after logging in.
    await page.goto(`${outpost.hubUrl}/console/login`);
    await page.locator('input[name="token"]').fill(outpost.adminToken);
    await page.locator('form.login button').click();
    await page.goto(`${outpost.hubUrl}/console/projects/demo/models/penguins/monitoring?window=1h&version=${version}`);
    expect(await page.locator('tr[data-column="Beak Length (mm)"]').getAttribute('data-verdict')).toBe('drift');
    expect(await page.locator('tr[data-column="Island"]').getAttribute('data-verdict')).toMatch(/^(no )?drift$/);
    expect(await page.locator('table.alert-rules tr[data-rule="beak-drift"]').getAttribute('data-state')).toBe('firing');
    expect(await page.locator('tr[data-event="firing"][data-rule="beak-drift"]').count()).toBe(1);
    expect(await page.locator('svg.histogram[data-column="Beak Length (mm)"]').isVisible()).toBe(true);
    expect(await page.locator('p.dataset-drift').textContent()).toContain('200 records');
    await page.screenshot({ path: '/tmp/outpost-monitoring.png', fullPage: true });
  });
});
