import type { InferenceRecord } from '@outpost/shared';
import type { LogChunk } from '../storage/db.ts';
import { recordBytes } from './types.ts';

/**
 * A batch as chunks of at most `size` records, in order, leaving out each record that `skip`
 * refuses (asked once per record, first to last).
 * @example for (const chunk of chunksOf(batch, 100, (id) => queued.has(id))) store.add(chunk);
 */
export function chunksOf(batch: readonly InferenceRecord[], size: number, skip: (id: string) => boolean): LogChunk[] {
  const chunks: LogChunk[] = [];
  let chunk: LogChunk = { records: [], bytes: [] };
  for (const record of batch) {
    if (skip(record.id)) continue;
    if (chunk.records.length === size) {
      chunks.push(chunk);
      chunk = { records: [], bytes: [] };
    }
    chunk.records.push(record);
    chunk.bytes.push(recordBytes(record));
  }
  if (chunk.records.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * Split a chunk in two, keeping order: `keep(record, i)` is asked once per record, first to last.
 * @example const { kept, dropped } = splitChunk(chunk, (record) => !removed.has(record.id));
 */
export function splitChunk(chunk: LogChunk, keep: (record: InferenceRecord, index: number) => boolean): { kept: LogChunk; dropped: LogChunk } {
  const kept: LogChunk = { records: [], bytes: [] };
  const dropped: LogChunk = { records: [], bytes: [] };
  for (let i = 0; i < chunk.records.length; i++) {
    const record = chunk.records[i]!;
    const into = keep(record, i) ? kept : dropped;
    into.records.push(record);
    into.bytes.push(chunk.bytes[i]!);
  }
  return { kept, dropped };
}
