import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { uploadForm } from '../registry/test-support.ts';

// The registry's console pages through the real app, logged in as a person.

let hub: NodeHub;
let dataDir: string;
let session: string;

const api = (path: string, init: RequestInit = {}) => hub.app.request(path, { ...init, headers: { authorization: `Bearer ${hub.adminToken}`, ...init.headers } });
const page = async (path: string) => {
  const res = await hub.app.request(path, { headers: { cookie: session } });
  return { status: res.status, html: await res.text() };
};
const post = (path: string, fields: Record<string, string>) => hub.app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie: session } });
const model = async () =>
  (await (await api('/v1/projects/demo/models/iris')).json()) as { published: number | null; minVersion: number; aliases: { alias: string; version: number; updatedBy: string }[] };
const audit = async () => ((await (await api('/v1/projects/demo/audit?model=iris')).json()) as { entries: { action: string; actor: string; reason: string | null; detail: Record<string, unknown> }[] }).entries;
const MODEL = '/console/projects/demo/models/iris';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-console-registry-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  expect((await api('/v1/projects', { method: 'POST', body: JSON.stringify({ id: 'demo' }), headers: { 'content-type': 'application/json' } })).status).toBe(201);
  for (const inputName of ['input', 'x', 'y']) {
    const form = uploadForm(2, 3, { inputName });
    expect((await api('/v1/projects/demo/models/iris/versions', { method: 'POST', body: form })).status).toBe(201);
  }
  expect((await api('/v1/projects/demo/models/iris/versions/2/publish', { method: 'POST' })).status).toBe(200);
  const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
  session = login.headers.get('set-cookie')!.split(';')[0]!;
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('console: a model page', () => {
  it('is linked from the overview and shows versions, aliases, the minimum version and the audit trail', async () => {
    expect((await page('/console')).html).toContain(`href="${MODEL}"`);
    const { status, html } = await page(MODEL);
    expect(status).toBe(200);
    expect(html).toMatch(/<tr data-alias="production"><td>production<\/td><td>2<\/td>/);
    expect(html).toContain('data-min-version="1"');
    expect(html).toMatch(/data-action="version\.publish"[\s\S]*?version\.publish iris production: - → v2/);
    expect((await page('/console/projects/demo/models/nope')).status).toBe(404);
  });

  it('moves an alias as the person logged in, with the reason, and publishes when the alias is production', async () => {
    const staged = await post(`${MODEL}/aliases`, { alias: 'staging', version: '3', reason: 'QA build' });
    expect(staged.status).toBe(303);
    expect(staged.headers.get('location')).toBe(MODEL);
    expect((await model()).aliases).toContainEqual(expect.objectContaining({ alias: 'staging', version: 3, updatedBy: 'console:ana' }));
    expect((await audit())[0]).toMatchObject({ action: 'alias.set', actor: 'console:ana', reason: 'QA build', detail: { alias: 'staging', from: null, to: 3 } });

    expect((await post(`${MODEL}/aliases`, { alias: 'production', version: '3' })).status).toBe(303);
    expect((await model()).published).toBe(3);
    expect((await page(MODEL)).html).toMatch(/<tr data-version="3"><td>3<\/td><td><span class="pub">production<\/span>/);
  });

  it('re-renders with the field marked and the input kept on bad input, changing nothing', async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{ alias: 'Bad Name', version: '1' }, 400, 'alias'],
      [{ alias: 'staging', version: '' }, 400, 'version'],
      [{ alias: 'staging', version: '9' }, 404, 'version'],
    ];
    for (const [fields, status, field] of cases) {
      const res = await post(`${MODEL}/aliases`, fields);
      const html = await res.text();
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(html).toContain(`data-path="${field}"`);
      expect(html).toMatch(new RegExp(`<form[^>]*id="move-alias"[\\s\\S]*?name="${field}" value="${fields[field]}"[^>]*aria-invalid="true"`));
    }
    expect((await model()).aliases.find((a) => a.alias === 'staging')!.version).toBe(3);
  });

  it('sets the minimum version, refusing one above production (409, field marked)', async () => {
    expect((await post(`${MODEL}/aliases`, { alias: 'production', version: '2' })).status).toBe(303);
    const above = await post(`${MODEL}/min-version`, { version: '3' });
    expect(above.status).toBe(409);
    expect(await above.text()).toMatch(/<form[^>]*id="min-version"[\s\S]*?name="version" value="3"[^>]*aria-invalid="true"/);
    expect((await model()).minVersion).toBe(1);

    expect((await post(`${MODEL}/min-version`, { version: '2', reason: 'v1 leaks memory' })).status).toBe(303);
    expect((await model()).minVersion).toBe(2);
    expect((await audit())[0]).toMatchObject({ action: 'model.min-version', actor: 'console:ana', reason: 'v1 leaks memory', detail: { from: 1, to: 2 } });
    expect((await page(MODEL)).html).toMatch(/<tr data-version="1">[\s\S]*?below minimum/);
  });

  it('removes an alias but never production', async () => {
    const production = await post(`${MODEL}/aliases/production/remove`, {});
    expect(production.status).toBe(409);
    expect(await production.text()).toContain('data-path="alias"');
    expect((await post(`${MODEL}/aliases/staging/remove`, { reason: 'QA done' })).status).toBe(303);
    expect((await model()).aliases.map((a) => a.alias)).toEqual(['production']);
    expect((await post(`${MODEL}/aliases/staging/remove`, {})).status).toBe(404);
  });
});

describe('console: audit log and signing keys', () => {
  it('lists the project audit log newest first', async () => {
    const { status, html } = await page('/console/projects/demo/audit');
    expect(status).toBe(200);
    const actions = [...html.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);
    expect(actions.slice(0, 3)).toEqual(['alias.remove', 'model.min-version', 'alias.set']);
    expect(html).toContain('QA done');
    expect((await page('/console/projects/nope/audit')).status).toBe(404);
  });

  it('creates a next key and activates it: the old key retires and manifests are signed with the new one', async () => {
    const first = (await hub.deps.keys.current()).keyId;
    expect((await page('/console/signing-keys')).html).toMatch(new RegExp(`data-key="${first}" data-status="active"`));
    expect((await post('/console/signing-keys', { reason: 'yearly rotation' })).status).toBe(303);
    const next = (await hub.deps.keys.list()).find((k) => k.status === 'next')!;
    const html = (await page('/console/signing-keys')).html;
    expect(html).toMatch(new RegExp(`data-key="${next.keyId}" data-status="next"[\\s\\S]*?action="/console/signing-keys/${next.keyId}/activate"`));
    expect(html).toContain(`&quot;keyId&quot;: &quot;${next.keyId}&quot;`);

    const unknown = await post('/console/signing-keys/0123456789abcdef/activate', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('data-path="keyId"');
    expect((await post(`/console/signing-keys/${next.keyId}/activate`, { reason: 'apps shipped' })).status).toBe(303);
    expect((await hub.deps.keys.current()).keyId).toBe(next.keyId);
    expect((await hub.deps.keys.list()).find((k) => k.keyId === first)!.status).toBe('retired');
    const keyAudit = (await page('/console/signing-keys')).html;
    expect(keyAudit).toMatch(/data-action="key\.activate"[\s\S]*?console:ana[\s\S]*?apps shipped/);
  });
});
