import type { InferenceRecord } from '@outpost/shared';

const encoder = new TextEncoder();

/**
 * How many of `records`, from the first, fit one upload body of at most `maxBytes` (UTF-8 JSON of
 * `{deviceId, records}`). 0 means the first record alone is too big to ever upload.
 * @example const n = fitBatch(records, { deviceId, maxBytes: INGEST_LIMITS.maxBodyBytes });
 */
export function fitBatch(records: readonly InferenceRecord[], limits: { deviceId: string; maxBytes: number }): number {
  let bytes = encoder.encode(JSON.stringify({ deviceId: limits.deviceId, records: [] })).length;
  let n = 0;
  for (const record of records) {
    bytes += encoder.encode(JSON.stringify(record)).length + (n > 0 ? 1 : 0);
    if (bytes > limits.maxBytes) break;
    n++;
  }
  return n;
}
