import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningHub {
  /** The process serving the hub (node itself, no shell or npm between): for /proc/<pid>/status. */
  pid: number;
  baseUrl: string;
  adminToken: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Wait for `pattern` on a child's stdout; rejects if the child exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolvePromise(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (seen += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${pattern}; output:\n${seen}`));
    });
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** The Node hub as a user runs it (`hub/src/entry/node.ts`) on a fresh temp data dir and a free port. */
export async function startNodeHub(env: Record<string, string> = {}): Promise<RunningHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-hub-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/src/entry/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, OUTPOST_DATA_DIR: dataDir, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, port, adminToken] = await waitForOutput(child, /http:\/\/localhost:(\d+)[\s\S]*?(opa_[A-Za-z0-9_-]+)/);
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    adminToken: adminToken!,
    dataDir,
    async stop() {
      await stopProcess(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
