import type * as Ort from 'onnxruntime-web';

let ortModule: Promise<typeof Ort> | undefined;

/**
 * onnxruntime-web, loaded on first use (14+ MB of wasm the hub needs only for models) and shared
 * by the parity check and the checks of uploaded models; a failed load is forgotten so the next
 * call retries. One wasm thread: worker threads only add start-up cost for small checks, and the
 * hub's cores belong to its requests.
 * @example const ort = await loadOrt();
 */
export function loadOrt(): Promise<typeof Ort> {
  ortModule ??= import('onnxruntime-web').then(
    (ort) => {
      ort.env.wasm.numThreads = 1;
      return ort;
    },
    (e: unknown) => {
      ortModule = undefined;
      throw e;
    },
  );
  return ortModule;
}
