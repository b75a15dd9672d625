import { inputWidth, outputWidth, OutpostError, type ErrorIssue, type FeatureSpec } from '@outpost/shared';
import type { OnnxModelInfo, TensorDescription } from '../packaging/onnx-reader.ts';
import type { TensorInfo } from '../training/types.ts';

/**
 * What the SDK needs of a model: one float32 input [batch, width] fed with `encodeRecord`'s vector,
 * and a float32 output [batch, classes] of class probabilities (edge-sdk/src/client.ts `predict`).
 */
export interface PlannedSignature {
  input: TensorInfo;
  /** Outputs that may hold the probabilities, by their declared type and shape; the run decides. */
  candidates: string[];
}

/** One row of the model's outputs, as onnxruntime-web produced them on a batch of 1. */
export interface ProducedOutput {
  name: string;
  type: string;
  dims: readonly number[];
  data: ArrayLike<number | bigint | string | boolean>;
}

/** How far a row of probabilities may be from summing to 1 (float32 softmax rounding, with room). */
const SUM_TOLERANCE = 1e-3;

const refuse = (message: string, issues: ErrorIssue[]): never => {
  throw new OutpostError('VALIDATION_FAILED', message, { issues });
};
const atModel = (message: string): never => refuse(`cannot register this model: ${message}`, [{ path: 'model', message }]);

const shapeText = (shape: TensorDescription['shape']) => (shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : 'of undeclared shape');
const describe = (t: TensorDescription) => `'${t.name}' ${t.type} ${shapeText(t.shape)}`;
const isFloatTensor = (t: TensorDescription) => t.kind === 'tensor' && t.elemType === 'float32';

/**
 * Check a model's declared interface against a feature spec, before anything runs: exactly one
 * float32 tensor input of rank 2 whose width is what the spec encodes, every output a tensor (the
 * SDK fetches them all, and onnxruntime-web reads only tensors), and at least one float32 output
 * [batch, classes]. Throws OutpostError('VALIDATION_FAILED') naming `model` or `features` and why.
 * @example const { input, candidates } = planSignature(inspectOnnx(bytes), spec);
 */
export function planSignature(info: OnnxModelInfo, spec: FeatureSpec): PlannedSignature {
  if (info.inputs.length !== 1) {
    atModel(`the model has ${info.inputs.length} inputs (${info.inputs.map(describe).join(', ')}); Outpost feeds exactly one float32 tensor [batch, width]`);
  }
  const x = info.inputs[0]!;
  if (!isFloatTensor(x)) atModel(`input ${describe(x)} is not a float32 tensor; Outpost feeds one float32 tensor [batch, width]`);
  if (!x.shape) atModel(`input '${x.name}' declares no shape; export it as [batch, width]`);
  if (x.shape!.length !== 2) atModel(`input ${describe(x)} has rank ${x.shape!.length}; Outpost feeds a rank-2 tensor [batch, width]`);
  const [batch, width] = x.shape!;
  if (typeof width !== 'number') atModel(`input ${describe(x)} has no fixed width; export it with the feature count as its last dimension`);
  // The SDK runs one record at a time: a fixed batch other than 1 cannot be fed.
  if (typeof batch === 'number' && batch !== 1) {
    atModel(`input ${describe(x)} has a fixed batch of ${batch}; export it with a dynamic batch axis (or a batch of 1)`);
  }
  const encoded = inputWidth(spec);
  if (encoded !== width) {
    const message = `the features encode ${encoded} values per record but the model's input '${x.name}' ${shapeText(x.shape)} takes ${width}`;
    refuse(`cannot register this model: ${message}`, [{ path: 'features', message }]);
  }

  const notTensors = info.outputs.filter((o) => o.kind !== 'tensor');
  if (notTensors.length > 0) {
    atModel(
      `output ${notTensors.map(describe).join(', ')} is not a tensor; onnxruntime-web reads tensor outputs only ` +
        '(a scikit-learn classifier: convert it with options={id(model): {"zipmap": False}})',
    );
  }
  const label = spec.label;
  const units = outputWidth(label);
  const floats = info.outputs.filter(isFloatTensor);
  const expected = label.task === 'regression' ? 'the predicted value as float32 [batch, 1]' : 'class probabilities as float32 [batch, classes]';
  if (floats.length === 0) atModel(`no output is a float32 tensor (${info.outputs.map(describe).join(', ')}); Outpost reads ${expected}`);
  const fits = (o: TensorDescription) => !o.shape || (o.shape.length === 2 && (typeof o.shape[1] !== 'number' || o.shape[1] === units));
  const candidates = floats.filter(fits).map((o) => o.name);
  if (candidates.length === 0) {
    const message =
      label.task === 'regression'
        ? `a regression label but no float32 output has shape [batch, 1]: ${floats.map(describe).join(', ')}`
        : `${units} label classes (${label.classes.join(', ')}) but no float32 output has shape [batch, ${units}]: ${floats.map(describe).join(', ')}`;
    refuse(`cannot register this model: ${message}`, [{ path: label.task === 'regression' ? 'features.label' : 'features.label.classes', message }]);
  }
  return { input: { name: x.name, shape: [typeof batch === 'number' ? batch : -1, width as number], type: 'float32' }, candidates };
}

/**
 * Choose the output from what one run on a batch of 1 produced: the first candidate shaped
 * [1, classes] whose values are probabilities (each in [0, 1], summing to 1), or for a regression
 * label the first shaped [1, 1] holding a finite number. Throws
 * OutpostError('VALIDATION_FAILED') saying what each candidate gave instead.
 * @example const output = chooseOutput(plan.candidates, produced, spec); // { name: 'probabilities', shape: [-1, 3], type: 'float32' }
 */
export function chooseOutput(candidates: readonly string[], produced: readonly ProducedOutput[], spec: FeatureSpec): TensorInfo {
  const regression = spec.label.task === 'regression';
  const classes = outputWidth(spec.label);
  const problems: string[] = [];
  for (const name of candidates) {
    const out = produced.find((p) => p.name === name);
    if (!out) continue;
    if (out.dims.length !== 2 || out.dims[0] !== 1 || out.dims[1] !== classes) {
      problems.push(`output '${name}' gave shape [${out.dims.join(', ')}] for one record, not [1, ${classes}] (${regression ? 'one predicted value' : `${classes} label classes`})`);
      continue;
    }
    const values = Array.from(out.data, Number);
    if (regression) {
      if (Number.isFinite(values[0])) return { name, shape: [-1, 1], type: 'float32' };
      problems.push(`output '${name}' gave ${values[0]} for an all-zero input: not a finite number`);
      continue;
    }
    const sum = values.reduce((a, b) => a + b, 0);
    if (values.every((v) => v >= -SUM_TOLERANCE && v <= 1 + SUM_TOLERANCE) && Math.abs(sum - 1) <= SUM_TOLERANCE) {
      return { name, shape: [-1, classes], type: 'float32' };
    }
    const shown = values.map((v) => Number(v.toPrecision(4))).join(', ');
    if (!values.every(Number.isFinite)) {
      problems.push(`output '${name}' gave [${shown}] for an all-zero input: values that are not finite numbers`);
      continue;
    }
    problems.push(
      `output '${name}' gave [${shown}] (sum ${Number(sum.toPrecision(4))}) for an all-zero input: not probabilities; ` +
        'end the exported graph with a Softmax (logits are not enough: the SDK reports these values as class probabilities)',
    );
  }
  return atModel(problems.join('; ') || 'onnxruntime-web produced none of the float32 outputs');
}
