import type { ModelSession, Runtime } from '../runtime/types.ts';

export interface FakeRuntimeOptions {
  /** The model's output for one input row (e.g. class probabilities). */
  run: (input: Float32Array) => ArrayLike<number>;
  /** Reported as the execution provider. Default: 'fake'. */
  executionProvider?: string;
  /** Called with the bytes of each session to create; throw to simulate a model the runtime cannot load. */
  load?: (bytes: Uint8Array) => void;
}

/**
 * A Runtime without onnxruntime: for app tests that need predictions but not a real model.
 * @example
 * const runtime = createFakeRuntime({ run: () => [0.9, 0.05, 0.05] });
 * const outpost = createOutpost({ ...options, runtime });
 */
export function createFakeRuntime(options: FakeRuntimeOptions): Runtime {
  return {
    async createSession(bytes) {
      options.load?.(bytes);
      const session: ModelSession = {
        executionProvider: options.executionProvider ?? 'fake',
        run: async (input) => Float32Array.from(options.run(input)),
        release: async () => undefined,
      };
      return session;
    },
  };
}
