import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/hub-process.ts';

// The Workers build bundles only what Workers can run: the model runtime (protobufjs,
// onnxruntime-web) is a Node dependency injected by its entry (HubDeps.models), not imported by routes.
describe('the Workers bundle', () => {
  it('leaves out onnxruntime-web and protobufjs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outpost-bundle-'));
    try {
      const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };
      await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', dir, '--metafile'], { cwd: ROOT, env });
      const meta = JSON.parse(await readFile(join(dir, 'bundle-meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
      const heavy = Object.keys(meta.inputs).filter((p) => /node_modules\/(onnxruntime-web|onnxruntime-common|protobufjs)\//.test(p));
      expect(heavy).toEqual([]);
      // About 2.7 MB without them (3.5 MB with); a generous ceiling that catches the next heavy import.
      expect((await stat(join(dir, 'worker.js'))).size).toBeLessThan(3_200_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
