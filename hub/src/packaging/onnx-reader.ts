import { OutpostError } from '@outpost/shared';
import {
  ONNX_ELEM_TYPES,
  onnxReadModelType,
  type RawGraph,
  type RawModel,
  type RawNode,
  type RawShape,
  type RawType,
  type RawValueInfo,
} from './onnx-inspect-proto.ts';

/** A graph input or output as the model declares it. */
export interface TensorDescription {
  name: string;
  /** 'other': optional, sparse tensor, opaque, or no type at all. */
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  /** Tensors only: onnxruntime-web's name for the element type; absent for an unknown type number. */
  elemType?: string;
  /** Tensors only, when the model declares a shape: a size, a symbolic name (dim_param), or null (unknown). */
  shape?: (number | string | null)[];
  /** The full type in onnxruntime's notation, e.g. 'tensor(float32)', 'seq(map(int64,tensor(float32)))'. */
  type: string;
  /** ValueInfoProto.doc_string, when set. */
  doc?: string;
}

/** What a user-supplied ONNX model declares about itself. */
export interface OnnxModelInfo {
  /** ModelProto.ir_version; 0 when absent. */
  irVersion: number;
  producer: { name: string; version: string };
  /** Domain as written: '' (or 'ai.onnx') is the standard operator set. */
  opsets: { domain: string; version: number }[];
  /** Graph inputs the caller feeds: inputs that are also initializers (weights) are left out. */
  inputs: TensorDescription[];
  outputs: TensorDescription[];
  /**
   * Nodes per (domain, op type), in order of first appearance, counted over the main graph, the
   * bodies of If/Loop/Scan and model-local functions.
   */
  operators: { domain: string; opType: string; count: number }[];
  /** Model-local functions (ModelProto.functions): nodes calling them are not custom operators. */
  functions: { domain: string; name: string }[];
  /** Initializers whose data lives in a file beside the model (TensorProto.data_location = EXTERNAL). */
  externalData: string[];
  metadata: Record<string, string>;
}

/**
 * Read the interface, operators and metadata of ONNX model bytes, without running them.
 * Throws OutpostError('VALIDATION_FAILED', …, issues at path 'model') for anything that is not a
 * usable ONNX model: bytes that do not decode, no graph, no inputs or no outputs.
 * @example
 * const info = inspectOnnx(bytes);
 * info.inputs[0] // { name: 'input', kind: 'tensor', elemType: 'float32', shape: ['batch', 4], type: 'tensor(float32)' }
 */
export function inspectOnnx(bytes: Uint8Array): OnnxModelInfo {
  const model = decode(bytes);
  const graph = model.graph;
  if (!graph) invalid('the bytes decode as protobuf but hold no ONNX graph: not an ONNX model');

  const weights = new Set<string>();
  for (const t of graph.initializer ?? []) if (t.name) weights.add(t.name);
  for (const t of graph.sparse_initializer ?? []) if (t.values?.name) weights.add(t.values.name);

  const inputs = (graph.input ?? []).filter((v) => !weights.has(v.name ?? '')).map(describeValue);
  const outputs = (graph.output ?? []).map(describeValue);
  const unnamed = [...inputs.map((v, i) => ['input', i, v] as const), ...outputs.map((v, i) => ['output', i, v] as const)]
    .filter(([, , v]) => v.name === '')
    .map(([side, i]) => `graph ${side} ${i} has no name`);
  if (unnamed.length > 0) invalid(unnamed.join('; '));
  if (inputs.length === 0) invalid('the model graph declares no inputs (other than its weights)');
  if (outputs.length === 0) invalid('the model graph declares no outputs');

  return {
    irVersion: model.ir_version ?? 0,
    producer: { name: model.producer_name ?? '', version: model.producer_version ?? '' },
    opsets: (model.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: o.version ?? 0 })),
    inputs,
    outputs,
    operators: countOperators(model),
    functions: (model.functions ?? []).map((f) => ({ domain: f.domain ?? '', name: f.name ?? '' })),
    externalData: externalInitializers(graph),
    metadata: Object.fromEntries((model.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

function invalid(message: string, cause?: unknown): never {
  throw new OutpostError('VALIDATION_FAILED', `invalid ONNX model: ${message}`, {
    issues: [{ path: 'model', message }],
    cause,
  });
}

function decode(bytes: Uint8Array): RawModel {
  if (bytes.length === 0) invalid('the file is empty');
  const type = onnxReadModelType();
  try {
    return type.toObject(type.decode(bytes), { longs: Number }) as RawModel;
  } catch (e) {
    // protobufjs says "index out of range" or "invalid wire type": true, but not what the user did wrong.
    invalid('the bytes are not an ONNX ModelProto (protobuf decoding failed)', e);
  }
}

function describeValue(v: RawValueInfo): TensorDescription {
  return {
    name: v.name ?? '',
    ...describeType(v.type),
    ...(v.doc_string ? { doc: v.doc_string } : {}),
  };
}

function describeType(t: RawType | undefined): Omit<TensorDescription, 'name' | 'doc'> {
  if (t?.tensor_type) {
    const elemType = ONNX_ELEM_TYPES[t.tensor_type.elem_type ?? 0];
    const shape = t.tensor_type.shape ? describeShape(t.tensor_type.shape) : undefined;
    return { kind: 'tensor', ...(elemType ? { elemType } : {}), ...(shape ? { shape } : {}), type: typeName(t) };
  }
  if (t?.sequence_type) return { kind: 'sequence', type: typeName(t) };
  if (t?.map_type) return { kind: 'map', type: typeName(t) };
  return { kind: 'other', type: typeName(t) };
}

function describeShape(shape: RawShape): (number | string | null)[] {
  return (shape.dim ?? []).map((d) => d.dim_value ?? (d.dim_param || null));
}

function elemName(n: number | undefined): string {
  return ONNX_ELEM_TYPES[n ?? 0] ?? `unknown type ${n ?? 0}`;
}

/** onnxruntime's notation (`tensor(float)`, `seq(map(int64,tensor(float)))`), with our element names. */
function typeName(t: RawType | undefined): string {
  if (t?.tensor_type) return `tensor(${elemName(t.tensor_type.elem_type)})`;
  if (t?.sequence_type) return `seq(${typeName(t.sequence_type.elem_type)})`;
  if (t?.map_type) return `map(${elemName(t.map_type.key_type)},${typeName(t.map_type.value_type)})`;
  if (t?.optional_type) return `optional(${typeName(t.optional_type.elem_type)})`;
  if (t?.sparse_tensor_type) return `sparse_tensor(${elemName(t.sparse_tensor_type.elem_type)})`;
  if (t?.opaque_type) return `opaque(${[t.opaque_type.domain, t.opaque_type.name].filter(Boolean).join(',')})`;
  return 'unknown';
}

function countOperators(model: RawModel): OnnxModelInfo['operators'] {
  const counts = new Map<string, { domain: string; opType: string; count: number }>();
  const visit = (nodes: RawNode[] | undefined): void => {
    for (const n of nodes ?? []) {
      const domain = n.domain ?? '';
      const opType = n.op_type ?? '';
      const key = `${domain}\u0000${opType}`;
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { domain, opType, count: 1 });
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g.node);
        for (const g of a.graphs ?? []) visit(g.node);
      }
    }
  };
  visit(model.graph?.node);
  for (const f of model.functions ?? []) visit(f.node);
  return [...counts.values()];
}

/** TensorProto.DataLocation.EXTERNAL: the weights are in another file the hub was not given. */
const EXTERNAL = 1;

function externalInitializers(graph: RawGraph): string[] {
  return (graph.initializer ?? []).filter((t) => t.data_location === EXTERNAL).map((t) => t.name ?? '');
}
