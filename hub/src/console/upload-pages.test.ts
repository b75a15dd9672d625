import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHub, type NodeHub } from '../node/create-node-hub.ts';

// The console's "add a dataset version" page, through the real app, logged in as a person.

let hub: NodeHub;
let dataDir: string;
let session: string;
let server: Server;
let fileServer: string;
const MAX = 64 * 1024;

const api = (path: string) => hub.app.request(path, { headers: { authorization: `Bearer ${hub.adminToken}` } });
const post = (fields: Record<string, string | File>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return hub.app.request('/console/projects/demo/upload', { method: 'POST', body: form, headers: { cookie: session } });
};
const versions = async (dataset: string) => {
  const res = await api(`/v1/projects/demo/datasets/${dataset}/versions`);
  return res.status === 404 ? [] : ((await res.json()) as { versions: { version: number; rowCount: number; author: string; message: string | null; columns: { name: string; type: string }[]; operation: { params: Record<string, unknown> } }[] }).versions;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outpost-console-upload-'));
  hub = await createNodeHub({ dataDir, databaseUrl: ':memory:', limits: { maxDatasetBytes: MAX, allowPrivateImports: true } });
  const created = await hub.app.request('/v1/projects', { method: 'POST', body: JSON.stringify({ id: 'demo' }), headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' } });
  expect(created.status).toBe(201);
  const login = await hub.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ token: hub.adminToken!, name: 'ana' }) });
  session = login.headers.get('set-cookie')!.split(';')[0]!;
  server = createServer((req, res) => (req.url === '/islands.tsv' ? res.writeHead(200, { 'content-type': 'text/tab-separated-values' }).end('island\tn\nBiscoe\t3\nDream\t4\n') : res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fileServer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  hub?.close();
  await new Promise((r) => server?.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

describe('console: add a dataset version', () => {
  it('is linked from the overview and shows the form', async () => {
    expect(await (await hub.app.request('/console', { headers: { cookie: session } })).text()).toContain('href="/console/projects/demo/upload"');
    const html = await (await hub.app.request('/console/projects/demo/upload?dataset=penguins', { headers: { cookie: session } })).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/name="dataset" value="penguins"/);
  });

  it('uploads a file as a new version with the person as author, and goes to its page', async () => {
    const file = new File(['species,mass,seen\nAdelie,3750,2024-01-02\nGentoo,5000,2024-01-03\n'], 'penguins.csv', { type: 'text/csv' });
    const res = await post({ dataset: 'penguins', file, types: 'mass:number', message: 'first count' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/projects/demo/datasets/penguins/versions/1');
    const [v] = await versions('penguins');
    expect(v).toMatchObject({ version: 1, rowCount: 2, author: 'console:ana', message: 'first count', operation: { params: { format: 'csv', types: { mass: 'number' } } } });
    expect(v!.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['species:categorical', 'mass:number', 'seen:datetime']);
    const page = await (await hub.app.request(res.headers.get('location')!, { headers: { cookie: session } })).text();
    // The datetime column's statistics read as dates, not epoch milliseconds.
    expect(page).toMatch(/data-column="seen"[\s\S]*?<span class="muted">datetime<\/span>[\s\S]*?<td>2024-01-02<\/td>[\s\S]*?<td>0\.5 d<\/td>/);
  });

  it('imports a URL the hub fetches, recording it', async () => {
    const res = await post({ dataset: 'islands', url: `${fileServer}/islands.tsv` });
    expect(res.status).toBe(303);
    expect((await versions('islands'))[0]).toMatchObject({ rowCount: 2, operation: { params: { format: 'tsv', url: `${fileServer}/islands.tsv` } } });
  });

  it('refuses bad input naming the field, keeps what was typed, and stores nothing', async () => {
    const cases: [Record<string, string | File>, number, string][] = [
      [{ dataset: 'x' }, 400, 'file'],
      [{ dataset: 'x', url: `${fileServer}/islands.tsv`, file: new File(['a\n1\n'], 'a.csv') }, 400, 'url'],
      [{ dataset: 'bad name!', url: `${fileServer}/islands.tsv` }, 400, 'dataset'],
      [{ dataset: 'x', file: new File(['a\n1\n'], 'a.txt') }, 400, 'format'],
      [{ dataset: 'x', file: new File(['a\n1\n'], 'a.csv'), types: 'a:wide' }, 400, 'types'],
      [{ dataset: 'x', file: new File(['a,b\n1\n'], 'a.csv') }, 400, ''],
      [{ dataset: 'x', url: `${fileServer}/missing.csv` }, 400, 'url'],
      [{ dataset: 'x', file: new File([new Uint8Array(MAX + 1).fill(65)], 'big.csv') }, 413, ''],
    ];
    for (const [fields, status, field] of cases) {
      const res = await post(fields);
      const html = await res.text();
      expect(res.status, JSON.stringify(Object.keys(fields))).toBe(status);
      if (field) expect(html).toContain(`data-path="${field}"`);
      if (typeof fields.dataset === 'string' && status === 400) expect(html).toContain(`value="${fields.dataset}"`);
    }
    expect(await versions('x')).toEqual([]);
    const ragged = await post({ dataset: 'x', file: new File(['a,b\n1\n'], 'a.csv') });
    expect(await ragged.text()).toContain('malformed CSV: row 1: expected 2 fields, got 1');
  });
});
