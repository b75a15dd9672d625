import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHub, type RunningHub } from '../support/hub-process.ts';
import { cliIn } from '../support/cli.ts';
import { denseModel, numericSpec } from '../../hub/src/registry/test-support.ts';

/** `outpost rollout …` as a user runs it, against a real Node hub on loopback. */
describe('outpost rollout', () => {
  let hub: RunningHub;
  let dir: string;
  const outpost = cliIn(() => dir);

  beforeAll(async () => {
    hub = await startNodeHub({ OUTPOST_ROLLOUT_TICK_MS: '0' });
    dir = await mkdtemp(join(tmpdir(), 'outpost-cli-rollout-'));
    expect((await outpost('login', hub.baseUrl, '--token', hub.adminToken, '--project', 'demo')).code).toBe(0);
    expect((await outpost('projects', 'create', 'demo')).code).toBe(0);
    await writeFile(join(dir, 'model.onnx'), denseModel(2, 3));
    await writeFile(join(dir, 'features.json'), JSON.stringify(numericSpec(2, 3)));
    for (let i = 0; i < 2; i++) expect((await outpost('models', 'upload', 'model.onnx', '--model', 'iris', '--features', 'features.json')).code).toBe(0);
    expect((await outpost('publish', 'iris', '1')).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts a staged rollout and shows it: stages, guards, who runs what', async () => {
    const started = await outpost('rollout', 'start', 'iris', '2', '--stages', '10,50,100', '--stage-minutes', '30', '--max-error-rate', '0.02', '--max-latency-p95', '80', '--min-samples', '5', '--reason', 'new weights');
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^started rolling out iris version 2\niris: running, version 2 at 10 % \(stages \[10\] → 50 → 100 %, 30 min each\); production: version 1\n/);
    expect(started.stdout).toContain('guards: error rate ≤ 0.02, p95 latency ≤ 80 ms, judged on ≥ 5 samples per stage');
    expect(started.stdout).toContain('v2 candidate: 0 samples, 0 errors (rate –), p95 – ms — waiting: 0 of 5 samples');

    const shown = JSON.parse((await outpost('rollout', 'show', 'iris', '--json')).stdout) as { policy: { state: string; stages: number[]; guards: Record<string, number> } };
    expect(shown.policy).toMatchObject({ state: 'running', stages: [10, 50, 100], guards: { maxErrorRate: 0.02, maxLatencyP95Ms: 80, minSamples: 5 } });

    expect((await outpost('rollout', 'advance', 'iris', '--reason', 'looks fine')).stdout).toMatch(/^advanced the rollout of iris\niris: running, version 2 at 50 % \(stages 10 → \[50\] → 100 %/);
    expect((await outpost('rollout', 'pause', 'iris')).stdout).toMatch(/iris: paused/);
    expect((await outpost('rollout', 'resume', 'iris')).stdout).toMatch(/iris: running/);
  });

  it('pins devices, adds and removes targeting rules, and previews assignments', async () => {
    expect((await outpost('rollout', 'pin', 'iris', 'qa-phone-0001', '1')).stdout).toContain('pins: qa-phone-0001 → v1');
    expect((await outpost('rollout', 'assign', 'iris', '--install-id', 'qa-phone-0001')).stdout.trim()).toMatch(/^iris for qa-phone-0001: version 1 \(pinned: this install id is pinned \(QA\)\), bucket \d+$/);

    const added = await outpost('rollout', 'rule', 'add', 'iris', '--name', 'swiss beta', '--version', '2', '--locale', 'de-CH,fr-CH', '--app-version', '>=1.4 <2', '--webgpu', 'yes', '--attr', 'plan=pro|team');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('1. swiss beta → v2 when app >=1.4 <2, locale de-CH|fr-CH, webgpu yes, plan=pro|team');
    const matched = await outpost('rollout', 'assign', 'iris', '--install-id', 'someone-0001', '--locale', 'de-CH', '--app-version', '1.5.0', '--webgpu', 'yes', '--attr', 'plan=team');
    expect(matched.stdout).toMatch(/version 2 \(rule: rule "swiss beta"\)/);
    const missed = await outpost('rollout', 'assign', 'iris', '--install-id', 'someone-0001', '--locale', 'de-DE', '--app-version', '1.5.0', '--webgpu', 'yes', '--attr', 'plan=team');
    expect(missed.stdout).toMatch(/\((rollout|default)/);

    // Bad input: a message saying what to fix.
    const badRange = await outpost('rollout', 'rule', 'add', 'iris', '--name', 'x', '--version', '2', '--app-version', 'soon');
    expect(badRange.code).toBe(1);
    expect(badRange.stderr).toContain('field rules.1.when.appVersion: not a version range');
    const badGpu = await outpost('rollout', 'rule', 'add', 'iris', '--name', 'x', '--version', '2', '--webgpu', 'maybe');
    expect(badGpu).toMatchObject({ code: 2, stderr: 'error: --webgpu takes yes or no, got "maybe"\n' });

    expect((await outpost('rollout', 'rule', 'rm', 'iris', 'swiss beta')).stdout).not.toContain('rules (first match wins)');
    expect((await outpost('rollout', 'unpin', 'iris', 'qa-phone-0001')).stdout).not.toContain('pins:');
    expect((await outpost('rollout', 'unpin', 'iris', 'qa-phone-0001')).code).toBe(1);
  });

  it('rolls back only with a reason', async () => {
    const noReason = await outpost('rollout', 'rollback', 'iris');
    expect(noReason).toMatchObject({ code: 2, stderr: 'error: rollout rollback needs --reason (it goes into the audit log)\n' });
    const back = await outpost('rollout', 'rollback', 'iris', '--reason', 'errors on Safari');
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/^rolled back iris: every device is on production\niris: rolled back version 2, every device on production; production: version 1\n/);
    expect(back.stdout).toMatch(/rollback rolled back: errors on Safari/);
    const evaluated = await outpost('rollout', 'evaluate', 'iris');
    expect(evaluated.stdout).toMatch(/^nothing to do: the rollout is rolled_back\n/);
  });
});
