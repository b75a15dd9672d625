// `npm start`: the hub (API + console) on the embedded database, the demo project seeded on
// first start (upload penguins, train, publish), and the demo app. One process, Ctrl-C stops all.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createNodeHub } from '../hub/src/node/create-node-hub.ts';
import { createHubClient } from '../hub/src/cli/client.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.OUTPOST_DATA_DIR ?? join(ROOT, '.outpost'));
const hubPort = Number(process.env.PORT ?? 8787);
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
const demoDist = join(ROOT, 'demo-app/dist');
const demoConfigPath = join(dataDir, 'demo-app.json');

function listen(fetch: (req: Request) => Response | Promise<Response>, port: number): Promise<number> {
  return new Promise((r) => serve({ fetch, port, hostname: '127.0.0.1' }, (info) => r(info.port)));
}

const started = performance.now();
const hub = await createNodeHub({ dataDir });
const hubUrlPort = await listen(hub.app.fetch, hubPort);
const hubUrl = `http://localhost:${hubUrlPort}`;
console.log(`Outpost hub:     ${hubUrl}  (console ${hubUrl}/console, API reference ${hubUrl}/console/api)`);
console.log(`Data directory:  ${dataDir}`);
if (hub.adminToken) console.log(`\nAdmin token (shown once, stored hashed; log in to the console with it):\n\n  ${hub.adminToken}\n`);

if (!existsSync(demoConfigPath)) {
  if (!hub.adminToken) {
    console.error(`The demo project was never seeded in ${dataDir}. Remove that folder to start over.`);
  } else {
    // The demo project goes through the public API, like any user of the hub.
    const api = createHubClient({ hubUrl, token: hub.adminToken });
    const { projectKey } = await api.createProject('demo');
    const penguins = await readFile(join(ROOT, 'node_modules/vega-datasets/data/penguins.json'));
    await api.pushDataset('demo', 'penguins', new Uint8Array(penguins), 'application/json');
    const queued = await api.train('demo', 'penguins', { dataset: 'penguins', label: 'Species' });
    const run = await api.waitForRun('demo', queued.id, undefined, 100);
    if (run.status !== 'succeeded') throw new Error(`demo training failed: ${run.error?.message}`);
    await api.publish('demo', 'penguins', run.modelVersion!);
    const { keys } = await api.signingKeys();
    const config = { hubUrl, projectKey, model: 'penguins', trustedKeys: keys };
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
