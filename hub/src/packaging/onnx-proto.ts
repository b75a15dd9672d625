import * as protobuf from 'protobufjs/light.js';

/**
 * Messages the writer (below) and the reader of uploaded models (onnx-inspect-proto.ts) declare
 * alike, with the field numbers of onnx.proto. Each side adds what only it needs: the writer the
 * weights' bytes and attribute values, the reader the non-tensor types, functions and metadata.
 */
export const TENSOR_TYPE = {
  fields: {
    elem_type: { type: 'int32', id: 1 },
    shape: { type: 'TensorShapeProto', id: 2 },
  },
};
export const SHARED_MESSAGES = {
  OperatorSetIdProto: {
    fields: {
      domain: { type: 'string', id: 1 },
      version: { type: 'int64', id: 2 },
    },
  },
  ValueInfoProto: {
    fields: {
      name: { type: 'string', id: 1 },
      type: { type: 'TypeProto', id: 2 },
      doc_string: { type: 'string', id: 3 },
    },
  },
  TensorShapeProto: {
    fields: {
      dim: { rule: 'repeated', type: 'Dimension', id: 1 },
    },
    nested: {
      // `oneof value { dim_value = 1; dim_param = 2; }`: the writer sets exactly one; neither means unknown.
      Dimension: {
        fields: {
          dim_value: { type: 'int64', id: 1 },
          dim_param: { type: 'string', id: 2 },
          denotation: { type: 'string', id: 3 },
        },
      },
    },
  },
};

/**
 * The subset of onnx.proto (proto2, package `onnx`) needed for a dense classifier, with the field
 * numbers of https://github.com/onnx/onnx/blob/main/onnx/onnx.proto. Field names stay snake_case
 * as in the .proto; protobufjs encodes by number, so only the numbers matter on the wire.
 * Defined as JSON so the hub needs no .proto file at run time and no protobuf parser (protobufjs/light).
 */
const ONNX_SUBSET = {
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
          },
        },
        OperatorSetIdProto: SHARED_MESSAGES.OperatorSetIdProto,
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            doc_string: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            doc_string: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
            doc_string: { type: 'string', id: 12 },
          },
        },
        ValueInfoProto: SHARED_MESSAGES.ValueInfoProto,
        TypeProto: {
          fields: {
            tensor_type: { type: 'Tensor', id: 1 },
            denotation: { type: 'string', id: 6 },
          },
          nested: { Tensor: TENSOR_TYPE },
        },
        TensorShapeProto: SHARED_MESSAGES.TensorShapeProto,
      },
    },
  },
};

/** onnx.proto `TensorProto.DataType.FLOAT`. */
export const ONNX_FLOAT = 1;
/** onnx.proto `AttributeProto.AttributeType`. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2 } as const;

let root: protobuf.Root | undefined;

/** The ModelProto type, built once. */
export function modelProtoType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_SUBSET);
  return root.lookupType('onnx.ModelProto');
}
