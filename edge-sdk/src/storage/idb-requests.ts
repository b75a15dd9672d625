/**
 * Plain IndexedDB, with the few promises the SDK needs: opening a database, a request's result and a
 * transaction's end. No wrapper objects (the `idb` package cost 3.4 kB minified of the SDK core),
 * and a callback per request where a transaction issues hundreds of them.
 */

/**
 * Open (creating or upgrading) a database. `upgrade` runs inside the `versionchange` transaction;
 * an exception there aborts it, and the returned promise rejects.
 * @example const db = await openDatabase('outpost:…', 4, (db, oldVersion, tx) => { if (oldVersion < 1) db.createObjectStore('meta'); });
 */
export function openDatabase(name: string, version: number, upgrade: (db: IDBDatabase, oldVersion: number, tx: IDBTransaction) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name, version);
    open.onupgradeneeded = (event) => upgrade(open.result, event.oldVersion, open.transaction!);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error(`IndexedDB could not open ${name}`));
  });
}

/**
 * Visit a cursor's values until `visit` returns false or the cursor runs out.
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
 * @example const key = await result(store.getKey(id));
 */
export function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}
