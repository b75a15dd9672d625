import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, waitForOutput } from '../support/hub-process.ts';

// `docker stop` and Ctrl-C: the Node hub closes its listener, its tick and its database and exits 0.
describe('the Node hub on SIGTERM and SIGINT', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}, its writes in the database`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'outpost-shutdown-'));
      dirs.push(dataDir);
      const child = spawn(process.execPath, ['--import', 'tsx', 'hub/src/entry/node.ts'], { cwd: ROOT, env: { ...process.env, OUTPOST_DATA_DIR: dataDir, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const [, port, adminToken] = await waitForOutput(child, /http:\/\/localhost:(\d+)[\s\S]*?(opa_[A-Za-z0-9_-]+)/);
      const created = await fetch(`http://127.0.0.1:${port}/v1/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'kept' }),
      });
      expect(created.status).toBe(201);

      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
      child.kill(signal);
      expect(await exited).toEqual({ code: 0, signal: null });

      // No rollback journal left behind, and the project is there.
      expect((await readdir(dataDir)).filter((f) => f.endsWith('-journal'))).toEqual([]);
      const db = createClient({ url: `file:${join(dataDir, 'hub.db')}` });
      try {
        expect((await db.execute("select id from projects where id = 'kept'")).rows.length).toBe(1);
      } finally {
        db.close();
      }
    });
  }

  it("`npm start`'s process (hub, demo seeding, demo app) exits 0 on SIGTERM too", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'outpost-shutdown-start-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env: { ...process.env, OUTPOST_DATA_DIR: dataDir, PORT: '0', DEMO_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The demo seeded (the demo app itself is served only once demo-app is built: test:e2e builds it).
    await waitForOutput(child, /published in [\d.]+ s/, 120_000);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect((await readdir(dataDir)).filter((f) => f.endsWith('-journal'))).toEqual([]);
  }, 150_000);
});
