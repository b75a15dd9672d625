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

  it('profiles the model on a dataset version given as --reference, served as its reference and on its card', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i / 5 - 3},${i % 2 === 0 ? 0.5 : -0.5},c${i % 3}`);
    await writeFile(join(dir, 'ref.csv'), ['f0,f1,label', ...rows].join('\n') + '\n');
    expect((await outpost('data', 'push', 'ref.csv', '--dataset', 'ref')).code).toBe(0);
    await writeFile(join(dir, 'model.onnx'), denseModel(2, 3));
    await writeFile(join(dir, 'features.json'), JSON.stringify(numericSpec(2, 3)));

    const up = await outpost('models', 'upload', 'model.onnx', '--model', 'profiled', '--features', 'features.json', '--reference', 'ref@1');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout.trim()).toMatch(/^profiled version 1: input input \[-1, 2\] → output probabilities \[-1, 3\], sha256 [0-9a-f]{64}, reference profile from ref@1$/);
    const res = await fetch(`${hub.baseUrl}/v1/projects/demo/models/profiled/versions/1/reference`, { headers: { authorization: `Bearer ${hub.adminToken}` } });
    const reference = (await res.json()) as { features: { rowCount: number; columns: { name: string }[] }; outputs: { rowCount: number; columns: { name: string }[] } };
    expect(reference.features.rowCount).toBe(30);
    expect(reference.features.columns.map((c) => c.name)).toEqual(['f0', 'f1']);
    expect(reference.outputs.columns.map((c) => c.name)).toEqual(['p(c0)', 'p(c1)', 'p(c2)', 'predicted']);
    expect((await outpost('models', 'card', 'profiled', '1')).stdout).toMatch(/- Reference data: ref version 1 \(30 rows, SHA-256 `[0-9a-f]{64}`\)/);

    // A dataset version the project lacks is refused, naming the part; nothing is registered.
    const unknown = await outpost('models', 'upload', 'model.onnx', '--model', 'profiled', '--features', 'features.json', '--reference', 'ref@7');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: reference: dataset ref has no version 7 \(its latest is 1\)/);
    expect(unknown.stderr).toMatch(/field reference:/);
    expect(JSON.parse((await outpost('models', 'show', 'profiled', '--json')).stdout).versions).toHaveLength(1);
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
