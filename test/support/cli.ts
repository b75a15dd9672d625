import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './hub-process.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `outpost` CLI as a user runs it (hub/bin/outpost.js in a fresh Node), in `dir()` with its
 * config file there; resolves with the exit code and both streams, never rejects.
 * @example const outpost = cliIn(() => dir); await outpost('projects', 'list');
 */
export function cliIn(dir: () => string): (...args: string[]) => Promise<CliResult> {
  return (...args) =>
    new Promise((resolve) => {
      execFile(process.execPath, [join(ROOT, 'hub/bin/outpost.js'), ...args], { cwd: dir(), env: { ...process.env, OUTPOST_CONFIG: join(dir(), 'config.json') } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
}
