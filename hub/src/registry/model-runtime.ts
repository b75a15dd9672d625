import type { FeatureSpec } from '@outpost/shared';
import type { TensorInfo } from '../training/types.ts';

/** A model's interface as a version records it (its signature without the spec): the input fed, the output read. */
export interface ModelIo {
  input: TensorInfo;
  output: TensorInfo;
}

/**
 * Running ONNX models the hub did not train: check one before it is registered, and run a
 * registered one on encoded rows (an uploaded model's reference profile; later, server-side
 * predictions). A platform capability injected as `HubDeps.models`: the Node hub has it
 * (onnx-model-runtime.ts: protobufjs and onnxruntime-web, which Workers can run neither of and
 * whose ~800 KiB the Workers bundle does without); where it is absent, the routes that need it answer 501.
 * @example
 * const io = await deps.models.check(bytes, spec);
 * const model = await deps.models.open(bytes, io);
 * try { probabilities = await model.run(encodeRecords(spec, records), records.length); } finally { await model.close(); }
 */
export interface ModelRuntime {
  /**
   * Decode the ONNX bytes, check their interface against the spec, run them once, and say which
   * input and output the SDK feeds and reads. Throws OutpostError('VALIDATION_FAILED') naming
   * `model` or `features` for a model it refuses.
   */
  check(bytes: Uint8Array, spec: FeatureSpec): Promise<ModelIo>;
  /** Load a checked model to run; the caller closes it. A load failure is VALIDATION_FAILED at `model`. */
  open(bytes: Uint8Array, io: ModelIo): Promise<LoadedModel>;
}

/** A loaded model. */
export interface LoadedModel {
  /**
   * Run `rows` encoded records, row-major float32 `rows × width` as `encodeRecords` writes them;
   * resolves to the output row-major, `rows × output.shape[1]`.
   */
  run(x: Float32Array, rows: number): Promise<Float32Array>;
  /** Free the session. */
  close(): Promise<void>;
}
