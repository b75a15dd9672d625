/**
 * A loaded model, ready to run.
 * @example const probabilities = await session.run(encoded, [1, encoded.length]);
 */
export interface ModelSession {
  /** The execution provider that really runs it: 'wasm', later 'webgpu'. */
  readonly executionProvider: string;
  /** Run the model on a row-major float32 input of shape `dims`; returns the output tensor's data. */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * Turns verified model bytes into a session. The SDK's default wraps onnxruntime-web.
 * @example createOutpost({ ...options, runtime: createOnnxRuntime({ wasmPaths: '/ort/' }) });
 */
export interface Runtime {
  createSession(bytes: Uint8Array, io: { inputName: string; outputName: string }): Promise<ModelSession>;
}
