/**
 * `load` run once and its promise shared: while pending, and for good once it resolves. A
 * rejection is forgotten, so the next call tries again — what the SDK's import() chunks need, as a
 * chunk that could not be fetched (offline, the app's files not cached) may load later.
 * @example const network = lazyOnce(() => import('./model-cache/network.ts')); (await network()).createModelSource(…);
 */
export function lazyOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((e: unknown) => {
      loaded = undefined;
      throw e;
    }));
}
