import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, stopProcess, waitForOutput } from './hub-process.ts';

/** `npm start`'s process (hub + demo seeding + demo app) on a temp data dir and free ports. */
export async function startOutpost() {
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, OUTPOST_DATA_DIR: dataDir, PORT: '0', DEMO_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = await waitForOutput(child, /hub:\s+(http:\/\/localhost:\d+)[\s\S]*?(opa_[\w-]+)[\s\S]*?published in ([\d.]+) s[\s\S]*?Demo app:\s+(http:\/\/localhost:\d+)/, 120_000);
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    dataDir,
    hubUrl: m[1]!,
    adminToken: m[2]!,
    seedSeconds: Number(m[3]),
    demoUrl: m[4]!,
    async stop() {
      await stopProcess(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
