import { defineApiSuite } from './api-suite.ts';
import { defineRegistrySuite } from './registry-suite.ts';
import { defineRolloutSuite } from './rollout-suite.ts';
import { defineAlertSuite } from './alerts-suite.ts';
import { startNodeHub } from '../support/hub-process.ts';

const MAX_DATASET_BYTES = 256 * 1024;

defineApiSuite('Node (libSQL file database, filesystem blobs)', async () => {
  // The suite serves files to import from this machine.
  const hub = await startNodeHub({ OUTPOST_MAX_DATASET_BYTES: String(MAX_DATASET_BYTES), OUTPOST_ALLOW_PRIVATE_IMPORTS: '1' });
  return { ...hub, canTrain: true, maxDatasetBytes: MAX_DATASET_BYTES };
});

defineRegistrySuite('Node (keyring file)', async () => {
  const hub = await startNodeHub();
  return { ...hub, canTrain: true, maxDatasetBytes: MAX_DATASET_BYTES, keys: { from: 'file' } };
});

defineRolloutSuite('Node (libSQL file database)', async () => {
  const hub = await startNodeHub();
  return { ...hub, canTrain: true, maxDatasetBytes: MAX_DATASET_BYTES };
});

defineAlertSuite('Node (libSQL file database)', async () => {
  // No timer: the suite evaluates alerts and rollouts over the API, in that order, as the tick does.
  const hub = await startNodeHub({ OUTPOST_ROLLOUT_TICK_MS: '0' });
  return { ...hub, canTrain: true, maxDatasetBytes: MAX_DATASET_BYTES };
});
