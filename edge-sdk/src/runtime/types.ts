/**
 * A loaded model, ready to run.
 * @example const probabilities = await session.run(encoded, [1, encoded.length]);
 */
export interface ModelSession {
  /** The execution provider that runs it now: 'wasm' or 'webgpu' (it becomes 'wasm' after a WebGPU failure). */
  readonly executionProvider: string;
  /** Why this provider: 'self-test passed: max diff 3.1e-8', 'no adapter', 'webgpu device lost: …'. */
  readonly providerReason?: string;
  /**
   * Run the model on a row-major float32 input of shape `dims`; returns the output tensor's data.
   * `input` may be a view into a larger buffer (the client cuts inputs from shared slabs): copy it
   * before transferring its buffer, as the worker runtime does. Do not reuse it after the call.
   */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/** What a device chose for one model, and why. */
export interface ProviderChoice {
  provider: 'wasm' | 'webgpu';
  reason: string;
}

/**
 * Where the provider choice is remembered per device, keyed by the model's SHA-256 (a new model
 * tests again). The client keeps it in the SDK database's meta store.
 * @example const memory: ProviderMemory = { get: async (k) => map.get(k), set: async (k, c) => void map.set(k, c) };
 */
export interface ProviderMemory {
  get(key: string): Promise<ProviderChoice | undefined>;
  set(key: string, choice: ProviderChoice): Promise<void>;
}

/** Per-session extras the client passes; a runtime may ignore them. */
export interface SessionOptions {
  /** Remembers the provider choice: a remembered WASM skips the WebGPU probe, a remembered WebGPU skips the self-test. */
  memory?: ProviderMemory;
  /** The key under which the choice is remembered: the model's SHA-256 (hex). Default: computed from the bytes. */
  modelSha256?: string;
}

/**
 * Turns verified model bytes into a session. The SDK's default wraps onnxruntime-web.
 * @example createOutpost({ ...options, runtime: createOnnxRuntime({ wasmPaths: '/ort/' }) });
 */
export interface Runtime {
  createSession(bytes: Uint8Array, io: { inputName: string; outputName: string }, options?: SessionOptions): Promise<ModelSession>;
}
