/**
 * What a client tells listeners registered with `outpost.on(event, listener)`.
 * @example outpost.on('download', ({ version, loaded, total }) => bar.update(loaded / total));
 */
export interface OutpostEvents {
  /** A model version's bytes are arriving (once per chunk). */
  download: { version: number; loaded: number; total: number };
  /** The model answering `predict()` changed (`from` is absent for the first). `source`: where its bytes came from, or 'server' for the hub's fallback. */
  model: { from?: number; to: number; source: 'network' | 'cache' | 'server' };
  /** Trouble in background work (a refused manifest, a failed download, a model that did not load); the running model goes on. */
  error: { where: 'manifest' | 'download' | 'model' | 'cache'; message: string };
}

export type OutpostEventName = keyof OutpostEvents;
export type Listener<E extends OutpostEventName> = (event: OutpostEvents[E]) => void;

export interface Emitter {
  on<E extends OutpostEventName>(event: E, listener: Listener<E>): () => void;
  emit<E extends OutpostEventName>(event: E, payload: OutpostEvents[E]): void;
}

/** Listeners per event; one that throws is skipped, never breaking the SDK or the other listeners. */
export function createEmitter(): Emitter {
  const listeners = new Map<OutpostEventName, Set<(e: never) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (e: never) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    emit(event, payload) {
      const set = listeners.get(event);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          (listener as Listener<typeof event>)(payload);
        } catch {
          // The app's bug, not ours to surface: background work must not throw into the page.
        }
      }
    },
  };
}
