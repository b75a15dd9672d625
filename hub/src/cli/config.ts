import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CliConfig {
  hubUrl?: string;
  token?: string;
  project?: string;
}

/** `$OUTPOST_CONFIG`, else `$XDG_CONFIG_HOME/outpost/config.json`, else `~/.config/outpost/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.OUTPOST_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'outpost', 'config.json');
}

export async function loadConfig(path = configPath()): Promise<CliConfig> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CliConfig;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Saved readable by the user only: it holds the admin token. */
export async function saveConfig(config: CliConfig, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
}
