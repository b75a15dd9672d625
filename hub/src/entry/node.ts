import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createNodeHub } from '../node/create-node-hub.ts';
import { closeOnSignals } from '../node/shutdown.ts';

// `npm start -w hub` / `node --import tsx hub/src/entry/node.ts`: the hub alone.
const dataDir = resolve(process.env.OUTPOST_DATA_DIR ?? '.outpost');
const port = Number(process.env.PORT ?? 8787);
const maxDatasetBytes = process.env.OUTPOST_MAX_DATASET_BYTES ? Number(process.env.OUTPOST_MAX_DATASET_BYTES) : undefined;
const allowPrivateImports = process.env.OUTPOST_ALLOW_PRIVATE_IMPORTS === '1';
const hub = await createNodeHub({ dataDir, limits: { ...(maxDatasetBytes ? { maxDatasetBytes } : {}), allowPrivateImports } });

const server = serve({ fetch: hub.app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`Outpost hub on http://localhost:${info.port} (console: /console, data: ${dataDir})`);
  if (hub.adminToken) {
    console.log(`\nAdmin token (shown once, stored hashed; keep it):\n\n  ${hub.adminToken}\n`);
  }
});

// A stop (`docker stop`, Ctrl-C) lets requests in flight finish and closes the database first.
closeOnSignals([server], () => hub.close());
