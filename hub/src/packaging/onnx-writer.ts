import { OutpostError } from '@outpost/shared';
import { ATTRIBUTE_TYPE, ONNX_FLOAT, modelProtoType } from './onnx-proto.ts';
import type { GraphTransforms } from './graph-transforms.ts';

/** One fully connected layer: `activation(x · kernel + bias)`. */
export interface DenseLayer {
  /** Row-major [in, out], as tfjs stores a Dense kernel. */
  kernel: Float32Array;
  bias: Float32Array;
  in: number;
  out: number;
  /** 'linear': no activation (a regressor's output layer). */
  activation: 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'linear';
}

export interface DenseClassifierGraph {
  inputName: string;
  outputName: string;
  inputWidth: number;
  layers: readonly DenseLayer[];
  /** ModelProto.producer_name; default 'outpost-hub'. */
  producer?: string;
  /**
   * After the last layer, `y · scale + shift` (float32 Mul then Add): a regressor trained on a
   * standardized label outputs values in the label's units.
   */
  rescale?: { scale: number; shift: number };
  /** Feature transforms applied to the input before the first layer (graph-transforms.ts). */
  transforms?: GraphTransforms;
}

// ir_version 8 (ONNX 1.10+) with opset 13 loads in every onnxruntime since 1.10, old mobile builds included.
const IR_VERSION = 8;
const OPSET = 13;
/** Hidden-layer activations and their ONNX operators (each elementwise, in every opset since 6). */
const ELEMENTWISE = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' } as const;
/** Symbolic batch dimension: any number of rows per run. */
const BATCH_DIM = 'batch';

/**
 * Serialize a stack of dense layers as ONNX ModelProto bytes: Gemm (+ Relu) per layer, Softmax last
 * for a classifier; for a regressor a linear last layer, then the optional rescale.
 * Deterministic: the same weights give the same bytes (no timestamps, no random names).
 * @example
 * const bytes = writeDenseClassifierOnnx({ inputName: 'input', outputName: 'probabilities', inputWidth: 4,
 *   layers: [{ kernel, bias, in: 4, out: 3, activation: 'softmax' }] });
 */
export function writeDenseClassifierOnnx(graph: DenseClassifierGraph): Uint8Array {
  checkShapes(graph);
  const nodes: object[] = [];
  const initializers: object[] = [];
  let current = graph.inputName;
  if (graph.transforms) current = addTransforms(graph.transforms, current, nodes, initializers);
  graph.layers.forEach((layer, i) => {
    const last = i === graph.layers.length - 1;
    const kernel = `dense${i}.kernel`;
    const bias = `dense${i}.bias`;
    initializers.push(floatTensor(kernel, [layer.in, layer.out], layer.kernel));
    initializers.push(floatTensor(bias, [layer.out], layer.bias));
    const linear = `dense${i}.linear`;
    // Gemm: Y = A·B + C with B as stored ([in, out], so transB = 0) and C broadcast over the batch.
    nodes.push({
      name: `dense${i}.gemm`,
      op_type: 'Gemm',
      input: [current, kernel, bias],
      output: [linear],
      attribute: [intAttribute('transA', 0), intAttribute('transB', 0)],
    });
    const rescaled = last && graph.rescale !== undefined;
    const activated = last && !rescaled ? graph.outputName : `dense${i}.out`;
    if (layer.activation === 'linear') {
      // No activation: the Gemm's output is the layer's (an Identity keeps the output's name).
      nodes.push({ name: `dense${i}.identity`, op_type: 'Identity', input: [linear], output: [activated] });
    } else {
      const elementwise = ELEMENTWISE[layer.activation as keyof typeof ELEMENTWISE];
      nodes.push(
        elementwise
          ? { name: `dense${i}.${layer.activation}`, op_type: elementwise, input: [linear], output: [activated] }
          : // Softmax-13 normalizes along one axis (older opsets flattened from `axis` on): the class axis.
            {
              name: `dense${i}.softmax`,
              op_type: 'Softmax',
              input: [linear],
              output: [activated],
              attribute: [intAttribute('axis', -1)],
            },
      );
    }
    if (rescaled) {
      initializers.push(floatTensor('rescale.scale', [], Float32Array.of(graph.rescale!.scale)));
      initializers.push(floatTensor('rescale.shift', [], Float32Array.of(graph.rescale!.shift)));
      nodes.push({ name: 'rescale.mul', op_type: 'Mul', input: [activated, 'rescale.scale'], output: ['rescale.scaled'] });
      nodes.push({ name: 'rescale.add', op_type: 'Add', input: ['rescale.scaled', 'rescale.shift'], output: [graph.outputName] });
    }
    current = activated;
  });
  const last = graph.layers[graph.layers.length - 1]!;
  const model = {
    ir_version: IR_VERSION,
    producer_name: graph.producer ?? 'outpost-hub',
    opset_import: [{ domain: '', version: OPSET }],
    graph: {
      name: last.activation === 'softmax' ? 'dense_classifier' : 'dense_regressor',
      node: nodes,
      initializer: initializers,
      input: [floatValueInfo(graph.inputName, graph.inputWidth)],
      output: [floatValueInfo(graph.outputName, last.out)],
    },
  };
  const type = modelProtoType();
  return type.encode(type.fromObject(model)).finish();
}

/** The input prefix of graph-transforms.ts, node for node; returns the name of its output. */
function addTransforms(t: GraphTransforms, input: string, nodes: object[], initializers: object[]): string {
  const width = t.shift.length;
  initializers.push(floatTensor('transform.one', [], Float32Array.of(1)));
  const keep = t.logMask.map((m) => 1 - m);
  for (const [name, values] of [['shift', t.shift], ['scale', t.scale], ['log_mask', t.logMask], ['keep_mask', keep], ['lo', t.lo], ['hi', t.hi]] as const) {
    initializers.push(floatTensor(`transform.${name}`, [width], values));
  }
  const op = (name: string, op_type: string, inputs: string[]) => {
    nodes.push({ name: `transform.${name}`, op_type, input: inputs, output: [`transform.${name}`] });
    return `transform.${name}`;
  };
  const relu = op('relu', 'Relu', [input]);
  const plus1 = op('plus1', 'Add', [relu, 'transform.one']);
  const logged = op('log', 'Log', [plus1]);
  // An exact choice per column (x · 1 + 0 = x): logged · mask + x · (1 − mask).
  const fromLog = op('from_log', 'Mul', [logged, 'transform.log_mask']);
  const kept = op('kept', 'Mul', [input, 'transform.keep_mask']);
  const mixed = op('mixed', 'Add', [fromLog, kept]);
  const centered = op('centered', 'Sub', [mixed, 'transform.shift']);
  const scaled = op('scaled', 'Mul', [centered, 'transform.scale']);
  const low = op('low', 'Max', [scaled, 'transform.lo']);
  return op('out', 'Min', [low, 'transform.hi']);
}

function checkShapes(graph: DenseClassifierGraph): void {
  const fail = (message: string) => {
    throw new OutpostError('INTERNAL', `cannot write ONNX: ${message}`);
  };
  if (graph.layers.length === 0) fail('no layers');
  let width = graph.inputWidth;
  graph.layers.forEach((l, i) => {
    if (l.in !== width) fail(`layer ${i} takes ${l.in} inputs, previous width is ${width}`);
    if (l.kernel.length !== l.in * l.out) {
      fail(`layer ${i} kernel has ${l.kernel.length} values, expected ${l.in}×${l.out}`);
    }
    if (l.bias.length !== l.out) fail(`layer ${i} bias has ${l.bias.length} values, expected ${l.out}`);
    width = l.out;
  });
}

/** A float32 initializer; raw_data is little-endian per onnx.proto, whatever the host's byte order. */
function floatTensor(name: string, dims: number[], values: Float32Array): object {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, data_type: ONNX_FLOAT, raw_data: raw };
}

function intAttribute(name: string, value: number): object {
  return { name, type: ATTRIBUTE_TYPE.INT, i: value };
}

/** A float32 [batch, width] graph input or output. */
function floatValueInfo(name: string, width: number): object {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: ONNX_FLOAT,
        shape: { dim: [{ dim_param: BATCH_DIM }, { dim_value: width }] },
      },
    },
  };
}
