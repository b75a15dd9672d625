import { readFile } from 'node:fs/promises';

/**
 * The kB fields of /proc/<pid>/status (Linux): VmRSS is the resident set now, VmHWM its peak over
 * the process's life ("high water mark"). See proc(5).
 */
export async function procStatusKiB(pid: number): Promise<{ VmRSS: number; VmHWM: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const m = status.match(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm'));
    if (!m) throw new Error(`no ${name} in /proc/${pid}/status (Linux only)`);
    return Number(m[1]);
  };
  return { VmRSS: field('VmRSS'), VmHWM: field('VmHWM') };
}
