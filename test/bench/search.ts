// A hyperparameter search's wall time at concurrency 1 and 2, through the API of a real Node hub
// (hub/src/entry/node.ts): penguins, 8 random trials of the hub's default model, then the best
// retrained. Also the slowest API answer while the search trains: training in worker threads leaves
// the hub's thread free; `OUTPOST_TRAIN_WORKERS=0` (training on the hub's thread) is the contrast.
// `node --import tsx test/bench/search.ts` (BENCH_REPS=3, BENCH_EPOCHS=20): the medians at the end.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, startNodeHub, type RunningHub } from '../support/hub-process.ts';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 20);
const SEARCH = {
  dataset: 'penguins',
  label: 'Species',
  epochs: EPOCHS,
  seed: 7,
  space: { learningRate: { min: 0.003, max: 0.1, log: true }, batchSize: [16, 32, 64] },
  search: { method: 'random', trials: 8 },
};

interface Measured {
  totalMs: number;
  /** From the first trial's start to the last trial's end. */
  trialsMs: number;
  /** The median and the slowest GET of the search while it ran (polled every 50 ms). */
  medianPollMs: number;
  slowestPollMs: number;
  best: string;
  sha256: string;
}

async function measure(hub: RunningHub, model: string, concurrency: number): Promise<Measured> {
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${hub.baseUrl}/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, any>>;
  };
  const started = performance.now();
  let view = await api(`/projects/bench/models/${model}/searches`, { ...SEARCH, concurrency });
  const polls: number[] = [];
  while (view.status === 'queued' || view.status === 'running') {
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    view = await api(`/projects/bench/searches/${view.id}`);
    polls.push(performance.now() - t);
  }
  const totalMs = performance.now() - started;
  if (view.status !== 'succeeded') throw new Error(`search ${view.id} ${view.status}: ${JSON.stringify(view.error)}`);
  const runs = await Promise.all(view.trials.map((t: { runId: string }) => api(`/projects/bench/runs/${t.runId}`)));
  const versions = (await api(`/projects/bench/models/${model}`)).versions as { version: number; artifact: { sha256: string } }[];
  const best = view.trials.find((t: { runId: string }) => t.runId === view.bestRunId).params;
  return {
    totalMs,
    trialsMs: Math.max(...runs.map((r) => r.finishedAt)) - Math.min(...runs.map((r) => r.createdAt)),
    medianPollMs: median(polls),
    slowestPollMs: Math.max(...polls),
    best: `lr=${Number(best.learningRate.toPrecision(3))} batch=${best.batchSize}`,
    sha256: versions.find((v) => v.version === view.finalRun.modelVersion)!.artifact.sha256.slice(0, 12),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map<string, Measured[]>();

async function session(workers: string, concurrencies: number[]): Promise<void> {
  const hub = await startNodeHub({ OUTPOST_TRAIN_WORKERS: workers });
  try {
    const post = (path: string, body: BodyInit, type = 'application/json') =>
      fetch(`${hub.baseUrl}/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': type }, body });
    await post('/projects', JSON.stringify({ id: 'bench' }));
    await post('/projects/bench/datasets/penguins/versions', await readFile(join(ROOT, 'node_modules/vega-datasets/data/penguins.json')));
    // Warm-up (not measured): every worker started, tfjs loaded and the sources compiled in each.
    await measure(hub, 'warm-up', Number(workers) || 1);
    for (let rep = 1; rep <= REPS; rep++) {
      for (const c of concurrencies) {
        const m = await measure(hub, `c${c}-r${rep}`, c);
        const key = `workers ${workers}, concurrency ${c}`;
        results.set(key, [...(results.get(key) ?? []), m]);
        console.log(
          `workers ${workers.padEnd(2)} concurrency ${c}  rep ${rep}: search ${(m.totalMs / 1000).toFixed(2)} s (trials ${(m.trialsMs / 1000).toFixed(2)} s), ` +
            `API answers ${m.medianPollMs.toFixed(0)} ms median, ${m.slowestPollMs.toFixed(0)} ms slowest; best ${m.best}, model ${m.sha256}…`,
        );
      }
    }
  } finally {
    await hub.stop();
  }
}

console.log(`penguins, 8 random trials × ${EPOCHS} epochs (hiddenUnits 16, the default), then the best retrained; ${REPS} reps`);
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await session('2', [1, 2]);
await session('0', [1]);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [key, ms] of results) {
  const m = (f: (x: Measured) => number) => (median(ms.map(f)) / 1000).toFixed(2);
  console.log(`median of ${ms.length}, ${key}: search ${m((x) => x.totalMs)} s, trials ${m((x) => x.trialsMs)} s, API answers ${(median(ms.map((x) => x.medianPollMs))).toFixed(0)} ms median, ${(median(ms.map((x) => x.slowestPollMs))).toFixed(0)} ms slowest`);
}
