import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { ROOT, stopProcess, waitForOutput } from '../support/hub-process.ts';

const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
// Offline and quiet: no telemetry, no Cloudflare lookups (see STACK.md).
const ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * The Workers build (hub/src/entry/worker.ts per wrangler.toml) in real workerd via `wrangler dev`,
 * on a fresh local D1 (migrated with `wrangler d1 migrations apply`) and R2.
 */
export async function startWorkerdHub(vars: Record<string, string>, options: { seedSql?: string } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-workerd-'));
  const persist = join(dir, 'state');
  await promisify(execFile)(process.execPath, [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    cwd: ROOT,
    env: ENV,
  });
  if (options.seedSql) {
    // Rows a Workers hub cannot make through its API (model versions: no ONNX runtime there).
    const seed = join(dir, 'seed.sql');
    await writeFile(seed, options.seedSql);
    await promisify(execFile)(process.execPath, [WRANGLER, 'd1', 'execute', 'DB', '--local', '--persist-to', persist, '--file', seed, '--yes'], { cwd: ROOT, env: ENV });
  }
  const envFile = join(dir, '.env');
  await writeFile(envFile, Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join('\n'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist, '--env-file', envFile, '--show-interactive-dev-session=false', '--log-level', 'warn', '--test-scheduled'],
    { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  // wrangler at log level warn prints little: poll health until workerd answers.
  const exited = waitForOutput(child, /a^/, 120_000).catch((e: Error) => e);
  for (let i = 0; ; i++) {
    const res = await fetch(`${baseUrl}/health`).catch(() => undefined);
    if (res?.ok) break;
    if (child.exitCode !== null) throw await exited;
    if (i > 240) throw new Error('workerd did not answer /health within 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    baseUrl,
    async stop() {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
