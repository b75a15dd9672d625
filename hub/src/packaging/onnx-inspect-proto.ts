import * as protobuf from 'protobufjs/light.js';
import { SHARED_MESSAGES, TENSOR_TYPE } from './onnx-proto.ts';

/**
 * The subset of onnx.proto (proto2, package `onnx`) needed to *read* a model someone else exported:
 * its interface (inputs, outputs, types), its operators and its metadata. Field numbers are those of
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto; fields left out (weights' raw_data,
 * attributes' values, doc strings of nodes) are skipped by protobufjs on decode, so reading a large
 * model does not copy its weights. The messages both sides declare alike come from onnx-proto.ts.
 */
const ONNX_READ_SUBSET = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
            // Model-local functions (IR 8+): a node whose (domain, op_type) names one is a call, not a
            // custom operator; onnxruntime inlines it. Newer torch.onnx exporters emit them.
            functions: { rule: 'repeated', type: 'FunctionProto', id: 25 },
          },
        },
        OperatorSetIdProto: SHARED_MESSAGES.OperatorSetIdProto,
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        FunctionProto: {
          fields: {
            name: { type: 'string', id: 1 },
            node: { rule: 'repeated', type: 'NodeProto', id: 7 },
            domain: { type: 'string', id: 10 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            // Only initializer names are read: they tell which graph inputs are really weights.
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            sparse_initializer: { rule: 'repeated', type: 'SparseTensorProto', id: 15 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        // Only the graph-valued attributes: the bodies of If / Loop / Scan, whose nodes count too.
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            g: { type: 'GraphProto', id: 6 },
            graphs: { rule: 'repeated', type: 'GraphProto', id: 11 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            // 1 = EXTERNAL: the data is in a file beside the model, which an upload does not carry.
            data_location: { type: 'int32', id: 14 },
          },
        },
        SparseTensorProto: {
          fields: {
            // The sparse initializer's name is its values tensor's name.
            values: { type: 'TensorProto', id: 1 },
          },
        },
        ValueInfoProto: SHARED_MESSAGES.ValueInfoProto,
        TypeProto: {
          // `oneof value` in onnx.proto: one of these is set.
          fields: {
            tensor_type: { type: 'Tensor', id: 1 },
            sequence_type: { type: 'Sequence', id: 4 },
            map_type: { type: 'Map', id: 5 },
            denotation: { type: 'string', id: 6 },
            opaque_type: { type: 'Opaque', id: 7 },
            sparse_tensor_type: { type: 'SparseTensor', id: 8 },
            optional_type: { type: 'Optional', id: 9 },
          },
          nested: {
            Tensor: TENSOR_TYPE,
            Sequence: {
              fields: { elem_type: { type: 'TypeProto', id: 1 } },
            },
            Map: {
              fields: {
                key_type: { type: 'int32', id: 1 },
                value_type: { type: 'TypeProto', id: 2 },
              },
            },
            Optional: {
              fields: { elem_type: { type: 'TypeProto', id: 1 } },
            },
            SparseTensor: TENSOR_TYPE,
            Opaque: {
              fields: {
                domain: { type: 'string', id: 1 },
                name: { type: 'string', id: 2 },
              },
            },
          },
        },
        TensorShapeProto: SHARED_MESSAGES.TensorShapeProto,
      },
    },
  },
};

let root: protobuf.Root | undefined;

/**
 * The reading ModelProto type, built once. Also encodes, which tests use to hand-build models.
 * @example const model = onnxReadModelType().decode(bytes);
 */
export function onnxReadModelType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_READ_SUBSET);
  return root.lookupType('onnx.ModelProto');
}

/** The plain-object shapes `toObject(…, { longs: Number })` gives for the subset above. */
export interface RawModel {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  graph?: RawGraph;
  opset_import?: { domain?: string; version?: number }[];
  metadata_props?: { key?: string; value?: string }[];
  functions?: { name?: string; domain?: string; node?: RawNode[] }[];
}
export interface RawGraph {
  node?: RawNode[];
  name?: string;
  initializer?: { name?: string; data_location?: number }[];
  sparse_initializer?: { values?: { name?: string } }[];
  input?: RawValueInfo[];
  output?: RawValueInfo[];
}
export interface RawNode {
  op_type?: string;
  domain?: string;
  name?: string;
  attribute?: { g?: RawGraph; graphs?: RawGraph[] }[];
}
export interface RawValueInfo {
  name?: string;
  type?: RawType;
  doc_string?: string;
}
export interface RawType {
  tensor_type?: { elem_type?: number; shape?: RawShape };
  sequence_type?: { elem_type?: RawType };
  map_type?: { key_type?: number; value_type?: RawType };
  optional_type?: { elem_type?: RawType };
  sparse_tensor_type?: { elem_type?: number; shape?: RawShape };
  opaque_type?: { domain?: string; name?: string };
}
export interface RawShape {
  dim?: { dim_value?: number; dim_param?: string }[];
}

/**
 * onnx.proto `TensorProto.DataType`, by number, as onnxruntime-web names tensor types where it has
 * a name for them (float32, int64, …).
 */
export const ONNX_ELEM_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
  24: 'float8e8m0',
  25: 'uint2',
  26: 'int2',
};
