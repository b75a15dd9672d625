import type { InferenceRecord } from '@outpost/shared';
import { QUARANTINE_LIMIT, recordBytes, type LogBuffer, type QuarantinedRecord } from './types.ts';

/**
 * A LogBuffer in memory: records survive neither a reload nor `close()`. The fallback where
 * IndexedDB is unavailable, and a fake for tests.
 * @example const buffer = createMemoryLogBuffer(); await buffer.append([record]);
 */
export function createMemoryLogBuffer(): LogBuffer {
  // Map keeps insertion order, which is upload order.
  const records = new Map<string, { record: InferenceRecord; bytes: number }>();
  const quarantine: QuarantinedRecord[] = [];
  let bytes = 0;

  function drop(id: string): InferenceRecord | undefined {
    const entry = records.get(id);
    if (!entry) return undefined;
    records.delete(id);
    bytes -= entry.bytes;
    return entry.record;
  }

  return {
    async append(batch) {
      for (const record of batch) {
        if (records.has(record.id)) continue;
        const size = recordBytes(record);
        records.set(record.id, { record, bytes: size });
        bytes += size;
      }
    },
    async peek(limit) {
      const out: InferenceRecord[] = [];
      for (const { record } of records.values()) {
        if (out.length >= limit) break;
        out.push(record);
      }
      return out;
    },
    async remove(ids, into) {
      for (const id of ids) {
        const record = drop(id);
        if (record && into) quarantine.push({ record, reason: into.reason, at: into.at });
      }
      if (quarantine.length > QUARANTINE_LIMIT) quarantine.splice(0, quarantine.length - QUARANTINE_LIMIT);
    },
    async trim({ maxBytes, createdBefore, keep }) {
      let full = 0;
      let expired = 0;
      let ageDone = false;
      for (const [id, entry] of records) {
        if (keep?.has(id)) continue;
        if (!ageDone && entry.record.createdAt < createdBefore) {
          drop(id);
          expired++;
          continue;
        }
        ageDone = true;
        if (bytes <= maxBytes) break;
        drop(id);
        full++;
      }
      return { full, expired };
    },
    async size() {
      const oldest = records.values().next().value?.record.createdAt;
      return { count: records.size, bytes, ...(oldest === undefined ? {} : { oldestCreatedAt: oldest }), quarantined: quarantine.length };
    },
    async quarantined(limit) {
      return limit > 0 ? quarantine.slice(-limit).reverse() : [];
    },
  };
}
