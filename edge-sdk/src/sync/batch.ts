import type { InferenceRecord } from '@outpost/shared';
import { sha256Hex } from './sha256.ts';

const encoder = new TextEncoder();

/** Hex characters of a batch id. */
export const BATCH_ID_LENGTH = 32;

/**
 * The id of an upload: a hash of its record ids, in order. A retry of the same records (after a
 * timeout, a 5xx, a reload, or a keepalive fetch whose answer was never seen) sends the same id;
 * any other set of records gets another.
 * @example const batch = { deviceId, batchId: batchIdOf(records), records };
 */
export function batchIdOf(records: readonly InferenceRecord[]): string {
  return sha256Hex(records.map((r) => r.id).join('\n')).slice(0, BATCH_ID_LENGTH);
}

/**
 * How many of `records`, from the first, fit one upload body of at most `maxBytes` (UTF-8 JSON of
 * `{deviceId, batchId, records}`). 0 means the first record alone is too big to ever upload.
 * @example const n = fitBatch(records, { deviceId, maxBytes: INGEST_LIMITS.maxBodyBytes });
 */
export function fitBatch(records: readonly InferenceRecord[], limits: { deviceId: string; maxBytes: number }): number {
  let bytes = encoder.encode(JSON.stringify({ deviceId: limits.deviceId, batchId: '0'.repeat(BATCH_ID_LENGTH), records: [] })).length;
  let n = 0;
  for (const record of records) {
    bytes += encoder.encode(JSON.stringify(record)).length + (n > 0 ? 1 : 0);
    if (bytes > limits.maxBytes) break;
    n++;
  }
  return n;
}
