import type { FeatureSpec } from '@outpost/shared';
import { modelProtoType } from '../packaging/onnx-proto.ts';
import { writeDenseClassifierOnnx } from '../packaging/onnx-writer.ts';

/**
 * Models and feature specs for tests of model uploads ("trained elsewhere"), shared by the
 * registry's tests and the API and CLI suites.
 */

/** A feature spec of `numeric` numeric features (f0, f1, …) and a label with `classes` classes (c0, c1, …). */
export function numericSpec(numeric: number, classes: number): FeatureSpec {
  return {
    features: Array.from({ length: numeric }, (_, i) => ({ name: `f${i}`, kind: 'numeric' as const, mean: i, std: 1 })),
    label: { name: 'label', classes: Array.from({ length: classes }, (_, i) => `c${i}`) },
  };
}

/**
 * A one-layer classifier `width` → `classes` as an exporter would write it: float32 input [batch, width],
 * float32 output [batch, classes], softmax (probabilities) or relu (not probabilities) last.
 */
export function denseModel(width: number, classes: number, options: { activation?: 'softmax' | 'relu'; inputName?: string; outputName?: string } = {}): Uint8Array {
  const kernel = Float32Array.from({ length: width * classes }, (_, i) => ((i % 7) - 3) / 10);
  return writeDenseClassifierOnnx({
    inputName: options.inputName ?? 'input',
    outputName: options.outputName ?? 'probabilities',
    inputWidth: width,
    producer: 'pytorch',
    layers: [{ in: width, out: classes, activation: options.activation ?? 'softmax', kernel, bias: Float32Array.from({ length: classes }, (_, i) => i + 1) }],
  });
}

/** The parts of a decoded ModelProto the edits below touch. */
export interface EditableModel {
  opset_import: { domain: string; version: number }[];
  graph: { node: { op_type: string; domain?: string; name?: string }[]; input: { name: string }[]; output: { name: string }[] };
}

/** Decode model bytes written by `writeDenseClassifierOnnx`, change them, encode them again (its schema keeps the weights). */
export function editModel(bytes: Uint8Array, edit: (model: EditableModel) => void): Uint8Array {
  const type = modelProtoType();
  const model = type.toObject(type.decode(bytes), { longs: Number }) as EditableModel;
  edit(model);
  return type.encode(type.fromObject(model)).finish();
}

/** `denseModel` with its Softmax replaced by a custom operator onnxruntime-web has no kernel for. */
export function customOpModel(width: number, classes: number, op = { domain: 'com.acme', opType: 'FancySoftmax' }): Uint8Array {
  return editModel(denseModel(width, classes), (m) => {
    const node = m.graph.node.find((n) => n.op_type === 'Softmax')!;
    node.op_type = op.opType;
    node.domain = op.domain;
    m.opset_import.push({ domain: op.domain, version: 1 });
  });
}

/**
 * The multipart body of a model upload (`POST …/models/{m}/versions`): a `denseModel` and its `numericSpec`.
 * @example await fetch(`${hub}/v1/projects/demo/models/iris/versions`, { method: 'POST', body: uploadForm(2, 3), headers });
 */
export function uploadForm(width: number, classes: number, model: Parameters<typeof denseModel>[2] = {}): FormData {
  const form = new FormData();
  form.append('model', new Blob([denseModel(width, classes, model) as Uint8Array<ArrayBuffer>]), 'model.onnx');
  form.append('features', JSON.stringify(numericSpec(width, classes)));
  return form;
}
