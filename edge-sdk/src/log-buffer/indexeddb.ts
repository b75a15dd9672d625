import type { InferenceRecord } from '@outpost/shared';
import type { LogChunk, OutpostDb } from '../storage/db.ts';
import { chunksOf, splitChunk } from './chunk.ts';
import { done, result, walk } from '../storage/idb-requests.ts';
import { QUARANTINE_LIMIT, type LogBuffer, type QuarantinedRecord } from './types.ts';

/** The rare paths (trimming over a bound, the quarantine's bound and reads), loaded on first use. */
const upkeep = () => import('./indexeddb-upkeep.ts');

/**
 * Most records per stored chunk. An upload removes its records from the head of the queue and
 * rewrites what stays of a chunk it cut into, so chunks about the size of an upload batch keep that
 * rewrite small; a big write is still one transaction (a request per chunk is cheap next to one).
 */
const CHUNK_RECORDS = 100;

export interface State {
  count: number;
  bytes: number;
  /** `createdAt` of the first record; null: empty; undefined: not known since the last removal. */
  oldest: number | null | undefined;
  quarantined: number;
  /** The chunk key of each queued record, by id: what an index would be, without its cost. */
  where: Map<string, number>;
}

/**
 * A LogBuffer in the `logChunks` and `quarantine` stores of the SDK database: records survive
 * reloads, crashes and days offline. Records are stored a chunk (up to CHUNK_RECORDS) per value and
 * an append is one transaction with relaxed durability: IndexedDB costs per request far more than
 * per byte, so a record per value capped appends near 9,000/s. A record lost to a power cut shows
 * up as a sequence gap on the hub.
 * There is no IndexedDB index on record ids: Chromium deserialises every value again to extract
 * index keys, on the main thread, which made appends 3× slower. Instead the totals and a map from
 * record id to chunk key are read once per open (one cursor walk) and kept up to date by each call
 * (memory: some 100 bytes per queued record, ~1.5 MB at the default 5 MiB bound). Another tab
 * writing the same database makes the totals drift until the next open; records it queued are
 * still found for removal at the head of the queue, where uploads take them from.
 * @example const buffer = createIndexedDbLogBuffer(await openOutpostDb(name));
 */
export function createIndexedDbLogBuffer(db: OutpostDb): LogBuffer {
  let state: Promise<State> | undefined;
  let appending: Promise<void> = Promise.resolve();
  const load = (): Promise<State> =>
    (state ??= (async () => {
      const s: State = { count: 0, bytes: 0, oldest: null, quarantined: 0, where: new Map() };
      const tx = db.transaction(['logChunks', 'quarantine'], 'readonly');
      walk(tx.objectStore('logChunks').openCursor(), (cursor) => {
        const chunk = cursor.value as LogChunk;
        const key = cursor.primaryKey as number;
        if (s.count === 0) s.oldest = chunk.records[0]?.createdAt ?? null;
        s.count += chunk.records.length;
        for (const record of chunk.records) s.where.set(record.id, key);
        for (const b of chunk.bytes) s.bytes += b;
        return true;
      });
      const q = tx.objectStore('quarantine').count();
      q.onsuccess = () => (s.quarantined = q.result);
      await done(tx);
      return s;
    })().catch((e: unknown) => {
      state = undefined;
      throw e;
    }));

  return {
    append(batch) {
      if (batch.length === 0) return Promise.resolve();
      // One call at a time: each must see the ids the one before it queued.
      const turn = appending.then(() => append(batch));
      appending = turn.catch(() => undefined);
      return turn;
    },
    async peek(limit) {
      const out: InferenceRecord[] = [];
      if (limit <= 0) return out;
      const tx = db.transaction('logChunks', 'readonly');
      walk(tx.objectStore('logChunks').openCursor(), (cursor) => {
        for (const record of (cursor.value as LogChunk).records) {
          if (out.length === limit) break;
          out.push(record);
        }
        return out.length < limit;
      });
      await done(tx);
      return out;
    },
    async remove(ids, into) {
      if (ids.length === 0) return;
      const s = await load();
      const tx = db.transaction(into ? ['logChunks', 'quarantine'] : ['logChunks'], 'readwrite', { durability: 'relaxed' });
      const store = tx.objectStore('logChunks');
      const wanted = new Set(ids);
      const removed = new Map<string, InferenceRecord>();
      let bytes = 0;
      /** Take the wanted records out of a chunk; what stays, or undefined when nothing does. */
      const take = (chunk: LogChunk): LogChunk | undefined => {
        const { kept, dropped } = splitChunk(chunk, (record) => !wanted.has(record.id));
        for (const [i, record] of dropped.records.entries()) {
          removed.set(record.id, record);
          bytes += dropped.bytes[i]!;
        }
        return kept.records.length > 0 ? kept : undefined;
      };
      // Only IndexedDB requests are awaited in here, so the transaction stays active throughout.
      // Uploads remove the oldest records: walk from the head while each chunk holds some of them.
      const head = await removeAtHead(store, wanted, removed, take);
      // The rest (a beacon's records at the tail, a quarantined batch behind a kept one) where the
      // map says they are; an unknown id is in no chunk and costs nothing.
      const keys = new Set<number>();
      for (const id of wanted) {
        const key = removed.has(id) ? undefined : s.where.get(id);
        if (key !== undefined) keys.add(key);
      }
      const chunks = await Promise.all([...keys].map((key) => result(store.get(key) as IDBRequest<LogChunk | undefined>)));
      for (const [i, key] of [...keys].entries()) {
        const chunk = chunks[i];
        if (!chunk) continue; // gone (another tab uploaded it)
        const before = removed.size;
        const kept = take(chunk);
        if (removed.size === before) continue;
        if (kept) store.put(kept, key);
        else store.delete(key);
      }
      // Into the quarantine in the order asked for (it keeps the newest).
      let moved = 0;
      if (into) {
        for (const id of wanted) {
          const record = removed.get(id);
          if (!record) continue;
          tx.objectStore('quarantine').add({ record, reason: into.reason, at: into.at } satisfies QuarantinedRecord);
          moved++;
        }
      }
      await done(tx);
      for (const id of wanted) s.where.delete(id);
      s.count -= removed.size;
      s.bytes -= bytes;
      if (removed.size > 0) s.oldest = s.count === 0 ? null : head;
      // Past its bound the quarantine forgets its oldest, in the upkeep chunk.
      if (into && (s.quarantined += moved) > QUARANTINE_LIMIT) await (await upkeep()).boundQuarantine(db, s);
    },
    async trim(bounds) {
      const s = await load();
      if (s.count === 0) return { full: 0, expired: 0 };
      if (s.bytes <= bounds.maxBytes && (await oldest(s)) >= bounds.createdBefore) return { full: 0, expired: 0 };
      // Over a bound: the walk that drops records is a chunk of its own (most pages never need it).
      return (await upkeep()).trimQueue(db, s, bounds);
    },
    async size() {
      const s = await load();
      const first = await oldest(s);
      return { count: s.count, bytes: s.bytes, ...(first === Infinity ? {} : { oldestCreatedAt: first }), quarantined: s.quarantined };
    },
    async quarantined(limit) {
      // Inspection only (the SDK never reads the quarantine back): a chunk of its own.
      return limit <= 0 ? [] : (await upkeep()).readQuarantined(db, limit);
    },
  };

  async function append(batch: readonly InferenceRecord[]): Promise<void> {
    const s = await load();
    // Each id once: skip those queued already and repeats within the batch (the first one wins).
    const fresh = new Set<string>();
    const chunks = chunksOf(batch, CHUNK_RECORDS, (id) => {
      if (s.where.has(id) || fresh.has(id)) return true;
      fresh.add(id);
      return false;
    });
    if (chunks.length === 0) return;
    const tx = db.transaction('logChunks', 'readwrite', { durability: 'relaxed' });
    const store = tx.objectStore('logChunks');
    const keys: number[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const add = store.add(chunk);
      add.onsuccess = () => (keys[i] = add.result as number);
    }
    await done(tx);
    // An empty queue's oldest record is the first one added.
    if (s.count === 0) s.oldest = chunks[0]!.records[0]!.createdAt;
    for (const [i, chunk] of chunks.entries()) {
      for (const record of chunk.records) s.where.set(record.id, keys[i]!);
      for (const b of chunk.bytes) s.bytes += b;
      s.count += chunk.records.length;
    }
  }

  /** The first record's createdAt (Infinity when empty), read again only after a removal. */
  async function oldest(s: State): Promise<number> {
    if (s.oldest === undefined) {
      const tx = db.transaction('logChunks', 'readonly');
      const first = await result(tx.objectStore('logChunks').openCursor());
      s.oldest = (first?.value as LogChunk | undefined)?.records[0]?.createdAt ?? null;
    }
    return s.oldest ?? Infinity;
  }
}

/**
 * Remove wanted records from the head of the queue, a chunk at a time, while each chunk holds some
 * of them and some are still missing. Resolves to the createdAt of the first record left at the
 * head, or undefined when that is not known (the walk stopped right after a chunk it deleted).
 */
function removeAtHead(store: IDBObjectStore, wanted: ReadonlySet<string>, removed: ReadonlyMap<string, unknown>, take: (chunk: LogChunk) => LogChunk | undefined): Promise<number | undefined> {
  return new Promise((resolve) => {
    let head: number | undefined;
    const request = store.openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return resolve(head);
      const chunk = cursor.value as LogChunk;
      if (!chunk.records.some((record) => wanted.has(record.id))) return resolve(head ?? chunk.records[0]!.createdAt);
      const kept = take(chunk);
      if (kept) cursor.update(kept);
      else cursor.delete();
      head ??= kept?.records[0]!.createdAt;
      if (removed.size === wanted.size) resolve(head);
      else cursor.continue();
    };
  });
}
