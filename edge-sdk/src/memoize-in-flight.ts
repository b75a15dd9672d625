/**
 * Share one in-flight call per key: callers that ask while it runs get the same promise. It is
 * forgotten once settled, so a failure can be retried and a finished result is not held in memory.
 * @example const download = memoizeInFlight((sha: string) => fetchBytes(sha)); await Promise.all([download(a), download(a)]); // one fetch
 */
export function memoizeInFlight<A extends unknown[], T>(keyOf: (...args: A) => string, fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (...args) => {
    const key = keyOf(...args);
    let promise = inFlight.get(key);
    if (!promise) {
      promise = fn(...args).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
    }
    return promise;
  };
}
