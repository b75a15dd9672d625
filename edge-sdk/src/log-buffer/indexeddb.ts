import type { OutpostDb } from '../storage/db.ts';
import type { LogBuffer } from './types.ts';

/**
 * A LogBuffer in the `logs` store of the SDK database: records survive reloads and crashes.
 * One transaction per call, with relaxed durability: batching is what makes IndexedDB fast, and a
 * record lost to a power cut shows up as a sequence gap on the hub.
 * @example const buffer = createIndexedDbLogBuffer(await openOutpostDb(name));
 */
export function createIndexedDbLogBuffer(db: OutpostDb): LogBuffer {
  return {
    async append(batch) {
      if (batch.length === 0) return;
      const tx = db.transaction('logs', 'readwrite', { durability: 'relaxed' });
      const byId = tx.store.index('id');
      const seen = new Set<string>();
      const unique = batch.filter((r) => !seen.has(r.id) && seen.add(r.id));
      // Requests run in the order they are issued, so adds keep the batch order.
      const writes = unique.map(async (record) => {
        if ((await byId.getKey(record.id)) === undefined) await tx.store.add(record);
      });
      await Promise.all([...writes, tx.done]);
    },
    async peek(limit) {
      if (limit <= 0) return [];
      return db.getAll('logs', null, limit);
    },
    async remove(ids) {
      if (ids.length === 0) return;
      const tx = db.transaction('logs', 'readwrite', { durability: 'relaxed' });
      const byId = tx.store.index('id');
      const deletes = ids.map(async (id) => {
        const key = await byId.getKey(id);
        if (key !== undefined) await tx.store.delete(key);
      });
      await Promise.all([...deletes, tx.done]);
    },
    count: () => db.count('logs'),
  };
}
