import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, waitForOutput } from '../support/hub-process.ts';

// `docker stop` and Ctrl-C: the Node hub closes its listener, its tick and its database and exits 0.
describe('the Node hub on SIGTERM and SIGINT', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** `script` on a fresh data dir and free ports, as a user runs it. */
  async function start(script: string): Promise<{ child: ChildProcess; dataDir: string }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'outpost-shutdown-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, OUTPOST_DATA_DIR: dataDir, PORT: '0', DEMO_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return { child, dataDir };
  }

  /** Send `signal`; how the process ended, and the rollback journals left in `dataDir` (none after a clean close). */
  async function stop(child: ChildProcess, signal: NodeJS.Signals, dataDir: string) {
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
    child.kill(signal);
    return { exit: await exited, journals: (await readdir(dataDir)).filter((f) => f.endsWith('-journal')) };
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}, its writes in the database`, async () => {
      const { child, dataDir } = await start('hub/src/entry/node.ts');
      const [, port, adminToken] = await waitForOutput(child, /http:\/\/localhost:(\d+)[\s\S]*?(opa_[A-Za-z0-9_-]+)/);
      const created = await fetch(`http://127.0.0.1:${port}/v1/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'kept' }),
      });
      expect(created.status).toBe(201);

      // Exits 0, no rollback journal left behind, and the project is there.
      expect(await stop(child, signal, dataDir)).toEqual({ exit: { code: 0, signal: null }, journals: [] });
      const db = createClient({ url: `file:${join(dataDir, 'hub.db')}` });
      try {
        expect((await db.execute("select id from projects where id = 'kept'")).rows.length).toBe(1);
      } finally {
        db.close();
      }
    });
  }

  it("`npm start`'s process (hub, demo seeding, demo app) exits 0 on SIGTERM too", async () => {
    const { child, dataDir } = await start('scripts/start.ts');
    // The demo seeded (the demo app itself is served only once demo-app is built: test:e2e builds it).
    await waitForOutput(child, /published in [\d.]+ s/, 120_000);
    expect(await stop(child, 'SIGTERM', dataDir)).toEqual({ exit: { code: 0, signal: null }, journals: [] });
  }, 150_000);
});
