// `npm run docs:api`: write docs/api.md from the hub's route schemas. `--check` fails when it is stale.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeHub } from '../hub/src/node/create-node-hub.ts';
import { openApiToMarkdown } from '../hub/src/console/api-markdown.ts';

const target = resolve(import.meta.dirname, '../docs/api.md');
const dataDir = await mkdtemp(join(tmpdir(), 'outpost-docs-'));
try {
  const hub = await createNodeHub({ dataDir, databaseUrl: ':memory:' });
  const res = await hub.app.request('/v1/openapi.json', { headers: { authorization: `Bearer ${hub.adminToken}` } });
  const markdown = openApiToMarkdown(await res.json());
  hub.close();
  if (process.argv.includes('--check')) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== markdown) {
      console.error('docs/api.md does not match the route schemas: run `npm run docs:api`.');
      process.exitCode = 1;
    } else console.log('docs/api.md is up to date.');
  } else {
    await writeFile(target, markdown);
    console.log(`wrote ${target}`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
