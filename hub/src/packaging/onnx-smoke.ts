import type * as Ort from 'onnxruntime-web';
import { OutpostError } from '@outpost/shared';
import type { OnnxModelInfo, TensorDescription } from './onnx-reader.ts';
import { createSession, ortRefusal } from './onnx-runnable.ts';
import { loadOrt } from './load-ort.ts';

export interface SmokeRunOptions {
  /** Shapes to feed, by input name; default: the declared shape with every symbolic or unknown dim set to 1. */
  shapes?: Readonly<Record<string, readonly number[]>>;
}

export interface SmokeRunResult {
  inputs: { name: string; type: string; dims: number[] }[];
  /** The tensor outputs (sequences and maps cannot be read through onnxruntime-web and are not fetched). */
  outputs: { name: string; type: string; dims: number[] }[];
}

/**
 * Run the model once on all-zero inputs (batch of 1 where the batch is symbolic) to show that it
 * really executes in onnxruntime-web, not only loads; returns the shapes it produced.
 * Throws OutpostError('VALIDATION_FAILED') when it fails, or when an input's rank is unknown and
 * `options.shapes` does not give it.
 * @example
 * const { outputs } = await smokeRun(bytes, inspectOnnx(bytes));
 * // outputs: [{ name: 'probabilities', type: 'float32', dims: [1, 3] }]
 */
export async function smokeRun(
  bytes: Uint8Array,
  info: OnnxModelInfo,
  options: SmokeRunOptions = {},
): Promise<SmokeRunResult> {
  const ort = await loadOrt();
  const feeds: Record<string, Ort.Tensor> = {};
  const inputs: SmokeRunResult['inputs'] = [];
  for (const input of info.inputs) {
    const dims = [...(options.shapes?.[input.name] ?? smokeDims(input))];
    const type = input.elemType ?? input.type;
    feeds[input.name] = new ort.Tensor(type as Ort.Tensor.Type, zeros(type, dims.reduce((a, b) => a * b, 1)), dims);
    inputs.push({ name: input.name, type, dims });
  }
  const fetches = info.outputs.filter((o) => o.kind === 'tensor').map((o) => o.name);
  const session = await createSession(bytes);
  try {
    const results = await session.run(feeds, fetches, { logSeverityLevel: 4 });
    const outputs = fetches.map((name) => {
      const t = results[name]!;
      const out = { name, type: t.type, dims: [...t.dims] };
      t.dispose();
      return out;
    });
    return { inputs, outputs };
  } catch (e) {
    const shapes = inputs.map((i) => `${i.name}[${i.dims.join(',')}]`).join(', ');
    throw ortRefusal(`onnxruntime-web could not run this model on zero-filled inputs ${shapes}`, e);
  } finally {
    await session.release();
  }
}

/** The declared shape with symbolic (dim_param) and unknown dims set to 1. */
function smokeDims(input: TensorDescription): number[] {
  if (input.kind !== 'tensor' || !input.shape) {
    const message = `cannot build a test input for '${input.name}': the model does not declare its shape`;
    throw new OutpostError('VALIDATION_FAILED', message, {
      issues: [{ path: 'model', message: `input '${input.name}' (${input.type}) has no declared shape` }],
    });
  }
  return input.shape.map((d) => (typeof d === 'number' ? d : 1));
}

/** Zero-filled data of onnxruntime-web's array type for `type`. */
function zeros(type: string, length: number): Ort.Tensor.DataType | string[] {
  switch (type) {
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
    case 'float16': case 'uint16': return new Uint16Array(length);
    case 'int8': return new Int8Array(length);
    case 'uint8': case 'bool': return new Uint8Array(length);
    // Two 4-bit values a byte.
    case 'int4': case 'uint4': return new Uint8Array(Math.ceil(length / 2));
    case 'int16': return new Int16Array(length);
    case 'int32': return new Int32Array(length);
    case 'uint32': return new Uint32Array(length);
    case 'int64': return new BigInt64Array(length);
    case 'uint64': return new BigUint64Array(length);
    case 'string': return Array.from({ length }, () => '');
    default:
      throw new OutpostError('VALIDATION_FAILED', `cannot build a test input of type ${type} in onnxruntime-web`, {
        issues: [{ path: 'model', message: `an input is a ${type}, which onnxruntime-web cannot build` }],
      });
  }
}
