import { generateSigningJwk } from '../../hub/src/registry/signing-keys.ts';
import { defineApiSuite } from '../api/api-suite.ts';
import { startWorkerdHub } from './workerd-target.ts';

const MAX_DATASET_BYTES = 256 * 1024;

defineApiSuite('Workers (workerd, D1, R2)', async () => {
  const adminToken = `opa_${crypto.randomUUID().replaceAll('-', '')}`;
  const hub = await startWorkerdHub({
    OUTPOST_ADMIN_TOKEN: adminToken,
    OUTPOST_SIGNING_KEY: JSON.stringify(await generateSigningJwk()),
    OUTPOST_MAX_DATASET_BYTES: String(MAX_DATASET_BYTES),
  });
  return { ...hub, adminToken, canTrain: false, maxDatasetBytes: MAX_DATASET_BYTES };
});
