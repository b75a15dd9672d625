// `npm start`: the hub (API + console) on the embedded database, the demo project seeded on
// first start (upload penguins, train two versions, publish the first, roll the second out to
// half of the devices), and the demo app. One process, Ctrl-C stops all.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createNodeHub } from '../hub/src/node/create-node-hub.ts';
import { closeOnSignals } from '../hub/src/node/shutdown.ts';
import { createHubClient, type HubClient } from '../hub/src/cli/client.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.OUTPOST_DATA_DIR ?? join(ROOT, '.outpost'));
const hubPort = Number(process.env.PORT ?? 8787);
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
const demoDist = join(ROOT, 'demo-app/dist');
const demoConfigPath = join(dataDir, 'demo-app.json');

const servers: ReturnType<typeof serve>[] = [];
function listen(fetch: (req: Request) => Response | Promise<Response>, port: number): Promise<number> {
  return new Promise((r) => servers.push(serve({ fetch, port, hostname: '127.0.0.1' }, (info) => r(info.port))));
}

const started = performance.now();
const hub = await createNodeHub({ dataDir });
const hubUrlPort = await listen(hub.app.fetch, hubPort);
// Ctrl-C: requests in flight finish and the database is closed before the process exits.
closeOnSignals(servers, () => hub.close());
const hubUrl = `http://localhost:${hubUrlPort}`;
console.log(`Outpost hub:     ${hubUrl}  (console ${hubUrl}/console, API reference ${hubUrl}/console/api)`);
console.log(`Data directory:  ${dataDir}`);
if (hub.adminToken) console.log(`\nAdmin token (shown once, stored hashed; log in to the console with it):\n\n  ${hub.adminToken}\n`);
// What apps put in trustedKeys: the active key and any next one (outpost keys create / activate rotate them).
for (const k of (await hub.deps.keys.list()).filter((key) => key.status !== 'retired')) {
  console.log(`Trusted key:     { "keyId": "${k.keyId}", "publicKey": "${k.publicKey}" }  (${k.status})`);
}

/**
 * The demo's rollout: the second version on half of the devices (stage 50 % for a day, then 100 %
 * if the guards hold), so both versions are live. Starts it only when no rollout has been started.
 */
async function seedRollout(api: HubClient, version: number) {
  const current = await api.getRollout('demo', 'penguins');
  if (current.policy.state !== 'idle') return;
  await api.rolloutAction('demo', 'penguins', 'start', { version, stages: [50, 100], stageMinutes: 24 * 60, reason: 'demo: a retrained model on half of the devices' });
  console.log(`Demo rollout:    penguins v${version} on 50 % of devices, v${current.production} on the rest (console ${hubUrl}/console/projects/demo/models/penguins/rollout)`);
}

if (!existsSync(demoConfigPath)) {
  if (!hub.adminToken) {
    console.error(`The demo project was never seeded in ${dataDir}. Remove that folder to start over.`);
  } else {
    // The demo project goes through the public API, like any user of the hub.
    const api = createHubClient({ hubUrl, token: hub.adminToken });
    const { projectKey } = await api.createProject('demo');
    const penguins = await readFile(join(ROOT, 'node_modules/vega-datasets/data/penguins.json'));
    await api.pushDataset('demo', 'penguins', new Uint8Array(penguins), 'application/json');
    const trained = async (settings: Record<string, unknown>) => {
      const queued = await api.train('demo', 'penguins', { dataset: 'penguins', label: 'Species', ...settings });
      const done = await api.waitForRun('demo', queued.id, undefined, 100);
      if (done.status !== 'succeeded') throw new Error(`demo training failed: ${done.error?.message}`);
      return done;
    };
    // Two versions, both trained before either is published (so neither is gated against the other).
    const run = await trained({});
    const retrained = await trained({ seed: 7, notes: 'retrained: the demo rollout candidate' });
    await api.publish('demo', 'penguins', run.modelVersion!);
    await seedRollout(api, retrained.modelVersion!);
    const { keys } = await api.signingKeys();
    const trustedKeys = keys.filter((k) => k.status !== 'retired').map(({ keyId, publicKey }) => ({ keyId, publicKey }));
    const config = { hubUrl, projectKey, model: 'penguins', trustedKeys };
    await writeFile(demoConfigPath, JSON.stringify(config, null, 2), { mode: 0o600 });
    const acc = ((run.metrics?.validationAccuracy ?? 0) * 100).toFixed(1);
    console.log(`Demo model:      penguins v${run.modelVersion} trained (validation accuracy ${acc} %) and published in ${((performance.now() - started) / 1000).toFixed(1)} s since start`);
  }
}

if (!existsSync(join(demoDist, 'index.html'))) {
  console.error('demo-app/dist is missing: run `npm run build -w demo-app` (npm start does it for you).');
} else {
  const demo = new Hono();
  // The app's hub URL, project key and trusted keys, from the seeding above.
  demo.get('/outpost-config.json', async (c) => c.body(await readFile(demoConfigPath, 'utf8'), 200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }));
  demo.use('/sw.js', async (c, next) => {
    await next();
    c.header('cache-control', 'no-cache');
  });
  demo.use('*', serveStatic({ root: demoDist, rewriteRequestPath: (p) => p }));
  demo.get('*', serveStatic({ path: join(demoDist, 'index.html') }));
  const port = await listen(demo.fetch, demoPort);
  console.log(`Demo app:        http://localhost:${port}`);
}
