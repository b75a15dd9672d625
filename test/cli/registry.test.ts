import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHub, type RunningHub } from '../support/hub-process.ts';
import { cliIn } from '../support/cli.ts';
import { denseModel, numericSpec } from '../../hub/src/registry/test-support.ts';

/** `outpost models alias|min-version|show`, `keys` and `audit` as a user runs them, against a real Node hub. */
describe('outpost registry commands', () => {
  let hub: RunningHub;
  let dir: string;
  const outpost = cliIn(() => dir);

  beforeAll(async () => {
    hub = await startNodeHub();
    dir = await mkdtemp(join(tmpdir(), 'outpost-cli-registry-'));
    expect((await outpost('login', hub.baseUrl, '--token', hub.adminToken, '--project', 'demo')).code).toBe(0);
    expect((await outpost('projects', 'create', 'demo')).code).toBe(0);
    await writeFile(join(dir, 'features.json'), JSON.stringify(numericSpec(2, 3)));
    for (const inputName of ['a', 'b', 'c']) {
      await writeFile(join(dir, 'model.onnx'), denseModel(2, 3, { inputName }));
      expect((await outpost('models', 'upload', 'model.onnx', '--model', 'iris', '--features', 'features.json')).code).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publishes and moves aliases with reasons, shows them, and says what to fix', async () => {
    expect((await outpost('publish', 'iris', '1', '--reason', 'first release')).stdout).toMatch(/^published iris version 1 \(manifest signed with key [0-9a-f]{16}\)\n$/);
    const staged = await outpost('models', 'alias', 'set', 'iris', 'staging', '3', '--reason', 'QA build');
    expect(staged.stderr).toBe('');
    expect(staged.stdout).toBe('iris staging → version 3\n');
    expect((await outpost('models', 'alias', 'set', 'iris', 'production', '2')).stdout).toMatch(/^iris production → version 2 \(devices get it; manifests re-signed\)\n$/);

    const shown = (await outpost('models', 'show', 'iris')).stdout;
    expect(shown).toMatch(/^model iris\nminimum version: 1\naliases:\n  production → v2\t\S+ by admin-token-\d+\n  staging → v3\t\S+ by admin-token-\d+\n/);
    expect(shown).toMatch(/^v3 \(staging\)\t/m);
    expect(shown).toMatch(/^v2 \(published\)\t/m);
    expect(JSON.parse((await outpost('models', 'show', 'iris', '--json')).stdout)).toMatchObject({ published: 2, minVersion: 1, aliases: [{ alias: 'production', version: 2 }, { alias: 'staging', version: 3 }] });

    const badName = await outpost('models', 'alias', 'set', 'iris', 'Prod', '2');
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/field alias: use 1-32 lowercase letters, digits or -/);
    const noVersion = await outpost('models', 'alias', 'set', 'iris', 'staging', '9');
    expect(noVersion.code).toBe(1);
    expect(noVersion.stderr).toMatch(/model iris has no version 9\n  - field version: not found/);
    const usage = await outpost('models', 'alias', 'set', 'iris', 'staging');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: outpost models alias set <model> <alias> <version>/);
    expect((await outpost('models', 'alias', 'move', 'iris')).stderr).toMatch(/usage: outpost models alias set/);

    const keepProduction = await outpost('models', 'alias', 'rm', 'iris', 'production');
    expect(keepProduction.code).toBe(1);
    expect(keepProduction.stderr).toMatch(/production is what devices run and cannot be removed; move it/);
    expect((await outpost('models', 'alias', 'rm', 'iris', 'staging', '--reason', 'QA done')).stdout).toBe('iris alias staging removed (it pointed to version 3)\n');
  }, 120_000);

  it('sets the minimum version only up to production, and shows it', async () => {
    const above = await outpost('models', 'min-version', 'iris', '3');
    expect(above.code).toBe(1);
    expect(above.stderr).toMatch(/above the production version 2/);
    expect((await outpost('models', 'min-version', 'iris', 'two')).stderr).toMatch(/usage: outpost models min-version <model> <version> .*not "two"/);
    const set = await outpost('models', 'min-version', 'iris', '2', '--reason', 'v1 leaks memory');
    expect(set.stdout).toBe('iris minimum version 2: devices refuse anything older (manifests re-signed)\n');
    expect((await outpost('models', 'show', 'iris')).stdout).toMatch(/minimum version: 2\n[\s\S]*^v1 \(below minimum\)\t/m);
    expect((await outpost('publish', 'iris', '1')).stderr).toMatch(/below iris's minimum version 2/);
  }, 120_000);

  it('lists, creates and activates signing keys', async () => {
    const listed = JSON.parse((await outpost('keys')).stdout) as { keyId: string; publicKey: string; status: string }[];
    expect(listed.map((k) => k.status)).toEqual(['active']);
    const created = await outpost('keys', 'create', '--reason', 'yearly rotation');
    expect(created.code).toBe(0);
    const keyId = created.stdout.match(/^signing key ([0-9a-f]{16}) created \(next\): it signs nothing yet\.\n/)![1]!;
    expect(created.stdout).toContain(`"keyId": "${keyId}"`);
    expect((await outpost('keys', 'activate')).code).toBe(2);
    const unknown = await outpost('keys', 'activate', '0123456789abcdef');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no signing key 0123456789abcdef/);
    const activated = await outpost('keys', 'activate', keyId, '--reason', 'apps shipped');
    expect(activated.stdout).toBe(`signing key ${keyId} is active; ${listed[0]!.keyId} is retired. Manifests are re-signed with the new key on their next request.\n`);
    const after = JSON.parse((await outpost('keys')).stdout) as { keyId: string; status: string }[];
    expect(after.map((k) => [k.keyId, k.status])).toEqual([
      [keyId, 'active'],
      [listed[0]!.keyId, 'retired'],
    ]);
    expect((await outpost('publish', 'iris', '3')).stdout).toContain(`signed with key ${keyId}`);
  }, 120_000);

  it('prints the audit log newest first, filtered by model and limited', async () => {
    const all = (await outpost('audit')).stdout.trimEnd().split('\n');
    expect(all[0]).toMatch(/^\S+Z {2}admin-token-\d+ {2}version\.publish iris production: v2 → v3$/);
    expect(all[1]).toMatch(/key\.activate \(hub\) [0-9a-f]{16} → [0-9a-f]{16} {2}— apps shipped$/);
    expect(all[2]).toMatch(/key\.create \(hub\) [0-9a-f]{16} \(next\) {2}— yearly rotation$/);
    const iris = (await outpost('audit', '--model', 'iris', '--limit', '2')).stdout.trimEnd().split('\n');
    expect(iris).toHaveLength(2);
    expect(iris[1]).toMatch(/model\.min-version iris v1 → v2 {2}— v1 leaks memory$/);
    expect((await outpost('audit', '--model', 'iris')).stdout).toMatch(/alias\.set iris staging: - → v3 {2}— QA build\n[\s\S]*version\.publish iris production: - → v1 {2}— first release\n$/);
    const badLimit = await outpost('audit', '--limit', '0');
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/--limit must be a whole number from 1 to 500, not "0"/);
    expect(JSON.parse((await outpost('audit', '--limit', '1', '--json')).stdout).entries).toHaveLength(1);
  }, 120_000);
});
