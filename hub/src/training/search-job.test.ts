import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: the app's modules load @hono/zod-openapi, which must extend zod before @outpost/shared loads.
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';
import { penguins } from '../test-support/penguins.ts';
import { mapInOrder } from './search-job.ts';

describe('mapInOrder', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs at most `limit` at once, starts in order, and returns results in the items’ order', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await mapInOrder([40, 10, 30, 0, 20], 2, async (ms) => {
      started.push(ms);
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      return ms * 2;
    });
    expect(results).toEqual([80, 20, 60, 0, 40]);
    expect(started).toEqual([40, 10, 30, 0, 20]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure, and rejects with it once those under way end', async () => {
    const ended: number[] = [];
    const failing = mapInOrder([1, 2, 3, 4], 2, async (n) => {
      await sleep(n === 1 ? 5 : 30);
      if (n === 1) throw new Error('one failed');
      ended.push(n);
      return n;
    });
    await expect(failing).rejects.toThrow('one failed');
    expect(ended).toEqual([2]); // 2 was under way and ended; 3 and 4 never started
  });
});

// A search through the API of an in-process Node hub whose trainer is a pool of 2 worker threads:
// the same search at concurrency 1 and 2 must rank the same trials and register the same model.
describe('a search at concurrency 1 and 2 (worker-thread trainer)', () => {
  let hub: NodeHub;
  let dataDir: string;
  const api = (path: string, body?: unknown) =>
    hub.app.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  type View = {
    id: string;
    status: string;
    spec: { concurrency?: number };
    trials: { runId: string; params: Record<string, number>; score: number | null }[];
    bestRunId: string;
    finalRun: { id: string; status: string; modelVersion: number } | null;
  };
  const search = async (model: string, body: Record<string, unknown>) => {
    const res = await api(`/v1/projects/demo/models/${model}/searches`, { dataset: 'penguins', label: 'Species', ...body });
    expect(res.status).toBe(202);
    let view = (await res.json()) as View;
    while (view.status === 'queued' || view.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      view = (await (await api(`/v1/projects/demo/searches/${view.id}`)).json()) as View;
    }
    expect(view.status).toBe('succeeded');
    const versions = ((await (await api(`/v1/projects/demo/models/${model}`)).json()) as { versions: { version: number; artifact: { sha256: string } }[] }).versions;
    const runs = await Promise.all(view.trials.map(async (t) => (await (await api(`/v1/projects/demo/runs/${t.runId}`)).json()) as { createdAt: number; finishedAt: number }));
    return {
      view,
      best: view.trials.find((t) => t.runId === view.bestRunId)!,
      sha256: versions.find((v) => v.version === view.finalRun!.modelVersion)!.artifact.sha256,
      /** Whether some trial started before the one before it had finished. */
      overlapped: runs.some((r, i) => i > 0 && r.createdAt < runs[i - 1]!.finishedAt),
    };
  };
  const outcome = (s: Awaited<ReturnType<typeof search>>) => ({ trials: s.view.trials.map((t) => [t.params, t.score]), best: s.best.params, sha256: s.sha256 });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outpost-search-'));
    hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', trainWorkers: 2, codeVersion: null });
    expect((await api('/v1/projects', { id: 'demo' })).status).toBe(201);
    expect((await api('/v1/projects/demo/datasets/penguins/versions', penguins)).status).toBe(201);
  });
  afterAll(async () => {
    await hub?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('random: the same trials, scores, best and registered model bytes; recorded with its concurrency', async () => {
    const body = { epochs: 4, seed: 3, space: { hiddenUnits: [0, 4, 8, 16], learningRate: { min: 0.003, max: 0.1, log: true } }, search: { method: 'random', trials: 4 } };
    const one = await search('random-1', { ...body, concurrency: 1 });
    const two = await search('random-2', { ...body, concurrency: 2 });
    expect(outcome(two)).toEqual(outcome(one));
    expect([one.view.spec.concurrency, two.view.spec.concurrency]).toEqual([1, 2]);
    expect(one.overlapped).toBe(false);
    expect(two.overlapped).toBe(true);
    // Default: the trainer's concurrency; more than that is capped to it.
    expect((await search('random-default', body)).view.spec.concurrency).toBe(2);
  });

  it('halving: each rung concurrently, rungs in order, the same outcome', async () => {
    const body = { space: { hiddenUnits: [0, 4, 8, 16], learningRate: [0.01, 0.03, 0.1] }, search: { method: 'halving', trials: 4, minEpochs: 1, maxEpochs: 4, eta: 2 } };
    const one = await search('halving-1', { ...body, concurrency: 1 });
    const two = await search('halving-2', { ...body, concurrency: 16 });
    expect(two.view.spec.concurrency).toBe(2);
    expect(two.view.trials.map((t) => t.params.epochs)).toEqual([1, 1, 1, 1, 2, 2, 4]);
    expect(outcome(two)).toEqual(outcome(one));
  });

  it('refuses a concurrency outside 1–16, naming the field', async () => {
    const res = await api('/v1/projects/demo/models/bad/searches', { dataset: 'penguins', label: 'Species', space: { hiddenUnits: [0, 4] }, search: { method: 'grid' }, concurrency: 17 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe('concurrency');
  });
});
