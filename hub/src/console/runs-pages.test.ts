import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared loads.
import { createNodeHub } from '../node/create-node-hub.ts';
import { OutpostError } from '@outpost/shared';
import { penguins } from '../test-support/penguins.ts';
import type { EpochMetrics, Trainer } from '../training/types.ts';
import { niceScale } from './run-charts.tsx';

// The console's experiment-tracking pages through the real app (in-memory libSQL, blobs in a temp
// folder), logged in as a person. Runs train with the real tfjs trainer, except where a scripted
// trainer holds a run mid-training to see the live page.

interface WireRun {
  id: string;
  status: string;
  tags: string[];
  notes: string | null;
  history: { epoch: number }[];
}

/** A hub with project demo, penguins v1 uploaded, and a console session. */
async function startHub(trainer?: Trainer) {
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-console-runs-'));
  const hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', ...(trainer ? { trainer } : {}) });
  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${hub.adminToken}`);
    if (init.body) headers.set('content-type', 'application/json');
    return hub.app.request(path, { ...init, headers });
  };
  expect((await api('/v1/projects', { method: 'POST', body: JSON.stringify({ id: 'demo' }) })).status).toBe(201);
  expect((await api('/v1/projects/demo/datasets/penguins/versions', { method: 'POST', body: JSON.stringify(penguins) })).status).toBe(201);
  const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
  expect(login.status).toBe(303);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return {
    hub,
    api,
    page: (path: string) => hub.app.request(path, { headers: { cookie } }),
    submit: (path: string, fields: Record<string, string>) => hub.app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie } }),
    train: async (body: Record<string, unknown>) => {
      const res = await api('/v1/projects/demo/models/penguins/runs', { method: 'POST', body: JSON.stringify({ dataset: 'penguins', label: 'Species', ...body }) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    },
    run: async (id: string) => (await (await api(`/v1/projects/demo/runs/${id}`)).json()) as WireRun,
    /** Poll the API until the run has ended. */
    async finished(id: string): Promise<WireRun> {
      for (;;) {
        const r = await this.run(id);
        if (r.status === 'succeeded' || r.status === 'failed') return r;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {
      hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
type Session = Awaited<ReturnType<typeof startHub>>;

/** The inline SVG whose aria-label is `title`. */
function chart(html: string, title: string): string {
  const svg = [...html.matchAll(/<svg[^>]*>[\s\S]*?<\/svg>/g)].map((m) => m[0]).find((s) => s.includes(`aria-label="${title}"`));
  if (!svg) throw new Error(`no chart titled ${title}`);
  return svg;
}
/** Each polyline's series name and number of points. */
const curves = (svg: string) =>
  [...svg.matchAll(/<g class="series" data-series="([^"]*)"><polyline[^>]*points="([^"]*)"/g)].map((m) => ({ name: m[1]!, points: m[2]!.trim().split(/\s+/).filter(Boolean).length }));
const row = (html: string, attr: string, key: string) => html.match(new RegExp(`<tr[^>]*${attr}="${key}"[^>]*>`))?.[0];

describe('console runs pages (tfjs trainer)', () => {
  let s: Session;
  let linear: string;
  let mlp: string;

  beforeAll(async () => {
    s = await startHub();
    linear = await s.train({ epochs: 10, hiddenUnits: 0, tags: ['sweep', 'linear'] });
    mlp = await s.train({ epochs: 10, hiddenUnits: 8, tags: ['sweep', 'mlp'] });
    for (const id of [linear, mlp]) expect((await s.finished(id)).status).toBe('succeeded');
  }, 180_000);
  afterAll(() => s?.close());

  it('lists the runs, newest first, with links, tags and a compare form; filters by tag and model', async () => {
    const overview = await (await s.page('/console')).text();
    expect(overview).toContain('href="/console/projects/demo/runs"');
    const res = await s.page('/console/projects/demo/runs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf(`data-run="${mlp}"`)).toBeGreaterThan(-1);
    expect(html.indexOf(`data-run="${mlp}"`)).toBeLessThan(html.indexOf(`data-run="${linear}"`));
    for (const id of [linear, mlp]) {
      expect(html).toContain(`href="/console/projects/demo/runs/${id}"`);
      expect(html).toContain(`name="ids" value="${id}"`);
    }
    expect(html).toContain('>mlp</a>');
    expect(html).toContain('>linear</a>');
    expect(html).toContain('action="/console/projects/demo/runs/compare"');

    const byTag = await (await s.page('/console/projects/demo/runs?tag=mlp')).text();
    expect(byTag).toContain(`data-run="${mlp}"`);
    expect(byTag).not.toContain(`data-run="${linear}"`);
    const byModel = await (await s.page('/console/projects/demo/runs?model=other')).text();
    expect(byModel).not.toContain('data-run=');
    expect(byModel).toContain('No runs match');
    expect((await s.page('/console/projects/nope/runs')).status).toBe(404);
  });

  it('needs a session', async () => {
    const res = await s.hub.app.request(`/console/projects/demo/runs/${mlp}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login');
  });

  it('shows a run: parameters, metrics, lineage link, and one curve per series with a point per epoch', async () => {
    const res = await s.page(`/console/projects/demo/runs/${mlp}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('registered penguins version');
    expect(row(html, 'data-key', 'hiddenUnits')).toBeDefined();
    expect(html).toMatch(/data-key="hiddenUnits"><th>hiddenUnits<\/th><td>8<\/td>/);
    expect(html).toContain('data-key="validationAccuracy"');
    expect(html).toContain('href="/console/projects/demo/datasets/penguins/versions/1"');
    expect(html).toContain('data-key="tfjs"');

    const loss = chart(html, 'Loss per epoch');
    expect(loss).toContain('<title>Loss per epoch</title>');
    expect(curves(loss)).toEqual([{ name: 'loss', points: 10 }, { name: 'validation loss', points: 10 }]);
    expect(loss).toContain('>epoch</text>');
    const accuracy = chart(html, 'Validation accuracy per epoch');
    expect(curves(accuracy)).toEqual([{ name: 'validation accuracy', points: 10 }]);
    expect(accuracy).toContain('>validation accuracy</text>');

    // The default gates (baseline, parity) with their numbers, and the test report: a 3×3 confusion matrix over the test rows.
    const detail = (await (await s.api(`/v1/projects/demo/runs/${mlp}`)).json()) as { evaluation: { test: { rows: number; confusion: number[][] } }; acceptance: { gates: { observed: number }[] } };
    expect(html).toMatch(/<tr class="" data-gate="baseline"><td>baseline<\/td><td>[\d.]+<\/td><td>[\d.]+<\/td><td>pass<\/td>/);
    expect(html).toContain('data-gate="parity"');
    const confusion = html.match(/<table class="confusion">[\s\S]*?<\/table>/)![0];
    const cells = [...confusion.matchAll(/<td class="[^"]*">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(cells).toEqual(detail.evaluation.test.confusion.flat());
    expect(cells.reduce((a, b) => a + b, 0)).toBe(detail.evaluation.test.rows);

    // The registered version's model card, linked from the run.
    const cardLink = html.match(/href="(\/console\/projects\/demo\/models\/penguins\/versions\/\d+\/card)"/)![1]!;
    const card = await (await s.page(cardLink)).text();
    expect(card).toMatch(/<pre class="card"># penguins version \d+\n\nPredicts \*\*Species\*\*/);
    expect(card).toContain('## Acceptance gates');
    expect((await s.page('/console/projects/demo/models/penguins/versions/99/card')).status).toBe(404);

    expect((await s.page('/console/projects/demo/runs/no-such-run')).status).toBe(404);
  });

  it('edits tags and notes through the form, and refuses a bad tag with the input kept', async () => {
    const url = `/console/projects/demo/runs/${linear}`;
    const res = await s.submit(`${url}/annotate`, { tags: 'sweep, linear, best, best', notes: 'the simplest that works' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(url);
    let wire = await s.run(linear);
    expect(wire.tags).toEqual(['sweep', 'linear', 'best']);
    expect(wire.notes).toBe('the simplest that works');
    const html = await (await s.page(url)).text();
    expect(html).toContain('value="sweep, linear, best"');
    expect(html).toContain('the simplest that works</textarea>');

    const refused = await s.submit(`${url}/annotate`, { tags: `ok, ${'x'.repeat(65)}`, notes: 'changed' });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain('role="alert"');
    expect(again).toMatch(/name="tags"[^>]*aria-invalid="true"/);
    expect(again).toContain('changed</textarea>');
    wire = await s.run(linear);
    expect(wire.notes).toBe('the simplest that works');

    expect((await s.submit(`${url}/annotate`, { tags: 'sweep, linear', notes: '' })).status).toBe(303);
    wire = await s.run(linear);
    expect(wire).toMatchObject({ tags: ['sweep', 'linear'], notes: null });
  });

  it('compares runs: differing parameters highlighted, a curve per run, a point per run', async () => {
    const res = await s.page(`/console/projects/demo/runs/compare?ids=${linear},${mlp}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(row(html, 'data-param', 'hiddenUnits')).toContain('class="changed"');
    expect(row(html, 'data-param', 'epochs')).not.toContain('changed');
    expect(row(html, 'data-param', 'label')).not.toContain('changed');
    expect(html).toContain('data-metric="validationAccuracy"');

    const accuracy = curves(chart(html, 'Validation accuracy per epoch, by run'));
    expect(accuracy).toEqual([{ name: linear.slice(0, 8), points: 10 }, { name: mlp.slice(0, 8), points: 10 }]);
    expect(curves(chart(html, 'Validation loss per epoch, by run'))).toHaveLength(2);

    // The default parameter is the first numeric one that differs.
    const scatter = chart(html, 'Validation accuracy by hiddenUnits');
    const points = [...scatter.matchAll(/<g class="point" data-label="([^"]*)"><circle/g)].map((m) => m[1]);
    expect(points).toEqual([linear.slice(0, 8), mlp.slice(0, 8)]);
    expect(scatter).toContain('>hiddenUnits</text>');

    // Checkbox form (?ids=a&ids=b), short ids, and another parameter.
    const byForm = await s.page(`/console/projects/demo/runs/compare?ids=${mlp.slice(0, 8)}&ids=${linear.slice(0, 8)}&param=learningRate`);
    expect(byForm.status).toBe(200);
    expect(chart(await byForm.text(), 'Validation accuracy by learningRate')).toContain('data-label');
  });

  it('shows a search: its trials with scores, the best marked, the registered result, links to compare and back', async () => {
    const res = await s.api('/v1/projects/demo/models/penguins/searches', { method: 'POST', body: JSON.stringify({ dataset: 'penguins', label: 'Species', epochs: 5, space: { hiddenUnits: [0, 8] }, search: { method: 'grid' } }) });
    expect(res.status).toBe(202);
    const id = ((await res.json()) as { id: string }).id;
    let view: { status: string; bestRunId: string; trials: { runId: string }[]; finalRun: { id: string; modelVersion: number } };
    do {
      await new Promise((r) => setTimeout(r, 100));
      view = (await (await s.api(`/v1/projects/demo/searches/${id}`)).json()) as typeof view;
    } while (view.status === 'queued' || view.status === 'running');
    expect(view.status).toBe('succeeded');
    const html = await (await s.page(`/console/projects/demo/searches/${id}`)).text();
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toMatch(/grid · 2 of 2 trials, \d+ at a time/);
    expect([...html.matchAll(/<tr class="[^"]*" data-run="([0-9a-f-]{36})">/g)].map((m) => m[1])).toEqual(view.trials.map((t) => t.runId));
    expect(html).toContain(`<tr class="added" data-run="${view.bestRunId}">`);
    expect(html).toContain(`registered as version ${view.finalRun.modelVersion}`);
    expect(html).toContain(`href="/console/projects/demo/runs/compare?ids=${view.trials.map((t) => t.runId).join(',')}"`);
    expect(await (await s.page(`/console/projects/demo/runs/${view.bestRunId}`)).text()).toContain(`href="/console/projects/demo/searches/${id}"`);
    expect((await s.page('/console/projects/demo/searches/nope')).status).toBe(404);
  });

  it('answers 404 naming unknown run ids, and 400 for fewer than two', async () => {
    const res = await s.page(`/console/projects/demo/runs/compare?ids=${mlp},deadbeef-nope,also-missing`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('deadbeef-nope');
    expect(html).toContain('also-missing');
    expect(html).not.toContain(mlp);
    expect((await s.page(`/console/projects/demo/runs/compare?ids=${mlp}`)).status).toBe(400);
  });

  it('trains from a form on a dataset version: bad input shown with the input kept, a good one queued and followed live', async () => {
    const form = await s.page('/console/projects/demo/datasets/penguins/versions/1/train');
    expect(form.status).toBe(200);
    const blank = await form.text();
    expect(blank).toContain('<datalist id="train-columns"><option value="Species">');
    expect(await (await s.page('/console/projects/demo/datasets/penguins/versions/1')).text()).toContain('href="/console/projects/demo/datasets/penguins/versions/1/train"');

    const fields = { model: 'penguins-mass', label: 'Body Mass (g)', task: 'regression', layers: '8, x', activation: 'tanh', dropout: '0', l2: '0', epochs: '12', learningRate: '0.01', batchSize: '32', 'earlyStopping.patience': '', seed: '7', validationFraction: '0.2', testFraction: '0.15', sliceBy: '', gates: '', intendedUse: 'weighing penguins without a scale', tags: 'form, mass', notes: '' };
    const bad = await s.submit('/console/projects/demo/datasets/penguins/versions/1/train', fields);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/name="layers" value="8, x"[^>]*aria-invalid="true"/);
    expect(badHtml).toContain('layers.1');
    const wrongLabel = await s.submit('/console/projects/demo/datasets/penguins/versions/1/train', { ...fields, layers: '8', label: 'Island' });
    expect(wrongLabel.status).toBe(400);
    expect(await wrongLabel.text()).toContain('a regression label must be numeric: Island has');
    const badGates = await s.submit('/console/projects/demo/datasets/penguins/versions/1/train', { ...fields, layers: '8', gates: '- kind: nope' });
    expect(badGates.status).toBe(400);
    expect(await badGates.text()).toMatch(/gates\.0\.kind/);

    const queued = await s.submit('/console/projects/demo/datasets/penguins/versions/1/train', { ...fields, layers: '8' });
    expect(queued.status).toBe(303);
    const id = queued.headers.get('location')!.match(/\/console\/projects\/demo\/runs\/([0-9a-f-]{36})$/)![1]!;
    expect((await s.finished(id)).status).toBe('succeeded');
    const run = (await (await s.api(`/v1/projects/demo/runs/${id}`)).json()) as { model: string; tags: string[]; config: Record<string, unknown>; modelVersion: number };
    expect(run).toMatchObject({ model: 'penguins-mass', tags: ['form', 'mass'], modelVersion: 1 });
    expect(run.config).toMatchObject({ task: 'regression', layers: [8], activation: 'tanh', epochs: 12, seed: 7, intendedUse: 'weighing penguins without a scale' });
    expect(run.config).not.toHaveProperty('earlyStopping');
  }, 60_000);

  it('starts a search from a form: a bad space named, a good one queued and shown as its trials finish', async () => {
    const form = await s.page('/console/projects/demo/datasets/penguins/versions/1/search');
    expect(form.status).toBe(200);
    const fields = { model: 'penguins-searched', label: 'Species', task: 'classification', space: 'hiddenUnits: [0, 8]\nlearningRate: { min: 0.01, max: 0.05 }', 'search.method': 'grid', 'search.trials': '2', metric: '', concurrency: '', epochs: '8', seed: '3', testFraction: '0.15', gates: '', tags: 'form-search' };
    const grid = await s.submit('/console/projects/demo/datasets/penguins/versions/1/search', fields);
    expect(grid.status).toBe(400);
    const gridHtml = await grid.text();
    expect(gridHtml).toContain('a grid needs a list of values, not a range');
    expect(gridHtml).toMatch(/<textarea name="space"[^>]*aria-invalid="true"/);
    const halving = await s.submit('/console/projects/demo/datasets/penguins/versions/1/search', { ...fields, 'search.method': 'halving' });
    expect(halving.status).toBe(400);
    expect(await halving.text()).toContain('search.minEpochs');

    const queued = await s.submit('/console/projects/demo/datasets/penguins/versions/1/search', { ...fields, 'search.method': 'random' });
    expect(queued.status).toBe(303);
    const id = queued.headers.get('location')!.match(/\/console\/projects\/demo\/searches\/([0-9a-f-]{36})$/)![1]!;
    let view: { status: string; trials: unknown[]; spec: { base: Record<string, unknown>; tags: string[] } };
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      view = (await (await s.api(`/v1/projects/demo/searches/${id}`)).json()) as typeof view;
    } while (view.status === 'queued' || view.status === 'running');
    expect(view.status).toBe('succeeded');
    expect(view.trials).toHaveLength(2);
    expect(view.spec.base).toMatchObject({ label: 'Species', epochs: 8, seed: 3 });
    expect(view.spec.tags).toEqual(['form-search']);
    expect(await (await s.page(`/console/projects/demo/searches/${id}`)).text()).toContain('penguins-searched');
  }, 60_000);

  it('shows a regressor by RMSE: its curve, MAE/RMSE/R² beside the training mean, the residuals, per slice', async () => {
    const ids = [];
    for (const hiddenUnits of [4, 8]) {
      ids.push(await s.train({ label: 'Body Mass (g)', task: 'regression', epochs: 10, hiddenUnits, sliceBy: 'Island', tags: ['mass'] }));
    }
    for (const id of ids) expect((await s.finished(id)).status).toBe('succeeded');
    const html = await (await s.page(`/console/projects/demo/runs/${ids[0]}`)).text();
    expect(curves(chart(html, 'Validation RMSE per epoch'))).toEqual([{ name: 'validation RMSE', points: 10 }]);
    const detail = (await (await s.api(`/v1/projects/demo/runs/${ids[0]}`)).json()) as { evaluation: { test: { rows: number; rmse: number; residuals: { histogram: { counts: number[] }; sample: unknown[] } }; baseline: { rmse: number } } };
    const { test, baseline } = detail.evaluation;
    expect(html).toContain(`${test.rows} rows · MAE `);
    expect(html).toContain(`RMSE ${Number(test.rmse.toFixed(4))}`);
    expect(html).toMatch(/Baseline \(always the training mean\) on the same rows: MAE [\d.]+, RMSE [\d.]+, R² /);
    // One bar per residual bin, one dot per sampled residual.
    expect(chart(html, 'Residuals (actual − predicted), Test (held back)').match(/<rect /g)).toHaveLength(test.residuals.histogram.counts.length);
    expect(chart(html, 'Residual plot, Test (held back)').match(/<circle /g)).toHaveLength(test.residuals.sample.length);
    expect(html).toMatch(/<caption>Test by Island<\/caption><thead><tr><th>Island<\/th><th>rows<\/th><th>MAE<\/th><th>RMSE<\/th><th>R²<\/th>/);
    expect(baseline.rmse).toBeGreaterThan(test.rmse);

    const list = await (await s.page('/console/projects/demo/runs?tag=mass')).text();
    expect(list).toMatch(/RMSE \d+(\.\d+)?<\/td>/);
    const compared = await (await s.page(`/console/projects/demo/runs/compare?ids=${ids.join(',')}&param=hiddenUnits`)).text();
    expect(curves(chart(compared, 'Validation RMSE per epoch, by run'))).toHaveLength(2);
    expect(chart(compared, 'Validation RMSE by hiddenUnits').match(/<circle /g)).toHaveLength(2);
  }, 60_000);
});

describe('console run page while training (scripted trainer)', () => {
  let s: Session;
  let release: () => void;
  let twoEpochs: Promise<void>;

  beforeAll(async () => {
    let reached!: () => void;
    twoEpochs = new Promise((r) => (reached = r));
    const held = new Promise<void>((r) => (release = r));
    // Two epochs, then wait until the test lets go; then fail (a run that fails is fine here).
    const trainer: Trainer = {
      async train(_rows, _config, hooks) {
        for (const epoch of [1, 2]) {
          const m: EpochMetrics = { epoch, loss: 1 / epoch, validationLoss: 1.2 / epoch, validationAccuracy: 0.4 * epoch };
          await hooks?.onEpoch?.(m);
        }
        reached();
        await held;
        throw new OutpostError('TRAINING_FAILED', 'stopped by the test');
      },
    };
    s = await startHub(trainer);
  });
  afterAll(() => {
    release?.();
    return s?.close();
  });

  it('shows progress (or that it waits) and refreshes itself until the run ends', async () => {
    const id = await s.train({ epochs: 5, hiddenUnits: 4 });
    await twoEpochs;
    const html = await (await s.page(`/console/projects/demo/runs/${id}`)).text();
    const meta = html.indexOf('<meta http-equiv="refresh" content="2"/>');
    expect(meta).toBeGreaterThan(-1);
    expect(meta).toBeLessThan(html.indexOf('</head>'));
    expect(html).toContain('epoch 2 of 5');
    expect(curves(chart(html, 'Loss per epoch'))).toEqual([{ name: 'loss', points: 2 }, { name: 'validation loss', points: 2 }]);

    // The in-process queue trains one run at a time: a second run waits, queued, until the first ends.
    const waiting = await s.train({ epochs: 3, hiddenUnits: 2 });
    const queued = await (await s.page(`/console/projects/demo/runs/${waiting}`)).text();
    expect(queued).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(queued).toContain('Queued: waiting for the trainer.');
    expect(chart(queued, 'Loss per epoch')).toContain('no epochs yet');
    expect(chart(queued, 'Validation accuracy per epoch')).toContain('no epochs yet');

    release();
    expect((await s.finished(id)).status).toBe('failed');
    expect((await s.finished(waiting)).status).toBe('failed');
    const after = await (await s.page(`/console/projects/demo/runs/${id}`)).text();
    expect(after).not.toContain('http-equiv="refresh"');
    expect(after).toContain('stopped by the test');
  });
});

describe('chart scales', () => {
  it.each([
    { values: [0.42, 0.97], min: 0.4, max: 1, step: 0.1 },
    { values: [1, 10], min: 0, max: 10, step: 2 },
    { values: [3, 3], min: 2.7, max: 3.3, step: 0.1 },
    { values: [0, 0], min: -1, max: 1, step: 0.5 },
    { values: [NaN, 0.5, Infinity, 1.5], min: 0.4, max: 1.6, step: 0.2 },
  ])('niceScale($values) spans [$min, $max] by $step', ({ values, min, max, step }) => {
    const scale = niceScale(values)!;
    expect(scale).toMatchObject({ min, max, step });
    expect(scale.ticks[0]).toBe(min);
    expect(scale.ticks.at(-1)).toBe(max);
  });

  it('has no scale without a finite value, and keeps integer steps whole', () => {
    expect(niceScale([])).toBeNull();
    expect(niceScale([NaN])).toBeNull();
    expect(niceScale([1, 3], { integer: true })!.step).toBe(1);
  });
});
