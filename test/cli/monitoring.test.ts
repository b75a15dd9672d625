import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, type InferenceRecord } from '@outpost/shared';
import { startNodeHub, type RunningHub } from '../support/hub-process.ts';
import { cliIn } from '../support/cli.ts';
import { denseModel, numericSpec } from '../../hub/src/registry/test-support.ts';

/** `outpost drift …` and `outpost alert …` as a user runs them, against a real Node hub on loopback. */
describe('outpost drift and outpost alert', () => {
  let hub: RunningHub;
  let dir: string;
  const outpost = cliIn(() => dir);
  const rng = createRandom(3);
  const normal = (mean: number) => mean + Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());

  beforeAll(async () => {
    hub = await startNodeHub({ OUTPOST_ROLLOUT_TICK_MS: '0' });
    dir = await mkdtemp(join(tmpdir(), 'outpost-cli-monitoring-'));
    expect((await outpost('login', hub.baseUrl, '--token', hub.adminToken, '--project', 'demo')).code).toBe(0);
    const created = await outpost('projects', 'create', 'demo', '--json');
    const projectKey = (JSON.parse(created.stdout) as { projectKey: string }).projectKey;
    await writeFile(join(dir, 'ref.csv'), ['f0,f1,label', ...Array.from({ length: 400 }, (_, i) => `${normal(0)},${normal(1)},c${i % 3}`)].join('\n') + '\n');
    expect((await outpost('data', 'push', 'ref.csv', '--dataset', 'ref')).code).toBe(0);
    await writeFile(join(dir, 'model.onnx'), denseModel(2, 3));
    await writeFile(join(dir, 'features.json'), JSON.stringify(numericSpec(2, 3)));
    expect((await outpost('models', 'upload', 'model.onnx', '--model', 'iris', '--features', 'features.json', '--reference', 'ref@1')).code).toBe(0);
    expect((await outpost('publish', 'iris', '1')).code).toBe(0);
    const records: InferenceRecord[] = Array.from({ length: 200 }, (_, i) => ({
      id: `cli-${String(i).padStart(6, '0')}-xxxx`,
      seq: i + 1,
      model: 'iris',
      modelVersion: 1,
      executionProvider: 'wasm',
      latencyMs: 1,
      createdAt: Date.now() - 10_000,
      input: { f0: normal(2), f1: normal(1) },
      output: { label: 'c0', probabilities: [0.5, 0.3, 0.2] },
    }));
    const res = await fetch(`${hub.baseUrl}/v1/device/inferences`, { method: 'POST', headers: { authorization: `Bearer ${projectKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'device-cli-0001', records }) });
    expect(res.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the drift table: the shifted feature drifts, the other does not', async () => {
    const r = await outpost('drift', 'iris', '--window', '1h');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^iris v1, 200 records from /);
    expect(r.stdout).toMatch(/\nf0 +ks +0\.\d{3} .* drift\n/);
    expect(r.stdout).not.toMatch(/\nf0 .* no drift\n/);
    expect(r.stdout).toMatch(/\nf1 +ks .* no drift\n/);
    const json = JSON.parse((await outpost('drift', 'iris', '--json', '--correction', 'bh')).stdout) as { options: { correction: string }; columns: unknown[] };
    expect(json.options.correction).toBe('bh');
    expect(json.columns).toHaveLength(6);
    const bad = await outpost('drift', 'iris', '--window', 'forever');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--window takes a duration such as 90s, 10m, 1h or 7d, got "forever"');
  });

  it('creates a rule, evaluates it to firing, lists it and its events, and removes it', async () => {
    const created = await outpost('alert', 'create', 'iris', '--name', 'f0', '--metric', 'feature_drift', '--column', 'f0', '--when', '>= 1', '--window', '1h', '--webhook', 'http://127.0.0.1:9/hook', '--retrain');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created alert rule f0 on iris\nwebhook signing secret \(shown once, keep it\): [\w-]{43}\n$/);
    expect((await outpost('alert', 'evaluate', 'iris')).stdout).toMatch(/^f0 +firing +value 1\.000 +→ firing/);
    expect((await outpost('alert', 'list', 'iris')).stdout).toMatch(/^f0 +firing +feature_drift \{"column":"f0"\} >= 1 \(last 1\.000\)/);
    // Nothing listens on port 9: the delivery failed, and is due again in a minute.
    expect((await outpost('alert', 'events', 'iris')).stdout).toMatch(/f0 +firing +value 1\.000 +webhook failed \(.+\), again at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n$/);
    expect((await outpost('alert', 'triggers', 'iris')).stdout).toMatch(/^\S+ +#1 recorded +alert "f0" fired: feature_drift \{"column":"f0"\} = 1 >= 1\n$/);
    expect((await outpost('alert', 'disable', 'iris', 'f0')).stdout).toBe('alert rule f0 disabled (state ok)\n');
    expect((await outpost('alert', 'list', 'iris')).stdout).toMatch(/^f0 +ok +.* disabled\n$/);
    expect((await outpost('alert', 'enable', 'iris', 'f0')).stdout).toBe('alert rule f0 enabled (state ok)\n');
    const badLimit = await outpost('alert', 'events', 'iris', '--limit', '0');
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--limit must be a whole number from 1 to 500, got "0"');
    const wrong = await outpost('alert', 'create', 'iris', '--name', 'x', '--metric', 'drift_share', '--when', 'above 3');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--when takes a comparison such as "> 0.3"');
    const unknown = await outpost('alert', 'create', 'iris', '--name', 'x', '--metric', 'vibes', '--when', '> 3');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown metric "vibes"');
    expect((await outpost('alert', 'delete', 'iris', 'f0')).stdout.trim()).toBe('deleted alert rule f0');
    expect((await outpost('alert', 'list', 'iris')).stdout.trim()).toBe('no alert rules on iris');
  });
});
