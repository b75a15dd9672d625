import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest, type Manifest, type SignedManifest } from '@outpost/shared';
import type { HubTarget } from './api-suite.ts';

/** A hub for the registry suite: where its signing keys come from decides what rotation does. */
export interface RegistryTarget extends HubTarget {
  /**
   * `file`: a Node keyring (create and activate work). `secrets`: Workers secrets; the suite
   * expects exactly `expectedKeys` (in the order listed) and 501 from create and activate.
   */
  keys: { from: 'file' } | { from: 'secrets'; expectedKeys: { keyId: string; status: 'active' | 'next' | 'retired' }[] };
}

type Err = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };
type Key = { keyId: string; publicKey: string; status: string; createdAt: number | null };
type Audit = { id: number; project: string; model: string | null; actor: string; action: string; detail: Record<string, unknown>; reason: string | null; createdAt: number };
type Model = { name: string; published: number | null; minVersion: number; aliases: { alias: string; version: number; updatedAt: number; updatedBy: string }[]; versions: { version: number }[] };

/** The registry's contract (aliases, minimum version, audit log, signing keys, artifact caching): the same tests on every build. */
export function defineRegistrySuite(name: string, start: () => Promise<RegistryTarget>) {
  describe(`registry API on ${name}`, () => {
    let hub: RegistryTarget;
    let projectKey: string;
    const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? hub.adminToken : init.token;
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${hub.baseUrl}${path}`, { ...init, headers });
    };
    const send = (method: string, path: string, body?: unknown) =>
      api(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const device = (path: string, init: RequestInit = {}) => api(path, { ...init, token: projectKey });
    const refusal = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      return ((await res.json()) as Err).error;
    };
    const M = '/v1/projects/reg/models/m';
    const model = async () => (await (await api(M)).json()) as Model;
    const auditOf = async (query = '') => ((await (await api(`/v1/projects/reg/audit${query}`)).json()) as { entries: Audit[] }).entries;
    const keys = async () => ((await (await api('/v1/signing-keys')).json()) as { keys: Key[] }).keys;
    /** The manifest a device gets now, verified against the keys the hub lists. */
    const manifest = async (): Promise<Manifest & { keyId: string }> => {
      const signed = (await (await device('/v1/device/models/m/manifest')).json()) as SignedManifest;
      return { ...(await verifyManifest(signed, await keys())), keyId: signed.keyId };
    };
    const tick = () => new Promise((r) => setTimeout(r, 5));

    beforeAll(async () => {
      hub = await start();
      const res = await send('POST', '/v1/projects', { id: 'reg' });
      expect(res.status).toBe(201);
      projectKey = ((await res.json()) as { projectKey: string }).projectKey;
      if (!hub.canTrain) return; // no model runtime (Workers): nothing can be registered
      const { uploadForm } = await import('../../hub/src/registry/test-support.ts');
      for (const inputName of ['a', 'b', 'c']) {
        const form = uploadForm(2, 3, { inputName });
        expect((await api(`${M}/versions`, { method: 'POST', body: form })).status).toBe(201);
      }
    }, 180_000);
    afterAll(async () => hub?.stop());

    it('refuses bad alias names, bodies and limits naming the field, unknown models and projects, and anonymous callers', async () => {
      for (const alias of ['Staging', 'a_b', 'x'.repeat(33)]) {
        const e = await refusal(await send('PUT', `${M}/aliases/${alias}`, { version: 1 }), 400);
        expect(e.issues?.[0]?.path).toBe('alias');
      }
      expect((await refusal(await send('PUT', `${M}/aliases/staging`, { version: 'one' }), 400)).issues?.[0]?.path).toBe('version');
      expect((await refusal(await send('PUT', `${M}/aliases/staging`, { version: 1, extra: true }), 400)).issues?.[0]?.path).toBeDefined();
      expect((await refusal(await send('PUT', `${M}/min-version`, {}), 400)).issues?.[0]?.path).toBe('version');
      expect((await refusal(await api('/v1/projects/reg/audit?limit=0'), 400)).issues?.[0]?.path).toBe('limit');
      expect((await refusal(await send('PUT', '/v1/projects/reg/models/none/aliases/staging', { version: 1 }), 404)).issues?.[0]?.path).toBe('model');
      expect((await refusal(await api('/v1/projects/nope/audit'), 404)).code).toBe('NOT_FOUND');
      expect((await refusal(await send('PUT', `${M}/aliases/staging`, undefined), 400)).issues?.[0]?.path).toBe('version');
      expect((await api('/v1/projects/reg/audit', { token: null })).status).toBe(401);
      expect((await api('/v1/signing-keys', { token: projectKey })).status).toBe(401);
      expect((await api('/v1/signing-keys', { method: 'POST', token: null })).status).toBe(401);
    });

    it('lists its signing keys with their status; rotation there is a change of secrets (501) — or rotates the keyring', async () => {
      const listed = await keys();
      for (const k of listed) expect(k.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      if (hub.keys.from === 'secrets') {
        expect(listed.map(({ keyId, status }) => ({ keyId, status }))).toEqual(hub.keys.expectedKeys);
        const created = await refusal(await send('POST', '/v1/signing-keys', { reason: 'rotate' }), 501);
        expect(created.message).toMatch(/wrangler secret put OUTPOST_SIGNING_KEYS/);
        const next = hub.keys.expectedKeys.find((k) => k.status !== 'active')!.keyId;
        expect((await refusal(await send('POST', `/v1/signing-keys/${next}/activate`, {}), 501)).message).toMatch(/wrangler secret put OUTPOST_SIGNING_KEY_ID/);
        expect(await keys()).toEqual(listed);
        return;
      }
      expect(listed).toEqual([expect.objectContaining({ status: 'active', createdAt: expect.any(Number) })]);
      // Key rotation with manifests is checked below, once a model is published.
      expect((await refusal(await send('POST', '/v1/signing-keys/not-a-key/activate', {}), 400)).issues?.[0]?.path).toBe('keyId');
      expect((await refusal(await send('POST', '/v1/signing-keys/0123456789abcdef/activate', {}), 404)).issues?.[0]?.path).toBe('keyId');
      expect((await refusal(await send('POST', `/v1/signing-keys/${listed[0]!.keyId}/activate`, {}), 409)).issues?.[0]?.path).toBe('keyId');
    });

    it('points aliases at versions, publishing when the alias is production, and audits who, what and why', async () => {
      if (!hub.canTrain) return;
      expect(await model()).toMatchObject({ published: null, minVersion: 1, aliases: [] });
      expect((await refusal(await send('PUT', `${M}/aliases/staging`, { version: 9 }), 404)).issues?.[0]?.path).toBe('version');
      const staged = await send('PUT', `${M}/aliases/staging`, { version: 3, reason: 'QA build' });
      expect(staged.status).toBe(200);
      expect(await staged.json()).toMatchObject({ alias: 'staging', version: 3, updatedBy: expect.stringMatching(/^admin-token-\d+$/) });
      // Staging is not what devices run.
      expect((await device('/v1/device/models/m/manifest')).status).toBe(404);

      expect((await send('PUT', `${M}/aliases/production`, { version: 1, reason: 'first release' })).status).toBe(200);
      const first = await manifest();
      expect(first).toMatchObject({ version: 1, minVersion: 1 });
      await tick();
      expect((await send('POST', `${M}/versions/2/publish`, { reason: 'better' })).status).toBe(200);
      const second = await manifest();
      expect(second.version).toBe(2);
      expect(Date.parse(second.issuedAt)).toBeGreaterThan(Date.parse(first.issuedAt));
      expect(Date.parse(second.expiresAt)).toBeGreaterThan(Date.parse(second.issuedAt));
      // Served again unchanged (same bytes, so the same ETag for the SDK's polling) until something changes.
      expect((await manifest()).issuedAt).toBe(second.issuedAt);

      const m = await model();
      expect(m).toMatchObject({ published: 2, minVersion: 1 });
      expect(m.aliases.map((a) => [a.alias, a.version])).toEqual([
        ['production', 2],
        ['staging', 3],
      ]);
      const entries = await auditOf('?model=m');
      expect(entries.map((e) => [e.action, e.detail, e.reason])).toEqual([
        ['version.publish', { alias: 'production', from: 1, to: 2 }, 'better'],
        ['alias.set', { alias: 'production', from: null, to: 1 }, 'first release'],
        ['alias.set', { alias: 'staging', from: null, to: 3 }, 'QA build'],
      ]);
      expect(entries[0]).toMatchObject({ project: 'reg', model: 'm', actor: expect.stringMatching(/^admin-token-\d+$/), createdAt: expect.any(Number) });
      expect((await auditOf('?model=m&limit=1')).map((e) => e.action)).toEqual(['version.publish']);
    });

    it('sets a minimum version at most the production one, signed into the manifest, and refuses production below it', async () => {
      if (!hub.canTrain) return;
      expect((await refusal(await send('PUT', `${M}/min-version`, { version: 3 }), 409)).issues?.[0]).toMatchObject({ path: 'version', message: expect.stringMatching(/above the production version 2/) });
      expect((await refusal(await send('PUT', `${M}/min-version`, { version: 7 }), 404)).issues?.[0]?.path).toBe('version');
      const before = await manifest();
      await tick();
      const set = await send('PUT', `${M}/min-version`, { version: 2, reason: 'v1 crashes on Safari' });
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ minVersion: 2 });
      const after = await manifest();
      expect(after).toMatchObject({ version: 2, minVersion: 2 });
      expect(Date.parse(after.issuedAt)).toBeGreaterThan(Date.parse(before.issuedAt));
      expect((await model()).minVersion).toBe(2);

      // Devices would refuse version 1 now: neither publishing nor moving production may go there.
      expect((await refusal(await send('POST', `${M}/versions/1/publish`), 409)).issues?.[0]?.path).toBe('version');
      expect((await refusal(await send('PUT', `${M}/aliases/production`, { version: 1 }), 409)).issues?.[0]?.path).toBe('version');
      expect((await manifest()).version).toBe(2);
      expect((await auditOf('?model=m'))[0]).toMatchObject({ action: 'model.min-version', detail: { from: 1, to: 2 }, reason: 'v1 crashes on Safari' });
    });

    it('removes aliases but never production, with the reason from the query or the body', async () => {
      if (!hub.canTrain) return;
      expect((await refusal(await send('DELETE', `${M}/aliases/production`), 409)).issues?.[0]?.path).toBe('alias');
      const removed = await api(`${M}/aliases/staging?reason=${encodeURIComponent('QA done')}`, { method: 'DELETE' });
      expect(removed.status).toBe(200);
      expect(await removed.json()).toEqual({ alias: 'staging', version: 3 });
      expect((await refusal(await send('DELETE', `${M}/aliases/staging`), 404)).issues?.[0]?.path).toBe('alias');
      expect((await send('PUT', `${M}/aliases/canary`, { version: 3 })).status).toBe(200);
      expect((await send('DELETE', `${M}/aliases/canary`, { reason: 'not needed' })).status).toBe(200);
      expect((await model()).aliases.map((a) => a.alias)).toEqual(['production']);
      expect((await auditOf('?model=m&limit=3')).map((e) => [e.action, e.detail.alias, e.reason])).toEqual([
        ['alias.remove', 'canary', 'not needed'],
        ['alias.set', 'canary', null],
        ['alias.remove', 'staging', 'QA done'],
      ]);
    });

    it('answers 304 to a matching If-None-Match for an artifact, keeping its immutable cache headers', async () => {
      if (!hub.canTrain) return;
      const path = (await manifest()).artifact.path;
      const full = await device(path);
      expect(full.status).toBe(200);
      const etag = full.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      await full.arrayBuffer();
      const again = await device(path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await again.text()).toBe('');
      expect((await device(path, { headers: { 'if-none-match': `W/${etag}, "other"` } })).status).toBe(304);
      const other = await device(path, { headers: { 'if-none-match': '"0000"' } });
      expect(other.status).toBe(200);
      expect((await other.arrayBuffer()).byteLength).toBeGreaterThan(0);
      // Another project's device learns nothing, ETag or not.
      const stranger = ((await (await send('POST', '/v1/projects', { id: 'reg-other' })).json()) as { projectKey: string }).projectKey;
      expect((await api(path, { token: stranger, headers: { 'if-none-match': etag } })).status).toBe(404);
    });

    it('rotates the signing key: a next key is published before it signs; activating it retires the old one and re-signs every manifest', async () => {
      if (hub.keys.from !== 'file' || !hub.canTrain) return;
      const [old] = await keys();
      const created = await send('POST', '/v1/signing-keys', { reason: 'yearly rotation' });
      expect(created.status).toBe(201);
      const next = (await created.json()) as Key;
      expect(next).toMatchObject({ status: 'next', keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect((await keys()).map((k) => [k.keyId, k.status])).toEqual([
        [old!.keyId, 'active'],
        [next.keyId, 'next'],
      ]);
      const before = await manifest();
      expect(before.keyId).toBe(old!.keyId);

      await tick();
      const activated = await send('POST', `/v1/signing-keys/${next.keyId}/activate`, { reason: 'apps shipped the new key' });
      expect(activated.status).toBe(200);
      expect(await activated.json()).toMatchObject({ active: { keyId: next.keyId, status: 'active' }, retired: { keyId: old!.keyId, status: 'retired' } });
      const after = await manifest();
      expect(after).toMatchObject({ keyId: next.keyId, version: 2, minVersion: 2 });
      expect(Date.parse(after.issuedAt)).toBeGreaterThan(Date.parse(before.issuedAt));
      expect((await keys()).map((k) => [k.keyId, k.status])).toEqual([
        [next.keyId, 'active'],
        [old!.keyId, 'retired'],
      ]);

      // Key changes are hub-wide: in every project's log (project `*`), not in a model's.
      const [activation, creation] = await auditOf();
      expect(activation).toMatchObject({ project: '*', model: null, action: 'key.activate', detail: { from: old!.keyId, to: next.keyId }, reason: 'apps shipped the new key' });
      expect(creation).toMatchObject({ project: '*', action: 'key.create', detail: { keyId: next.keyId }, reason: 'yearly rotation' });
      expect((await auditOf('?model=m')).some((e) => e.action.startsWith('key.'))).toBe(false);
    });
  });
}
