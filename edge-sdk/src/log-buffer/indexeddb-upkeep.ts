import type { LogChunk, OutpostDb } from '../storage/db.ts';
import { done, walk } from '../storage/idb-requests.ts';
import { splitChunk } from './chunk.ts';
import type { State } from './indexeddb.ts';
import { QUARANTINE_LIMIT, type QuarantinedRecord, type TrimBounds, type TrimResult } from './types.ts';

// The IndexedDB log buffer's rare paths, loaded with import() on first use (indexeddb.ts): most
// pages never hold a queue over its bounds, a quarantine past its limit, or read the quarantine.

/**
 * LogBuffer.trim past the quick check: oldest first, a chunk at a time, a chunk with nothing left is
 * deleted whole, the one where the walk stops (or one holding a kept record) is rewritten with what
 * stays. Updates the buffer's totals.
 * @example const { full, expired } = await trimQueue(db, state, { maxBytes: 5 << 20, createdBefore: now - week });
 */
export async function trimQueue(db: OutpostDb, s: State, { maxBytes, createdBefore, keep }: TrimBounds): Promise<TrimResult> {
  const tx = db.transaction('logChunks', 'readwrite', { durability: 'relaxed' });
  let full = 0;
  let expired = 0;
  let bytes = s.bytes;
  let ageDone = false;
  const gone: string[] = [];
  walk(tx.objectStore('logChunks').openCursor(), (cursor) => {
    const chunk = cursor.value as LogChunk;
    let stop = false;
    const { kept, dropped } = splitChunk(chunk, (record, i) => {
      if (stop || keep?.has(record.id)) return true;
      if (!ageDone && record.createdAt < createdBefore) {
        expired++;
      } else {
        ageDone = true;
        if (bytes <= maxBytes) {
          stop = true;
          return true;
        }
        full++;
      }
      bytes -= chunk.bytes[i]!;
      return false;
    });
    for (const record of dropped.records) gone.push(record.id);
    if (kept.records.length === 0) cursor.delete();
    else if (dropped.records.length > 0) cursor.update(kept);
    return !stop;
  });
  await done(tx);
  for (const id of gone) s.where.delete(id);
  s.count -= gone.length;
  s.bytes = bytes;
  s.oldest = s.count === 0 ? null : undefined;
  return { full, expired };
}

/**
 * The newest `limit` quarantined records, newest first (LogBuffer.quarantined).
 * @example const newest = await readQuarantined(db, 20);
 */
export async function readQuarantined(db: OutpostDb, limit: number): Promise<QuarantinedRecord[]> {
  const out: QuarantinedRecord[] = [];
  const tx = db.transaction('quarantine', 'readonly');
  walk(tx.objectStore('quarantine').openCursor(null, 'prev'), (cursor) => {
    out.push(cursor.value as QuarantinedRecord);
    return out.length < limit;
  });
  await done(tx);
  return out;
}

/**
 * Forget the oldest quarantined records past QUARANTINE_LIMIT; counts them again (another tab may
 * have added some) and sets the buffer's total.
 * @example if ((state.quarantined += moved) > QUARANTINE_LIMIT) await boundQuarantine(db, state);
 */
export async function boundQuarantine(db: OutpostDb, s: State): Promise<void> {
  const tx = db.transaction('quarantine', 'readwrite', { durability: 'relaxed' });
  const store = tx.objectStore('quarantine');
  const count = store.count();
  count.onsuccess = () => {
    let excess = count.result - QUARANTINE_LIMIT;
    walk(store.openCursor(), (cursor) => {
      if (excess-- <= 0) return false;
      cursor.delete();
      return true;
    });
  };
  await done(tx);
  s.quarantined = Math.min(count.result, QUARANTINE_LIMIT);
}
