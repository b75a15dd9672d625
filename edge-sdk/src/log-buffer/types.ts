import type { InferenceRecord } from '@outpost/shared';

/**
 * A durable FIFO of inference records waiting for upload, with a bounded quarantine for batches the
 * hub refused. A record leaves the queue through `remove` (after the hub answered 2xx for its batch,
 * or into the quarantine) or through `trim` (the queue's bounds). Byte sizes are the UTF-8 length of
 * each record's JSON (`recordBytes`), kept as a running total so checking the bounds is cheap.
 * @example createOutpost({ ...options, logBuffer: createMemoryLogBuffer() }); // from '@outpost/edge-sdk/testing'
 */
export interface LogBuffer {
  /** Add records at the end, in order. A record whose id is already queued is skipped. */
  append(records: readonly InferenceRecord[]): Promise<void>;
  /** The oldest `limit` records, oldest first, without removing them. */
  peek(limit: number): Promise<InferenceRecord[]>;
  /**
   * Remove records by id; unknown ids are ignored. With `quarantine`, move them to the quarantine
   * instead, which keeps the newest `QUARANTINE_LIMIT` records and forgets older ones.
   */
  remove(ids: readonly string[], quarantine?: { reason: string; at: number }): Promise<void>;
  /**
   * Enforce the bounds, oldest first: drop records created before `createdBefore` (counted `expired`;
   * the walk stops at the first younger record), then the oldest while the total exceeds `maxBytes`
   * (counted `full`). Records in `keep` (an upload in flight) are never dropped.
   */
  trim(bounds: TrimBounds): Promise<TrimResult>;
  /** What is queued and quarantined now. */
  size(): Promise<BufferSize>;
  /** The newest `limit` quarantined records, newest first. */
  quarantined(limit: number): Promise<QuarantinedRecord[]>;
}

/** @example await buffer.trim({ maxBytes: 5 * 1024 * 1024, createdBefore: Date.now() - 7 * 86_400_000 }); */
export interface TrimBounds {
  maxBytes: number;
  /** Epoch ms; records created earlier have expired. */
  createdBefore: number;
  keep?: ReadonlySet<string>;
}

export interface TrimResult {
  /** Dropped because the queue was over `maxBytes`. */
  full: number;
  /** Dropped because they were older than `createdBefore`. */
  expired: number;
}

export interface BufferSize {
  count: number;
  bytes: number;
  /** `createdAt` of the oldest queued record; absent when the queue is empty. */
  oldestCreatedAt?: number;
  quarantined: number;
}

/** A record the hub refused (a 4xx other than 401/403/408/413/429), kept for inspection, never retried. */
export interface QuarantinedRecord {
  record: InferenceRecord;
  /** e.g. `rejected_400`. */
  reason: string;
  /** Epoch ms when it was quarantined. */
  at: number;
}

/** Most records the quarantine holds; older ones are forgotten (they were counted when quarantined). */
export const QUARANTINE_LIMIT = 1_000;

/**
 * UTF-8 byte length of a record's JSON: what it costs in an upload body. Counted by hand, because
 * `TextEncoder` would allocate a copy of every record on the append path.
 * @example recordBytes(record) // 412
 */
export function recordBytes(record: InferenceRecord): number {
  const json = JSON.stringify(record);
  // Most records are all ASCII, one byte per code unit: a native regex scan finds that out in a
  // third of the time of the loop below (the append path runs this for every record).
  if (!NON_ASCII.test(json)) return json.length;
  let bytes = json.length;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair (JSON.stringify escapes lone ones): 4 bytes for 2 code units.
      bytes += 2;
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

const NON_ASCII = /[^\x00-\x7f]/;
