import type { InferenceRecord } from '@outpost/shared';
import type { LogBuffer } from './types.ts';

/**
 * A LogBuffer in memory: records survive neither a reload nor `close()`. The fallback where
 * IndexedDB is unavailable, and a fake for tests.
 * @example const buffer = createMemoryLogBuffer(); await buffer.append([record]);
 */
export function createMemoryLogBuffer(): LogBuffer {
  // Map keeps insertion order, which is upload order.
  const records = new Map<string, InferenceRecord>();
  return {
    async append(batch) {
      for (const r of batch) if (!records.has(r.id)) records.set(r.id, r);
    },
    async peek(limit) {
      const out: InferenceRecord[] = [];
      for (const r of records.values()) {
        if (out.length >= limit) break;
        out.push(r);
      }
      return out;
    },
    async remove(ids) {
      for (const id of ids) records.delete(id);
    },
    async count() {
      return records.size;
    },
  };
}
