import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@outpost/shared';
import { startNodeHub, type RunningHub } from '../support/hub-process.ts';
import { cliIn } from '../support/cli.ts';
import { customOpModel, denseModel, numericSpec } from '../../hub/src/registry/test-support.ts';

/** `outpost models upload` as a user runs it, against a real Node hub on loopback. */
describe('outpost models upload', () => {
  let hub: RunningHub;
  let dir: string;
  const outpost = cliIn(() => dir);

  beforeAll(async () => {
    hub = await startNodeHub();
    dir = await mkdtemp(join(tmpdir(), 'outpost-cli-upload-'));
    expect((await outpost('login', hub.baseUrl, '--token', hub.adminToken, '--project', 'demo')).code).toBe(0);
    expect((await outpost('projects', 'create', 'demo')).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers an ONNX model with its feature spec and prints its signature', async () => {
    const bytes = denseModel(2, 3);
    await writeFile(join(dir, 'model.onnx'), bytes);
    await writeFile(join(dir, 'features.json'), JSON.stringify(numericSpec(2, 3)));
    await writeFile(join(dir, 'metrics.json'), '{"accuracy": 0.9}');

    const up = await outpost('models', 'upload', 'model.onnx', '--model', 'iris', '--features', 'features.json', '--metrics', 'metrics.json');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout.trim()).toBe(`iris version 1: input input [-1, 2] → output probabilities [-1, 3], sha256 ${await sha256Hex(bytes)}`);
    const shown = JSON.parse((await outpost('models', 'show', 'iris', '--json')).stdout) as { versions: { version: number; metrics: Record<string, number> }[] };
    expect(shown.versions).toMatchObject([{ version: 1, metrics: { accuracy: 0.9 } }]);
    expect((await outpost('publish', 'iris', '1')).stdout).toMatch(/published iris version 1/);
  });

  it('says what is wrong with a file it refuses, and registers nothing', async () => {
    await writeFile(join(dir, 'notes.onnx'), 'these are my notes, not a model');
    const garbage = await outpost('models', 'upload', 'notes.onnx', '--model', 'refused', '--features', 'features.json');
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/^error: invalid ONNX model: the bytes are not an ONNX ModelProto/);
    expect(garbage.stderr).toMatch(/field model:/);

    await writeFile(join(dir, 'custom.onnx'), customOpModel(2, 3));
    const custom = await outpost('models', 'upload', 'custom.onnx', '--model', 'refused', '--features', 'features.json');
    expect(custom.code).toBe(1);
    expect(custom.stderr).toMatch(/operator FancySoftmax of domain 'com\.acme' is not implemented by onnxruntime-web/);

    await writeFile(join(dir, 'wide.onnx'), denseModel(5, 3));
    const wide = await outpost('models', 'upload', 'wide.onnx', '--model', 'refused', '--features', 'features.json');
    expect(wide.stderr).toMatch(/field features: the features encode 2 values per record but the model's input 'input' \[batch, 5\] takes 5/);

    const usage = await outpost('models', 'upload', 'model.onnx', '--model', 'refused');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--features is required/);
    expect((await outpost('models', 'show', 'refused')).stderr).toMatch(/no model refused/);
  });
});
