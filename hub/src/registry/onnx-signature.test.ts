import { describe, expect, it } from 'vitest';
import type { OnnxModelInfo, TensorDescription } from '../packaging/onnx-reader.ts';
import { errorOf } from '../test-support/errors.ts';
import { chooseOutput, planSignature } from './onnx-signature.ts';
import { numericSpec } from './test-support.ts';

const spec = numericSpec(2, 3); // width 2, classes c0 c1 c2
const float = (name: string, shape?: TensorDescription['shape']): TensorDescription => ({
  name,
  kind: 'tensor',
  elemType: 'float32',
  ...(shape ? { shape } : {}),
  type: 'tensor(float32)',
});
const info = (inputs: TensorDescription[], outputs: TensorDescription[]): OnnxModelInfo => ({
  irVersion: 8,
  producer: { name: 'pytorch', version: '2.4' },
  opsets: [{ domain: '', version: 17 }],
  inputs,
  outputs,
  operators: [],
  functions: [],
  externalData: [],
  metadata: {},
});
const X = float('x', ['batch', 2]);
const P = float('probs', ['batch', 3]);

describe('planSignature', () => {
  it('reads the input [batch, width] and the outputs that may hold the probabilities', () => {
    expect(planSignature(info([X], [P]), spec)).toEqual({ input: { name: 'x', shape: [-1, 2], type: 'float32' }, candidates: ['probs'] });
    // A fixed batch of 1 (torch.onnx.export without dynamic_axes) is what the SDK feeds: kept as declared.
    expect(planSignature(info([float('x', [1, 2])], [float('probs', [null, null])]), spec).input.shape).toEqual([1, 2]);
    // An undeclared output shape, or a symbolic class count, is left to the run.
    expect(planSignature(info([X], [float('a', [1, 4]), float('b'), float('c', ['n', 'k'])]), spec).candidates).toEqual(['b', 'c']);
  });

  // Data-driven: what is wrong, where the error points, and words the message must have.
  const refusals: [string, OnnxModelInfo, string, RegExp][] = [
    ['two inputs', info([X, float('y', ['batch', 1])], [P]), 'model', /2 inputs .*'x'.*'y'/],
    ['an int64 input', info([{ ...X, elemType: 'int64', type: 'tensor(int64)' }], [P]), 'model', /input 'x' tensor\(int64\).*not a float32 tensor/],
    ['no input shape', info([float('x')], [P]), 'model', /declares no shape/],
    ['a rank-3 input', info([float('x', ['batch', 2, 1])], [P]), 'model', /rank 3/],
    ['a symbolic width', info([float('x', ['batch', 'features'])], [P]), 'model', /no fixed width/],
    ['a fixed batch of 8', info([float('x', [8, 2])], [P]), 'model', /fixed batch of 8.*dynamic batch axis/],
    ['a width the spec does not encode', info([float('x', ['batch', 5])], [P]), 'features', /features encode 2 values per record but the model's input 'x' \[batch, 5\] takes 5/],
    [
      'a ZipMap output (scikit-learn default)',
      info([X], [{ name: 'label', kind: 'tensor', elemType: 'int64', shape: ['batch'], type: 'tensor(int64)' }, { name: 'output_probability', kind: 'sequence', type: 'seq(map(int64,tensor(float32)))' }]),
      'model',
      /'output_probability' seq\(map.*zipmap/,
    ],
    ['no float32 output', info([X], [{ name: 'label', kind: 'tensor', elemType: 'int64', shape: ['batch'], type: 'tensor(int64)' }]), 'model', /no output is a float32 tensor/],
    ['another class count', info([X], [float('probs', ['batch', 4])]), 'features.label.classes', /3 label classes .* 'probs' tensor\(float32\) \[batch, 4\]/],
  ];
  it.each(refusals)('refuses %s', (_, model, path, words) => {
    const e = errorOf(() => planSignature(model, spec));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.[0]?.path).toBe(path);
    expect(e.message).toMatch(words);
  });
});

describe('chooseOutput', () => {
  const out = (name: string, data: number[], dims = [1, data.length]) => ({ name, type: 'float32', dims, data: Float32Array.from(data) });

  it('takes the first candidate that holds probabilities for one record', () => {
    const produced = [out('logits', [2, -1, 0.5]), out('probs', [0.7, 0.1, 0.2])];
    expect(chooseOutput(['logits', 'probs'], produced, spec)).toEqual({ name: 'probs', shape: [-1, 3], type: 'float32' });
  });

  it('says what each candidate gave when none holds probabilities', () => {
    const e = errorOf(() => chooseOutput(['logits', 'wide'], [out('logits', [2, -1, 0.5]), out('wide', [0.5, 0.5], [1, 2])], spec));
    expect(e.issues?.[0]?.path).toBe('model');
    expect(e.message).toMatch(/'logits' gave \[2, -1, 0\.5\] \(sum 1\.5\).*Softmax/);
    expect(e.message).toMatch(/'wide' gave shape \[1, 2\] for one record, not \[1, 3\]/);
  });

  it('does not take NaN for probabilities', () => {
    expect(errorOf(() => chooseOutput(['p'], [out('p', [NaN, 0.5, 0.5])], spec)).message).toMatch(/'p' gave \[NaN, 0\.5, 0\.5\] .*not finite/);
  });
});
