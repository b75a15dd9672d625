import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared builds its schemas.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import type { SignedManifest } from '@outpost/shared';
import { uploadForm } from './test-support.ts';

// A signing key made active outside the API (on Workers a secret and a deploy; here a hub started
// on the same database with another keyring) is audited the first time the hub signs with it.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-key-deploy-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function start(keyringDir: string): Promise<NodeHub> {
  return createNodeHub({ dataDir: join(dir, keyringDir), databaseUrl: `file:${join(dir, 'hub.db')}`, rolloutTickMs: 0 });
}
const call = (hub: NodeHub, path: string, token: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return hub.app.request(path, { ...init, headers });
};

it('audits a key change made outside the API once, as key.deploy from the old key to the new', async () => {
  const first = await start('keyring-a');
  const admin = first.adminToken!;
  const created = await call(first, '/v1/projects', admin, { method: 'POST', body: '{"id":"fleet"}', headers: { 'content-type': 'application/json' } });
  const { projectKey } = (await created.json()) as { projectKey: string };
  const form = uploadForm(2, 3);
  expect((await call(first, '/v1/projects/fleet/models/iris/versions', admin, { method: 'POST', body: form })).status).toBe(201);
  expect((await call(first, '/v1/projects/fleet/models/iris/versions/1/publish', admin, { method: 'POST' })).status).toBe(200);
  const keyA = ((await (await call(first, '/v1/device/models/iris/manifest', projectKey)).json()) as SignedManifest).keyId;
  await first.close();

  const second = await start('keyring-b');
  try {
    const manifest = async () => ((await (await call(second, '/v1/device/models/iris/manifest', projectKey)).json()) as SignedManifest).keyId;
    const keyB = await manifest();
    expect(keyB).not.toBe(keyA);
    expect(await manifest()).toBe(keyB);
    const audit = (await (await call(second, '/v1/projects/fleet/audit', second.adminToken ?? admin)).json()) as { entries: { project: string; actor: string; action: string; detail: Record<string, unknown> }[] };
    const deploys = audit.entries.filter((e) => e.action === 'key.deploy');
    expect(deploys).toEqual([expect.objectContaining({ project: '*', actor: 'deploy', detail: { from: keyA, to: keyB } })]);
  } finally {
    await second.close();
  }
});
