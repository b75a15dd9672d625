/**
 * Plain IndexedDB request helpers for the hot paths: a callback per request instead of a promise
 * per request (idb's wrapper), which matters when a transaction issues hundreds of them.
 * @example walk(store.openCursor(), (cursor) => (out.push(cursor.value), out.length < limit)); await done(tx);
 */
export function walk(request: IDBRequest<IDBCursorWithValue | null>, visit: (cursor: IDBCursorWithValue) => boolean): void {
  request.onsuccess = () => {
    const cursor = request.result;
    if (cursor && visit(cursor)) cursor.continue();
  };
}

/**
 * Settles when the transaction commits or aborts (with the first error when it aborts).
 * @example const tx = db.transaction('logChunks', 'readwrite'); tx.objectStore('logChunks').add(chunk); await done(tx);
 */
export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => undefined; // the abort that follows rejects
  });
}

/**
 * A request's result. Awaiting it keeps the transaction active for the next request, as long as
 * nothing but IndexedDB requests is awaited in between (the continuation runs in the success event).
 * @example const key = await result(store.index('id').getKey(id));
 */
export function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}
