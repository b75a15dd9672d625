import { HEALTH_LIMITS, type DeviceHealthReport, type InferenceRecord, type IngestBatch } from '@outpost/shared';
import { sha256Hex } from './sha256.ts';

const encoder = new TextEncoder();

/** Hex characters of a batch id. */
export const BATCH_ID_LENGTH = 32;

/**
 * The id of an upload: a hash of its record ids, in order. A retry of the same records (after a
 * timeout, a 5xx, a reload, or a keepalive fetch whose answer was never seen) sends the same id;
 * any other set of records gets another. `sentAt` and the health report are not part of it.
 * @example const batch = { deviceId, batchId: batchIdOf(records), records };
 */
export function batchIdOf(records: readonly InferenceRecord[]): string {
  return sha256Hex(records.map((r) => r.id).join('\n')).slice(0, BATCH_ID_LENGTH);
}

/** What goes with the records of an upload. `dropped`: the pipeline's drops by reason, cumulative (stats().dropped). */
export interface UploadEnvelope {
  deviceId: string;
  dropped: Readonly<Record<string, number>>;
}

/**
 * The health report for the hub: the model and the drops by reason, at most HEALTH_LIMITS.maxReasons
 * of them (the first counted), so that a report can never get an upload refused.
 */
function healthOf(model: string, dropped: Readonly<Record<string, number>>): DeviceHealthReport {
  const reasons = Object.entries(dropped).filter(([reason]) => HEALTH_LIMITS.reasonPattern.test(reason));
  return { model, dropped: Object.fromEntries(reasons.slice(0, HEALTH_LIMITS.maxReasons)) };
}

/**
 * The upload of `records` (at least one), sent at `sentAt` on the device clock: the hub corrects
 * record times by the difference to its own clock. A retry is built afresh, with a new `sentAt`
 * and the same batch id.
 * @example transport.send(uploadOf(records, { deviceId, dropped }, Math.round(clock.now())));
 */
export function uploadOf(records: InferenceRecord[], envelope: UploadEnvelope, sentAt: number): IngestBatch {
  return { deviceId: envelope.deviceId, batchId: batchIdOf(records), sentAt, health: healthOf(records[0]!.model, envelope.dropped), records };
}

/**
 * How many of `records`, from the first, fit one upload body of at most `maxBytes` (UTF-8 JSON of
 * uploadOf's batch, with room for a `sentAt` of any number of digits). 0 means the first record
 * alone is too big to ever upload.
 * @example const n = fitBatch(records, { deviceId, dropped, maxBytes: INGEST_LIMITS.maxBodyBytes });
 */
export function fitBatch(records: readonly InferenceRecord[], limits: UploadEnvelope & { maxBytes: number }): number {
  const first = records[0];
  if (!first) return 0;
  const envelope = { ...uploadOf([first], limits, Number.MAX_SAFE_INTEGER), batchId: '0'.repeat(BATCH_ID_LENGTH), records: [] };
  let bytes = encoder.encode(JSON.stringify(envelope)).length;
  let n = 0;
  for (const record of records) {
    bytes += encoder.encode(JSON.stringify(record)).length + (n > 0 ? 1 : 0);
    if (bytes > limits.maxBytes) break;
    n++;
  }
  return n;
}
