import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, stopProcess, waitForOutput } from './hub-process.ts';

/** A Node hub that a test can kill outright and start again on the same port and data dir. */
export interface RestartableHub {
  baseUrl: string;
  adminToken: string;
  dataDir: string;
  /** SIGKILL: no shutdown, whatever the hub was doing is cut off where it stood. */
  kill(): Promise<void>;
  /** Start it again on the same port and data folder (resolves once it listens). */
  restart(): Promise<void>;
  /** Stop it and remove its data folder. */
  stop(): Promise<void>;
}

/**
 * `hub/src/entry/node.ts` as a user runs it, on a fresh temp data dir; the first start takes a free
 * port, every restart reuses it, so a client keeps the same URL across the outage.
 * @example const hub = await startRestartableHub(); await hub.kill(); await hub.restart();
 */
export async function startRestartableHub(): Promise<RestartableHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-hub-'));
  const launch = (port: number) =>
    spawn(process.execPath, ['--import', 'tsx', 'hub/src/entry/node.ts'], {
      cwd: ROOT,
      env: { ...process.env, OUTPOST_DATA_DIR: dataDir, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let child: ChildProcess = launch(0);
  const [, port, adminToken] = await waitForOutput(child, /http:\/\/localhost:(\d+)[\s\S]*?(opa_[A-Za-z0-9_-]+)/);
  const drain = (c: ChildProcess) => {
    c.stdout?.resume();
    c.stderr?.resume();
  };
  drain(child);
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    adminToken: adminToken!,
    dataDir,
    async kill() {
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    },
    async restart() {
      await exited(child);
      child = launch(Number(port));
      // A restart prints no admin token (it was shown once, on the first start).
      await waitForOutput(child, /http:\/\/localhost:\d+/);
      drain(child);
    },
    async stop() {
      await stopProcess(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
