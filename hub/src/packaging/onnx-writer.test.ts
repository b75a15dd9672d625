import { describe, it, expect } from 'vitest';
import { OutpostError } from '@outpost/shared';
import { writeDenseClassifierOnnx, type DenseClassifierGraph } from './onnx-writer.ts';
import { modelProtoType } from './onnx-proto.ts';
import { maxAbsDiff, runOnnx } from './parity.ts';

// 3 inputs → 4 hidden (relu) → 2 classes (softmax); values chosen so some hidden units go negative.
const graph: DenseClassifierGraph = {
  inputName: 'input',
  outputName: 'probabilities',
  inputWidth: 3,
  layers: [
    {
      in: 3,
      out: 4,
      activation: 'relu',
      kernel: new Float32Array([0.5, -1.2, 0.3, 0.8, -0.7, 0.4, 1.1, -0.2, 0.25, 0.9, -0.6, 0.05]),
      bias: new Float32Array([0.1, -0.3, 0.2, 0]),
    },
    {
      in: 4,
      out: 2,
      activation: 'softmax',
      kernel: new Float32Array([1.5, -0.5, -0.8, 0.9, 0.3, 0.3, -1.1, 2.0]),
      bias: new Float32Array([0.05, -0.05]),
    },
  ],
};

/** The forward pass by hand, in float64. */
function forward(g: DenseClassifierGraph, x: Float32Array, rows: number): Float64Array {
  let width = g.inputWidth;
  let act: Float64Array = Float64Array.from(x);
  for (const l of g.layers) {
    const next = new Float64Array(rows * l.out);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < l.out; o++) {
        let s = l.bias[o]!;
        for (let i = 0; i < l.in; i++) s += act[r * width + i]! * l.kernel[i * l.out + o]!;
        next[r * l.out + o] = l.activation === 'relu' ? Math.max(0, s) : l.activation === 'tanh' ? Math.tanh(s) : l.activation === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : s;
      }
      if (l.activation === 'softmax') {
        const row = next.subarray(r * l.out, (r + 1) * l.out);
        const max = Math.max(...row);
        let sum = 0;
        for (let o = 0; o < l.out; o++) sum += row[o] = Math.exp(row[o]! - max);
        for (let o = 0; o < l.out; o++) row[o]! /= sum;
      }
    }
    act = next;
    width = l.out;
  }
  if (g.rescale) act = act.map((v) => v * g.rescale!.scale + g.rescale!.shift);
  return act;
}

describe('writeDenseClassifierOnnx', () => {
  it('runs in onnxruntime-web and matches a hand-computed forward pass', async () => {
    const x = new Float32Array([1, 2, 3, -1, 0.5, 0, 0, 0, 0, 2.5, -3, 1.25, -0.4, 0.7, 9]);
    const rows = 5;
    const bytes = writeDenseClassifierOnnx(graph);
    const got = await runOnnx(bytes, 'input', x, [rows, 3]);
    expect(got.length).toBe(rows * 2);
    expect(maxAbsDiff(got, forward(graph, x, rows))).toBeLessThanOrEqual(1e-6);
  });

  it('writes tanh and sigmoid hidden layers, and a linear output rescaled to the label units (a regressor)', async () => {
    const x = new Float32Array([1, 2, 3, -1, 0.5, 0, 0, 0, 0]);
    for (const activation of ['tanh', 'sigmoid'] as const) {
      const regressor: DenseClassifierGraph = {
        ...graph,
        outputName: 'value',
        layers: [{ ...graph.layers[0]!, activation }, { in: 4, out: 1, activation: 'linear', kernel: new Float32Array([0.7, -0.3, 1.2, 0.4]), bias: new Float32Array([0.1]) }],
        rescale: { scale: 812.5, shift: 4201.75 },
      };
      const got = await runOnnx(writeDenseClassifierOnnx(regressor), 'input', x, [3, 3]);
      expect(got).toHaveLength(3);
      const want = forward(regressor, x, 3);
      // In grams: float32 carries about 7 significant digits.
      got.forEach((v, i) => expect(Math.abs(v - want[i]!) / Math.abs(want[i]!)).toBeLessThan(1e-6));
    }
  });

  it('supports a single softmax layer (softmax regression)', async () => {
    const single: DenseClassifierGraph = { ...graph, inputWidth: 4, layers: [graph.layers[1]!] };
    const x = new Float32Array([0.2, -1, 3, 0.5]);
    const got = await runOnnx(writeDenseClassifierOnnx(single), 'input', x, [1, 4]);
    expect(maxAbsDiff(got, forward(single, x, 1))).toBeLessThanOrEqual(1e-6);
  });

  it('writes identical bytes for the same weights', () => {
    const a = writeDenseClassifierOnnx(graph);
    const b = writeDenseClassifierOnnx({ ...graph, layers: graph.layers.map((l) => ({ ...l })) });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('writes the declared opset, ir_version, dynamic batch and little-endian initializers', () => {
    const type = modelProtoType();
    const model = type.toObject(type.decode(writeDenseClassifierOnnx(graph)), { longs: Number }) as {
      ir_version: number;
      opset_import: { version: number }[];
      graph: {
        node: { op_type: string }[];
        input: { type: { tensor_type: { shape: { dim: { dim_param?: string; dim_value?: number }[] } } } }[];
        initializer: { name: string; raw_data: Uint8Array }[];
      };
    };
    expect(model.ir_version).toBe(8);
    expect(model.opset_import[0]!.version).toBe(13);
    expect(model.graph.node.map((n) => n.op_type)).toEqual(['Gemm', 'Relu', 'Gemm', 'Softmax']);
    expect(model.graph.input[0]!.type.tensor_type.shape.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 3 }]);
    const raw = model.graph.initializer[0]!.raw_data;
    expect(new DataView(raw.buffer, raw.byteOffset).getFloat32(4, true)).toBeCloseTo(-1.2, 6);
  });

  it('rejects layers whose shapes do not chain', () => {
    const bad = { ...graph, inputWidth: 5 };
    expect(() => writeDenseClassifierOnnx(bad)).toThrow(OutpostError);
    expect(() => writeDenseClassifierOnnx(bad)).toThrow(/layer 0 takes 3 inputs/);
  });
});
