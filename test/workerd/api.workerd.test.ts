import { execFileSync } from 'node:child_process';
import { ROOT } from '../support/hub-process.ts';
import { defineApiSuite } from '../api/api-suite.ts';
import { startWorkerdHub } from './workerd-target.ts';

const MAX_DATASET_BYTES = 256 * 1024;

defineApiSuite('Workers (workerd, D1, R2)', async () => {
  const adminToken = `opa_${crypto.randomUUID().replaceAll('-', '')}`;
  const hub = await startWorkerdHub({
    OUTPOST_ADMIN_TOKEN: adminToken,
    // Made the way docs/workers.md says: `npm run -s keygen`.
    OUTPOST_SIGNING_KEY: execFileSync(process.execPath, ['--import', 'tsx', 'scripts/keygen.ts'], { cwd: ROOT, encoding: 'utf8' }).trim(),
    OUTPOST_MAX_DATASET_BYTES: String(MAX_DATASET_BYTES),
    // The suite serves files to import from this machine.
    OUTPOST_ALLOW_PRIVATE_IMPORTS: '1',
  });
  return { ...hub, adminToken, canTrain: false, maxDatasetBytes: MAX_DATASET_BYTES };
});
