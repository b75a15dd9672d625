import { unwrap } from 'idb';
import type { InferenceRecord } from '@outpost/shared';
import type { OutpostDb } from '../storage/db.ts';
import { QUARANTINE_LIMIT, recordBytes, type LogBuffer, type QuarantinedRecord } from './types.ts';

interface Totals {
  count: number;
  bytes: number;
  /** `createdAt` of the first record; null: empty; undefined: not known since the last removal. */
  oldest: number | null | undefined;
  quarantined: number;
}

/**
 * A LogBuffer in the `logs` and `quarantine` stores of the SDK database: records survive reloads,
 * crashes and days offline. One transaction per call, with relaxed durability: batching is what
 * makes IndexedDB fast, and a record lost to a power cut shows up as a sequence gap on the hub.
 * The count and byte total are summed once per open (one cursor walk) and then kept up to date by
 * each call; another tab writing the same database makes them drift until the next open.
 * @example const buffer = createIndexedDbLogBuffer(await openOutpostDb(name));
 */
export function createIndexedDbLogBuffer(db: OutpostDb): LogBuffer {
  const raw = unwrap(db);
  let totals: Promise<Totals> | undefined;
  const loadTotals = (): Promise<Totals> =>
    (totals ??= (async () => {
      const t: Totals = { count: 0, bytes: 0, oldest: null, quarantined: 0 };
      const tx = raw.transaction(['logs', 'quarantine'], 'readonly');
      walk(tx.objectStore('logs').openCursor(), (cursor) => {
        const record = cursor.value as InferenceRecord;
        if (t.count === 0) t.oldest = record.createdAt;
        t.count++;
        t.bytes += recordBytes(record);
        return true;
      });
      const q = tx.objectStore('quarantine').count();
      q.onsuccess = () => (t.quarantined = q.result);
      await done(tx);
      return t;
    })().catch((e: unknown) => {
      totals = undefined;
      throw e;
    }));

  return {
    async append(batch) {
      if (batch.length === 0) return;
      const t = await loadTotals();
      const tx = raw.transaction('logs', 'readwrite', { durability: 'relaxed' });
      const store = tx.objectStore('logs');
      let added = batch.length;
      let bytes = 0;
      // One request per record, counted as added unless refused: the unique id index refuses an id
      // already queued, and the error handler keeps that from aborting the transaction (and takes
      // the record back out of the totals). No success handlers: an event per record is costly.
      for (const record of batch) {
        const size = recordBytes(record);
        bytes += size;
        store.add(record).onerror = (event) => {
          event.preventDefault();
          event.stopPropagation();
          added--;
          bytes -= size;
        };
      }
      await done(tx);
      // An empty queue's oldest record is the first one added, unless that one was a duplicate.
      if (t.count === 0) t.oldest = added === batch.length ? (batch[0]?.createdAt ?? null) : undefined;
      t.count += added;
      t.bytes += bytes;
    },
    async peek(limit) {
      if (limit <= 0) return [];
      return db.getAll('logs', null, limit);
    },
    async remove(ids, into) {
      if (ids.length === 0) return;
      const t = await loadTotals();
      const tx = raw.transaction(into ? ['logs', 'quarantine'] : ['logs'], 'readwrite', { durability: 'relaxed' });
      const byId = tx.objectStore('logs').index('id');
      let removed = 0;
      let bytes = 0;
      let moved = 0;
      for (const id of ids) {
        const request = byId.openCursor(IDBKeyRange.only(id));
        request.onsuccess = () => {
          const cursor = request.result;
          if (!cursor) return;
          const record = cursor.value as InferenceRecord;
          removed++;
          bytes += recordBytes(record);
          cursor.delete();
          if (into) {
            tx.objectStore('quarantine').add({ record, reason: into.reason, at: into.at } satisfies QuarantinedRecord);
            moved++;
          }
        };
      }
      await done(tx);
      t.count -= removed;
      t.bytes -= bytes;
      if (removed > 0) t.oldest = t.count === 0 ? null : undefined;
      if (into) await boundQuarantine(t, moved);
    },
    async trim({ maxBytes, createdBefore, keep }) {
      const t = await loadTotals();
      if (t.count === 0) return { full: 0, expired: 0 };
      if (t.bytes <= maxBytes && (await oldest(t)) >= createdBefore) return { full: 0, expired: 0 };
      // Read in pages, delete runs of neighbouring keys with one request each: a full queue is
      // trimmed on the append path, where a request per record would halve throughput.
      const tx = db.transaction('logs', 'readwrite', { durability: 'relaxed' });
      let full = 0;
      let expired = 0;
      let ageDone = false;
      let after: number | undefined;
      let stop = false;
      while (!stop) {
        const range = after === undefined ? null : IDBKeyRange.lowerBound(after, true);
        const [keys, values] = await Promise.all([tx.store.getAllKeys(range, TRIM_PAGE), tx.store.getAll(range, TRIM_PAGE)]);
        let run: [number, number] | undefined;
        const flush = () => {
          if (run) void tx.store.delete(IDBKeyRange.bound(run[0], run[1]));
          run = undefined;
        };
        for (let i = 0; i < keys.length && !stop; i++) {
          const key = keys[i]!;
          const record = values[i]!;
          if (keep?.has(record.id)) {
            flush();
            continue;
          }
          if (!ageDone && record.createdAt < createdBefore) {
            expired++;
          } else {
            ageDone = true;
            if (t.bytes <= maxBytes) {
              stop = true;
              break;
            }
            full++;
          }
          run = run ? [run[0], key] : [key, key];
          t.count--;
          t.bytes -= recordBytes(record);
        }
        flush();
        if (keys.length < TRIM_PAGE) stop = true;
        after = keys[keys.length - 1];
      }
      await tx.done;
      t.oldest = t.count === 0 ? null : undefined;
      return { full, expired };
    },
    async size() {
      const t = await loadTotals();
      const first = await oldest(t);
      return { count: t.count, bytes: t.bytes, ...(first === Infinity ? {} : { oldestCreatedAt: first }), quarantined: t.quarantined };
    },
    async quarantined(limit) {
      if (limit <= 0) return [];
      const out: QuarantinedRecord[] = [];
      const tx = raw.transaction('quarantine', 'readonly');
      walk(tx.objectStore('quarantine').openCursor(null, 'prev'), (cursor) => {
        out.push(cursor.value as QuarantinedRecord);
        return out.length < limit;
      });
      await done(tx);
      return out;
    },
  };

  /** The first record's createdAt (Infinity when empty), read again only after a removal. */
  async function oldest(t: Totals): Promise<number> {
    if (t.oldest === undefined) {
      const first = (await db.getAll('logs', null, 1))[0];
      t.oldest = first ? first.createdAt : null;
    }
    return t.oldest ?? Infinity;
  }

  async function boundQuarantine(t: Totals, moved: number): Promise<void> {
    t.quarantined += moved;
    if (t.quarantined <= QUARANTINE_LIMIT) return;
    const tx = raw.transaction('quarantine', 'readwrite', { durability: 'relaxed' });
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
    t.quarantined = Math.min(count.result, QUARANTINE_LIMIT);
  }
}

/** Records read per request while trimming. */
const TRIM_PAGE = 500;

/** Step a cursor while `visit` returns true. */
function walk(request: IDBRequest<IDBCursorWithValue | null>, visit: (cursor: IDBCursorWithValue) => boolean): void {
  request.onsuccess = () => {
    const cursor = request.result;
    if (cursor && visit(cursor)) cursor.continue();
  };
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => undefined; // the abort that follows rejects
  });
}
