import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The git commit the hub runs from and whether the tree has uncommitted changes, recorded with
 * every training run; null outside a git checkout (or without git). A caller can supply its own
 * version per run instead (a CI build number, a package version).
 */
export async function gitCodeVersion(cwd: string = process.cwd()): Promise<{ commit: string; dirty: boolean } | null> {
  const git = (...args: string[]) => promisify(execFile)('git', args, { cwd, timeout: 5000 }).then((r) => r.stdout.trim());
  try {
    const commit = await git('rev-parse', 'HEAD');
    const dirty = (await git('status', '--porcelain', '--untracked-files=no')) !== '';
    return /^[0-9a-f]{40}$/.test(commit) ? { commit, dirty } : null;
  } catch {
    return null;
  }
}
