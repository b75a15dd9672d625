import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { penguins } from '../test-support/penguins.ts';

// The console's data operation forms, through the real app (in-memory libSQL, blobs in a temp
// folder), logged in as a person: each form makes what the API makes, with the person as author.

interface WireVersion {
  dataset: string;
  version: number;
  rowCount: number;
  parents: { dataset: string; version: number }[];
  operation: { kind: string; params: Record<string, unknown> } | null;
  message: string | null;
  author: string | null;
}

let hub: NodeHub;
let dataDir: string;
let session: string;
const BASE = '/console/projects/demo/datasets';
const PENGUINS_V1 = `${BASE}/penguins/versions/1`;

const api = (path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${hub.adminToken}`);
  return hub.app.request(path, { ...init, headers });
};
const postJson = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const upload = (dataset: string, rows: unknown[]) => postJson(`/v1/projects/demo/datasets/${dataset}/versions`, rows);
const page = (path: string) => hub.app.request(path, { headers: { cookie: session } });
const submit = (path: string, fields: Record<string, string>) => hub.app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie: session } });

/** A version as the API describes it. */
async function version(dataset: string, n: number): Promise<WireVersion> {
  const res = await api(`/v1/projects/demo/datasets/${dataset}/versions`);
  expect(res.status).toBe(200);
  const found = ((await res.json()) as { versions: WireVersion[] }).versions.find((v) => v.version === n);
  if (!found) throw new Error(`no ${dataset} v${n}`);
  return found;
}

/** Every dataset's latest version number: equal before and after a refused form means nothing was stored. */
async function stored(): Promise<Record<string, number | null>> {
  const body = (await (await api('/v1/projects/demo/datasets')).json()) as { datasets: { name: string; latest: { version: number } | null }[] };
  return Object.fromEntries(body.datasets.map((d) => [d.name, d.latest?.version ?? null]));
}

/** Submit a form that must be refused: the page again, its status, and proof that nothing was stored. */
async function refused(path: string, fields: Record<string, string>) {
  const before = await stored();
  const res = await submit(path, fields);
  const html = await res.text();
  expect(await stored()).toEqual(before);
  return { status: res.status, html };
}

/** The attributes of the input, select or textarea named `name`. */
function control(html: string, name: string): string {
  const m = html.match(new RegExp(`<(?:input|select|textarea)[^>]*name="${name.replace(/\./g, '\\.')}"[^>]*>`));
  if (!m) throw new Error(`no control named ${name}`);
  return m[0];
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-console-ops-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  expect((await postJson('/v1/projects', { id: 'demo' })).status).toBe(201);
  expect((await upload('penguins', penguins)).status).toBe(201);
  const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
  expect(login.status).toBe(303);
  session = login.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('console data operations', () => {
  it('links every operation from the version page, and needs a session to act', async () => {
    const html = await (await page(PENGUINS_V1)).text();
    for (const path of ['split', 'clean', 'synthesize', 'validate', 'suggested-suite']) expect(html).toContain(`href="${PENGUINS_V1}/${path}"`);
    expect(html).toContain(`href="${BASE}/penguins/suite"`);
    for (const path of ['split', 'clean', 'synthesize', 'validate']) expect((await page(`${PENGUINS_V1}/${path}`)).status).toBe(200);
    expect((await page(`${BASE}/penguins/versions/9/split`)).status).toBe(404);

    const before = await stored();
    const anonymous = await hub.app.request(`${PENGUINS_V1}/synthesize`, { method: 'POST', body: new URLSearchParams({ rows: '5' }) });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/console/login');
    expect(await stored()).toEqual(before);
  });

  it('splits a version, with the person as author, exactly as the API would', async () => {
    const res = await submit(`${PENGUINS_V1}/split`, {
      method: 'stratified',
      column: 'Species',
      'fractions.train': '0.6',
      'fractions.validation': '0.2',
      'fractions.test': '0.2',
      seed: '7',
      message: 'first split',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}/penguins-train/versions/1`);
    const train = await version('penguins-train', 1);
    expect(train.author).toBe('console:ana');
    expect(train.message).toBe('first split');
    expect(train.parents).toEqual([{ dataset: 'penguins', version: 1 }]);
    expect(train.operation?.kind).toBe('split');
    expect(train.operation?.params).toMatchObject({ method: 'stratified', column: 'Species', seed: 7, part: 'train', fractions: { train: 0.6, validation: 0.2, test: 0.2 }, from: { dataset: 'penguins', version: 1 } });
    expect((await version('penguins-test', 1)).operation?.params.part).toBe('test');

    // The API with the same spec makes the same split (same hash, same bytes: the same versions).
    const viaApi = await postJson('/v1/projects/demo/datasets/penguins/versions/1/split', { method: 'stratified', column: 'Species', fractions: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 7 });
    const body = (await viaApi.json()) as { hash: string; versions: Record<string, WireVersion> };
    expect(body.hash).toBe(train.operation?.params.hash);
    expect(body.versions.train?.version).toBe(1);
  });

  it('refuses a split whose fractions do not sum to 1 or whose column is unknown, naming the field and keeping the input', async () => {
    const fields = { method: 'random', column: '', 'fractions.train': '0.8', 'fractions.validation': '0.2', 'fractions.test': '0.2', seed: '42', message: 'oops' };
    const sum = await refused(`${PENGUINS_V1}/split`, fields);
    expect(sum.status).toBe(400);
    expect(sum.html).toContain('fractions must sum to 1');
    expect(sum.html).toContain('data-path="fractions"');
    expect(control(sum.html, 'fractions.train')).toContain('value="0.8"');
    expect(control(sum.html, 'fractions.train')).toContain('aria-invalid="true"');
    expect(control(sum.html, 'message')).toContain('value="oops"');

    const unknown = await refused(`${PENGUINS_V1}/split`, { ...fields, method: 'group', column: 'Nope', 'fractions.train': '0.6' });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('data-path="column"');
    expect(unknown.html).toContain('unknown column &#39;Nope&#39;');
    expect(control(unknown.html, 'column')).toContain('value="Nope"');
    expect(control(unknown.html, 'column')).toContain('aria-invalid="true"');
    expect(unknown.html).toMatch(/<option value="group" selected/);

    const seed = await refused(`${PENGUINS_V1}/split`, { ...fields, 'fractions.train': '0.6', seed: 'many' });
    expect(seed.status).toBe(400);
    expect(seed.html).toContain('data-path="seed"');
  });

  it('cleans with a YAML recipe, then replays the recorded recipe on a later version', async () => {
    const recipe = 'name: tidy\nsteps:\n  - op: impute\n    column: Sex\n    strategy: mode\n  - op: dedupe\n';
    const res = await submit(`${PENGUINS_V1}/clean`, { recipe, to: 'penguins-tidy', message: 'tidy up' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}/penguins-tidy/versions/1`);
    const tidy = await version('penguins-tidy', 1);
    expect(tidy).toMatchObject({ author: 'console:ana', message: 'tidy up', parents: [{ dataset: 'penguins', version: 1 }] });
    expect(tidy.operation?.kind).toBe('clean');
    expect(tidy.operation?.params).toMatchObject({ recipe: { name: 'tidy', steps: [{ op: 'impute', column: 'Sex', strategy: 'mode' }, { op: 'dedupe' }] }, from: { dataset: 'penguins', version: 1 } });

    // JSON is YAML too; default target <dataset>-clean.
    const json = await submit(`${PENGUINS_V1}/clean`, { recipe: JSON.stringify({ name: 'trim', steps: [{ op: 'trim' }] }), to: '' });
    expect(json.headers.get('location')).toBe(`${BASE}/penguins-clean/versions/1`);

    expect((await upload('penguins', penguins.slice(0, 120))).status).toBe(201);
    const replayed = await submit(`${BASE}/penguins/versions/2/replay`, { 'replay.dataset': 'penguins-tidy', 'replay.version': '1', to: 'penguins-tidy', message: 'replay' });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toBe(`${BASE}/penguins-tidy/versions/2`);
    const second = await version('penguins-tidy', 2);
    expect(second).toMatchObject({ author: 'console:ana', message: 'replay', parents: [{ dataset: 'penguins', version: 2 }] });
    expect(second.operation?.params.recipeHash).toBe(tidy.operation?.params.recipeHash);
  });

  it('refuses a bad recipe or replay, naming the field and keeping the input', async () => {
    const syntax = await refused(`${PENGUINS_V1}/clean`, { recipe: 'name: [oops', to: 'penguins-tidy' });
    expect(syntax.status).toBe(400);
    expect(syntax.html).toContain('data-path="recipe"');
    expect(syntax.html).toContain('not valid YAML or JSON');
    expect(control(syntax.html, 'recipe')).toContain('aria-invalid="true"');
    expect(syntax.html).toContain('name: [oops</textarea>');

    const column = await refused(`${PENGUINS_V1}/clean`, { recipe: 'name: x\nsteps:\n  - op: impute\n    column: Nope\n    strategy: mode\n', to: 'penguins-tidy' });
    expect(column.status).toBe(400);
    expect(column.html).toContain('data-path="recipe.steps.0.column"');
    expect(column.html).toContain('unknown column &#39;Nope&#39;');

    const schema = await refused(`${PENGUINS_V1}/clean`, { recipe: '{"name": "x", "steps": [{"op": "coerce", "column": "Sex", "to": "date"}]}', to: 'penguins-tidy' });
    expect(schema.status).toBe(400);
    expect(schema.html).toContain('data-path="recipe.steps.0.to"');

    const target = await refused(`${PENGUINS_V1}/clean`, { recipe: 'name: x\nsteps: [{op: trim}]', to: 'Not A Name' });
    expect(target.status).toBe(400);
    expect(target.html).toContain('data-path="to"');
    expect(control(target.html, 'to')).toContain('value="Not A Name"');

    const blank = await refused(`${PENGUINS_V1}/clean`, { recipe: '  ', to: '' });
    expect(blank.status).toBe(400);
    expect(blank.html).toContain('data-path="recipe"');

    const notCleaned = await refused(`${PENGUINS_V1}/replay`, { 'replay.dataset': 'penguins', 'replay.version': '1' });
    expect(notCleaned.status).toBe(404);
    expect(notCleaned.html).toContain('data-path="replay"');
    expect(notCleaned.html).toContain('was not made by a cleaning recipe');
    expect(control(notCleaned.html, 'replay.dataset')).toContain('value="penguins"');

    const noVersion = await refused(`${PENGUINS_V1}/replay`, { 'replay.dataset': 'penguins-tidy', 'replay.version': '' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.html).toContain('data-path="replay.version"');
  });

  it('synthesizes rows into a target dataset', async () => {
    const res = await submit(`${PENGUINS_V1}/synthesize`, { rows: '25', seed: '3', to: 'penguins-fake', message: 'for load' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}/penguins-fake/versions/1`);
    const fake = await version('penguins-fake', 1);
    expect(fake).toMatchObject({ rowCount: 25, author: 'console:ana', message: 'for load', parents: [{ dataset: 'penguins', version: 1 }] });
    expect(fake.operation).toEqual({ kind: 'synthesize', params: { rows: 25, seed: 3, from: { dataset: 'penguins', version: 1 } } });
  });

  it('refuses a bad row count or target name', async () => {
    const zero = await refused(`${PENGUINS_V1}/synthesize`, { rows: '0', seed: '3', to: 'penguins-fake' });
    expect(zero.status).toBe(400);
    expect(zero.html).toContain('data-path="rows"');
    expect(control(zero.html, 'rows')).toContain('value="0"');
    expect(control(zero.html, 'rows')).toContain('aria-invalid="true"');
    expect(control(zero.html, 'to')).toContain('value="penguins-fake"');

    const name = await refused(`${PENGUINS_V1}/synthesize`, { rows: '5', seed: '3', to: 'Bad Name!' });
    expect(name.status).toBe(400);
    expect(name.html).toContain('data-path="to"');
  });

  it('validates against a pasted suite or the attached one, showing the report; suggests a suite to edit and attach', async () => {
    const suite = { name: 'pasted', expectations: [{ type: 'not_null', column: 'Sex' }, { type: 'row_count', min: 1 }] };
    const none = await refused(`${PENGUINS_V1}/validate`, { suite: '' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('data-path="suite"');
    expect(none.html).toContain('no suite is attached');

    const res = await submit(`${PENGUINS_V1}/validate`, { suite: stringifyYaml(suite) });
    expect(res.status).toBe(200);
    const html = await res.text();
    const viaApi = (await (await postJson('/v1/projects/demo/datasets/penguins/versions/1/validate', { suite })).json()) as { success: boolean; expectations: { success: boolean; unexpectedCount: number }[] };
    expect(html).toContain('Validation: suite pasted');
    expect(html).toContain(viaApi.success ? 'passed' : 'failed');
    expect(html).toMatch(new RegExp(`data-expectation="0"[^>]*>[\\s\\S]*?${viaApi.expectations[0]!.unexpectedCount} of ${penguins.length}`));
    expect(control(html, 'suite')).toBeDefined();
    expect(html).toContain('name: pasted');

    // Suggest from the profile: YAML to edit, then attach it.
    const suggested = await page(`${PENGUINS_V1}/suggested-suite?tolerance=0.2`);
    expect(suggested.status).toBe(200);
    const suggestedHtml = await suggested.text();
    expect(suggestedHtml).toContain('name: penguins-v1-suggested');
    expect(suggestedHtml).toContain('type: row_count');
    expect(control(suggestedHtml, 'tolerance')).toContain('value="0.2"');
    const fromApi = await (await api('/v1/projects/demo/datasets/penguins/versions/1/suggested-suite?tolerance=0.2')).json();
    const attached = await submit(`${BASE}/penguins/suite`, { suite: stringifyYaml({ ...(fromApi as object), name: 'edited' }) });
    expect(attached.status).toBe(303);
    expect(attached.headers.get('location')).toBe(`${BASE}/penguins/suite`);
    const current = (await (await api('/v1/projects/demo/datasets/penguins/suite')).json()) as { suite: { name: string } };
    expect(current.suite).toEqual({ ...(fromApi as object), name: 'edited' });
    const suitePage = await (await page(`${BASE}/penguins/suite`)).text();
    expect(suitePage).toContain('Attached: <strong>edited</strong>');
    expect(suitePage).toContain('name: edited');

    // A blank suite now means the attached one.
    const withAttached = await (await submit(`${PENGUINS_V1}/validate`, { suite: '' })).text();
    expect(withAttached).toContain('Validation: suite edited');
  });

  it('refuses a suite that is not YAML, does not fit the version, or a bad tolerance, naming the field', async () => {
    const before = (await (await api('/v1/projects/demo/datasets/penguins/suite')).json()) as { sha256: string };

    const unknown = await refused(`${PENGUINS_V1}/validate`, { suite: 'name: x\nexpectations:\n  - type: not_null\n    column: Nope\n' });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('data-path="suite.expectations.0.column"');
    expect(unknown.html).toContain('unknown column &#39;Nope&#39;');
    expect(control(unknown.html, 'suite')).toContain('aria-invalid="true"');
    expect(unknown.html).toContain('column: Nope');

    const attach = await refused(`${BASE}/penguins/suite`, { suite: 'name: x\nexpectations:\n  - type: range\n    column: Nope\n    min: 1\n' });
    expect(attach.status).toBe(400);
    expect(attach.html).toContain('data-path="suite.expectations.0.column"');
    const malformed = await refused(`${BASE}/penguins/suite`, { suite: 'name: x\nexpectations:\n  - type: range\n    column: Sex\n' });
    expect(malformed.status).toBe(400);
    expect(malformed.html).toContain('data-path="suite.expectations.0.min"');
    const syntax = await refused(`${BASE}/penguins/suite`, { suite: 'name: "x' });
    expect(syntax.status).toBe(400);
    expect(syntax.html).toContain('data-path="suite"');
    expect(((await (await api('/v1/projects/demo/datasets/penguins/suite')).json()) as { sha256: string }).sha256).toBe(before.sha256);

    const tolerance = await page(`${PENGUINS_V1}/suggested-suite?tolerance=20`);
    expect(tolerance.status).toBe(400);
    const html = await tolerance.text();
    expect(html).toContain('data-path="tolerance"');
    expect(control(html, 'tolerance')).toContain('value="20"');
  });
});
