import { describe, it, expect } from 'vitest';
import { OutpostError } from '@outpost/shared';
import { writeDenseClassifierOnnx, type DenseClassifierGraph } from './onnx-writer.ts';
import { modelProtoType } from './onnx-proto.ts';
import { onnxReadModelType } from './onnx-inspect-proto.ts';
import { inspectOnnx } from './onnx-reader.ts';
import { checkRunnable, runtimeIssues } from './onnx-runnable.ts';
import { smokeRun } from './onnx-smoke.ts';

// 3 inputs → 4 hidden (relu) → 2 classes (softmax), as the hub's own trainer would write it.
const dense: DenseClassifierGraph = {
  inputName: 'input',
  outputName: 'probabilities',
  inputWidth: 3,
  layers: [
    { in: 3, out: 4, activation: 'relu', kernel: new Float32Array(12).fill(0.1), bias: new Float32Array(4) },
    { in: 4, out: 2, activation: 'softmax', kernel: new Float32Array(8).fill(-0.2), bias: new Float32Array(2) },
  ],
};

// Hand-built models: the reading schema encodes too (protobufjs encodes by field number).
const FLOAT = 1;
const INT64 = 7;
type Dim = number | string | null;
const tensor = (elemType: number, dims?: Dim[]) => ({
  tensor_type: {
    elem_type: elemType,
    ...(dims ? { shape: { dim: dims.map((d) => (d === null ? {} : typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } : {}),
  },
});
const value = (name: string, type: object | undefined) => ({ name, ...(type ? { type } : {}) });
const node = (op_type: string, input: string[], output: string[], extra: object = {}) => ({ op_type, input, output, name: `${op_type}_0`, ...extra });

function encode(model: object): Uint8Array {
  const type = onnxReadModelType();
  return type.encode(type.fromObject(model)).finish();
}

/** A one-graph model: x (float32 [N, 3]) through `nodes` to y (float32 [N, 3]) unless told otherwise. */
function model(options: { nodes: object[]; opsets?: object[]; inputs?: object[]; outputs?: object[]; extra?: object }): Uint8Array {
  return encode({
    ir_version: 8,
    producer_name: 'hand',
    opset_import: options.opsets ?? [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: options.nodes,
      input: options.inputs ?? [value('x', tensor(FLOAT, ['N', 3]))],
      output: options.outputs ?? [value('y', tensor(FLOAT, ['N', 3]))],
    },
    ...options.extra,
  });
}

/** Catch the OutpostError `fn` throws or rejects with. */
async function refusal(fn: () => unknown): Promise<OutpostError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OutpostError);
    return e as OutpostError;
  }
  throw new Error('expected a refusal');
}

describe('inspectOnnx', () => {
  it("reads the hub's own dense classifier: interface, opset, operators", () => {
    const info = inspectOnnx(writeDenseClassifierOnnx(dense));
    expect(info).toEqual({
      irVersion: 8,
      producer: { name: 'outpost-hub', version: '' },
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'input', kind: 'tensor', elemType: 'float32', shape: ['batch', 3], type: 'tensor(float32)' }],
      outputs: [{ name: 'probabilities', kind: 'tensor', elemType: 'float32', shape: ['batch', 2], type: 'tensor(float32)' }],
      operators: [
        { domain: '', opType: 'Gemm', count: 2 },
        { domain: '', opType: 'Relu', count: 1 },
        { domain: '', opType: 'Softmax', count: 1 },
      ],
      functions: [],
      externalData: [],
      metadata: {},
    });
  });

  it('leaves out graph inputs that are initializers (as old exporters list them)', () => {
    const w = modelProtoType();
    const m = w.toObject(w.decode(writeDenseClassifierOnnx(dense)), { longs: Number }) as { graph: { input: object[] } };
    m.graph.input.push(value('dense0.kernel', tensor(FLOAT, [3, 4])), value('dense0.bias', tensor(FLOAT, [4])));
    const info = inspectOnnx(w.encode(w.fromObject(m)).finish());
    expect(info.inputs.map((i) => i.name)).toEqual(['input']);
  });

  it('describes sequence, map and other non-tensor values, unknown dims and unknown rank', () => {
    const seqOfMaps = { sequence_type: { elem_type: { map_type: { key_type: INT64, value_type: tensor(FLOAT) } } } };
    const info = inspectOnnx(
      model({
        nodes: [node('ZipMap', ['x'], ['probabilities'], { domain: 'ai.onnx.ml' })],
        inputs: [value('x', tensor(FLOAT, [null, 4])), { name: 'noshape', type: tensor(INT64) }],
        outputs: [
          value('label', tensor(INT64, ['N'])),
          value('probabilities', seqOfMaps),
          value('lookup', { map_type: { key_type: 8, value_type: tensor(FLOAT) } }),
          value('maybe', { optional_type: { elem_type: tensor(FLOAT, [1]) } }),
          value('untyped', undefined),
        ],
        extra: { producer_name: 'skl2onnx', producer_version: '1.17.0', metadata_props: [{ key: 'author', value: 'ada' }] },
      }),
    );
    expect(info.inputs).toEqual([
      { name: 'x', kind: 'tensor', elemType: 'float32', shape: [null, 4], type: 'tensor(float32)' },
      { name: 'noshape', kind: 'tensor', elemType: 'int64', type: 'tensor(int64)' },
    ]);
    expect(info.outputs.map(({ name, kind, type }) => [name, kind, type])).toEqual([
      ['label', 'tensor', 'tensor(int64)'],
      ['probabilities', 'sequence', 'seq(map(int64,tensor(float32)))'],
      ['lookup', 'map', 'map(string,tensor(float32))'],
      ['maybe', 'other', 'optional(tensor(float32))'],
      ['untyped', 'other', 'unknown'],
    ]);
    expect(info.producer).toEqual({ name: 'skl2onnx', version: '1.17.0' });
    expect(info.metadata).toEqual({ author: 'ada' });
    expect(info.operators).toEqual([{ domain: 'ai.onnx.ml', opType: 'ZipMap', count: 1 }]);
  });

  it('counts nodes inside If branches and model-local functions, and lists the functions', () => {
    const branch = (op: string) => ({ name: op, node: [node(op, ['x'], ['y'])], output: [value('y', tensor(FLOAT))] });
    const info = inspectOnnx(
      model({
        nodes: [node('If', ['c'], ['y'], { attribute: [{ name: 'then_branch', g: branch('Relu') }, { name: 'else_branch', g: branch('Relu') }] })],
        extra: { functions: [{ name: 'Swish', domain: 'local', node: [node('Sigmoid', ['x'], ['s']), node('Mul', ['x', 's'], ['y'])] }] },
      }),
    );
    expect(info.operators).toEqual([
      { domain: '', opType: 'If', count: 1 },
      { domain: '', opType: 'Relu', count: 2 },
      { domain: '', opType: 'Sigmoid', count: 1 },
      { domain: '', opType: 'Mul', count: 1 },
    ]);
    expect(info.functions).toEqual([{ domain: 'local', name: 'Swish' }]);
  });

  it.each([
    ['an empty file', new Uint8Array(0), /empty/],
    ['text', new TextEncoder().encode('this is not a model, just some text'), /not an ONNX|no ONNX graph/],
    ['random bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 131 + 7) % 256), /not an ONNX|no ONNX graph/],
    ['a truncated model', writeDenseClassifierOnnx(dense).subarray(0, 60), /not an ONNX|no ONNX graph/],
    ['a ModelProto without a graph', encode({ ir_version: 8, producer_name: 'x' }), /no ONNX graph/],
    ['a graph without inputs', model({ nodes: [], inputs: [] }), /no inputs/],
    ['a graph whose only inputs are weights', encode({ graph: { input: [value('w', tensor(FLOAT, [1]))], initializer: [{ name: 'w' }], output: [value('y', tensor(FLOAT))] } }), /no inputs/],
    ['a graph without outputs', model({ nodes: [], outputs: [] }), /no outputs/],
  ])('refuses %s with VALIDATION_FAILED at path model', async (_, bytes, message) => {
    const e = await refusal(() => inspectOnnx(bytes));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/^invalid ONNX model: /);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/index out of range|wire type/);
    expect(e.issues).toEqual([{ path: 'model', message: expect.any(String) }]);
  });
});

describe('checkRunnable', () => {
  it("accepts the hub's own model, reporting onnxruntime's input and output names", async () => {
    await expect(checkRunnable(writeDenseClassifierOnnx(dense))).resolves.toEqual({
      ok: true,
      inputNames: ['input'],
      outputNames: ['probabilities'],
    });
  });

  it('refuses an operator of an unknown domain before loading, naming op and domain', async () => {
    const bytes = model({
      nodes: [node('MyOp', ['x'], ['y'], { domain: 'com.acme' })],
      opsets: [{ domain: '', version: 13 }, { domain: 'com.acme', version: 1 }],
    });
    const e = await refusal(() => checkRunnable(bytes));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/^onnxruntime-web cannot run this model: operator MyOp of domain 'com\.acme'/);
    expect(e.issues).toEqual([{ path: 'model', message: expect.stringContaining('MyOp') }]);
  });

  it.each([
    ['an unknown operator', model({ nodes: [node('NotAnOp', ['x'], ['y'])] }), /operator NotAnOp does not exist in opset 13/],
    ['a wrong number of inputs', model({ nodes: [node('Gemm', ['x'], ['y'])] }), /operator Gemm \(opset 13\) \(node 'Gemm_0'\) has input size 1/],
    [
      'an operator without a kernel for its types (Relu on int64)',
      model({ nodes: [node('Relu', ['x'], ['y'])], opsets: [{ domain: '', version: 14 }], inputs: [value('x', tensor(INT64, ['N']))], outputs: [value('y', tensor(INT64, ['N']))] }),
      /operator Relu \(opset 14\) \(node 'Relu_0'\) has no onnxruntime-web kernel/,
    ],
    ['an opset from the future', model({ nodes: [node('Relu', ['x'], ['y'])], opsets: [{ domain: '', version: 99 }] }), /opset 99 of domain ai\.onnx is newer/],
  ])('refuses %s, naming the operator or opset', async (_, bytes, message) => {
    const e = await refusal(() => checkRunnable(bytes));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/^onnxruntime-web cannot run this model: /);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/ERROR_CODE|\/mnt\//);
    expect(e.issues).toHaveLength(1);
    expect(e.issues![0]!.path).toBe('model');
  });

  it('accepts a model with a sequence output beside a tensor one', async () => {
    const bytes = model({
      nodes: [node('Identity', ['x'], ['y']), node('SequenceConstruct', ['x'], ['seq'], { name: 'seq' })],
      outputs: [value('y', tensor(FLOAT, ['N', 3])), value('seq', { sequence_type: { elem_type: tensor(FLOAT) } })],
    });
    await expect(checkRunnable(bytes)).resolves.toEqual({ ok: true, inputNames: ['x'], outputNames: ['y', 'seq'] });
  });

  it('refuses garbage bytes as an invalid model', async () => {
    const e = await refusal(() => checkRunnable(new Uint8Array([0xff, 0xfe, 0x00, 0x12])));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues).toEqual([{ path: 'model', message: expect.any(String) }]);
  });
});

describe('runtimeIssues', () => {
  const base = inspectOnnx(writeDenseClassifierOnnx(dense));

  it('finds nothing wrong with a plain float model', () => {
    expect(runtimeIssues(base)).toEqual([]);
  });

  it('lists every problem: foreign domains, non-tensor inputs, no tensor output, external weights', () => {
    const issues = runtimeIssues({
      ...base,
      operators: [...base.operators, { domain: 'com.acme', opType: 'A', count: 1 }, { domain: 'org.b', opType: 'B', count: 2 }],
      inputs: [{ name: 's', kind: 'sequence', type: 'seq(tensor(float32))' }, { name: 'h', kind: 'tensor', elemType: 'bfloat16', type: 'tensor(bfloat16)' }],
      outputs: [{ name: 'm', kind: 'map', type: 'map(int64,tensor(float32))' }],
      externalData: ['w'],
    });
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/operator A of domain 'com.acme'/),
      expect.stringMatching(/operator B of domain 'org.b'/),
      expect.stringMatching(/input 's' is a seq\(tensor\(float32\)\); onnxruntime-web can only feed tensors/),
      expect.stringMatching(/input 'h' is a tensor\(bfloat16\)/),
      expect.stringMatching(/no output is a tensor/),
      expect.stringMatching(/weights w are stored in external data files/),
    ]);
  });

  it('lets a custom-domain node through when it calls a model-local function', () => {
    const info = { ...base, operators: [{ domain: 'local', opType: 'Swish', count: 1 }], functions: [{ domain: 'local', name: 'Swish' }] };
    expect(runtimeIssues(info)).toEqual([]);
  });
});

describe('smokeRun', () => {
  const bytes = writeDenseClassifierOnnx(dense);

  it('runs once with a batch of 1 on zeros and reports the shapes', async () => {
    await expect(smokeRun(bytes, inspectOnnx(bytes))).resolves.toEqual({
      inputs: [{ name: 'input', type: 'float32', dims: [1, 3] }],
      outputs: [{ name: 'probabilities', type: 'float32', dims: [1, 2] }],
    });
  });

  it('takes explicit shapes, and fetches only tensor outputs', async () => {
    const seqModel = model({
      nodes: [node('Identity', ['x'], ['y']), node('SequenceConstruct', ['x'], ['seq'], { name: 'seq' })],
      inputs: [value('x', tensor(INT64, ['N', 'T']))],
      outputs: [value('y', tensor(INT64, ['N', 'T'])), value('seq', { sequence_type: { elem_type: tensor(INT64) } })],
    });
    const result = await smokeRun(seqModel, inspectOnnx(seqModel), { shapes: { x: [4, 5] } });
    expect(result.outputs).toEqual([{ name: 'y', type: 'int64', dims: [4, 5] }]);
  });

  it('refuses a model that loads but fails to run, naming the node', async () => {
    // K is symbolic, so loading accepts it; fed as 1 it cannot multiply a [1, 3] matrix.
    const mm = model({
      nodes: [node('MatMul', ['a', 'b'], ['y'])],
      inputs: [value('a', tensor(FLOAT, [1, 3])), value('b', tensor(FLOAT, ['K', 4]))],
      outputs: [value('y', tensor(FLOAT, [1, 4]))],
    });
    const e = await refusal(() => smokeRun(mm, inspectOnnx(mm)));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/^onnxruntime-web could not run this model on zero-filled inputs a\[1,3\], b\[1,4\]: .*MatMul/);
  });

  it('refuses an input whose shape is not declared unless given one', async () => {
    const noShape = model({ nodes: [node('Identity', ['x'], ['y'])], inputs: [value('x', tensor(FLOAT))] });
    const e = await refusal(() => smokeRun(noShape, inspectOnnx(noShape)));
    expect(e.message).toMatch(/'x'.*does not declare its shape/);
    const ok = await smokeRun(noShape, inspectOnnx(noShape), { shapes: { x: [2] } });
    expect(ok.outputs[0]!.dims).toEqual([2]);
  });
});
