import { execFileSync } from 'node:child_process';
import { ROOT } from '../support/hub-process.ts';
import { defineApiSuite } from '../api/api-suite.ts';
import { defineRegistrySuite } from '../api/registry-suite.ts';
import { defineRolloutSuite, ROLLOUT_SEED_SQL } from '../api/rollout-suite.ts';
import { defineAlertSuite } from '../api/alerts-suite.ts';
import { base64UrlDecode, keyIdOf } from '@outpost/shared';
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

defineRegistrySuite('Workers (keys from secrets)', async () => {
  const adminToken = `opa_${crypto.randomUUID().replaceAll('-', '')}`;
  // Rotation as docs/workers.md describes it: keys oldest first, the active one named by id.
  const jwks = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/keygen.ts'], { cwd: ROOT, encoding: 'utf8' })) as JsonWebKey);
  const ids = await Promise.all(jwks.map((j) => keyIdOf(base64UrlDecode(j.x!))));
  const hub = await startWorkerdHub({ OUTPOST_ADMIN_TOKEN: adminToken, OUTPOST_SIGNING_KEYS: JSON.stringify(jwks), OUTPOST_SIGNING_KEY_ID: ids[1]! });
  const expectedKeys = [
    { keyId: ids[1]!, status: 'active' as const },
    { keyId: ids[2]!, status: 'next' as const },
    { keyId: ids[0]!, status: 'retired' as const },
  ];
  return { ...hub, adminToken, canTrain: false, maxDatasetBytes: MAX_DATASET_BYTES, keys: { from: 'secrets', expectedKeys } };
});

/** A Workers hub seeded with models (Workers cannot register them), whose cron trigger tests can fire. */
async function seededCronHub() {
  const adminToken = `opa_${crypto.randomUUID().replaceAll('-', '')}`;
  const hub = await startWorkerdHub(
    { OUTPOST_ADMIN_TOKEN: adminToken, OUTPOST_SIGNING_KEY: execFileSync(process.execPath, ['--import', 'tsx', 'scripts/keygen.ts'], { cwd: ROOT, encoding: 'utf8' }).trim() },
    { seedSql: ROLLOUT_SEED_SQL },
  );
  // `wrangler dev --test-scheduled`: this path runs the Worker's `scheduled` handler, as the cron trigger does.
  const tick = async () => {
    const res = await fetch(`${hub.baseUrl}/__scheduled?cron=${encodeURIComponent('* * * * *')}`);
    if (!res.ok) throw new Error(`/__scheduled answered ${res.status}`);
  };
  return { ...hub, adminToken, canTrain: false, maxDatasetBytes: MAX_DATASET_BYTES, preseeded: true, tick };
}

defineRolloutSuite('Workers (workerd, D1, cron trigger)', seededCronHub);
defineAlertSuite('Workers (workerd, D1, cron trigger)', seededCronHub);
