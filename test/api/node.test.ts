import { defineApiSuite } from './api-suite.ts';
import { startNodeHub } from '../support/hub-process.ts';

const MAX_DATASET_BYTES = 256 * 1024;

defineApiSuite('Node (libSQL file database, filesystem blobs)', async () => {
  const hub = await startNodeHub({ OUTPOST_MAX_DATASET_BYTES: String(MAX_DATASET_BYTES) });
  return { ...hub, canTrain: true, maxDatasetBytes: MAX_DATASET_BYTES };
});
