import { describe, it, expect } from 'vitest';
import { explainOrtFailure } from './ort-failure.ts';

const session = (code: number, message: string) => new Error(`Can't create a session. ERROR_CODE: ${code}, ERROR_MESSAGE: ${message}`);

// Messages as onnxruntime-web 1.30 (wasm, Node) threw them for the models in onnx-reader.test.ts.
const CASES: [string, Error, { summary: RegExp; operator?: object; detail?: string }][] = [
  [
    'no kernel for the types',
    session(9, "Could not find an implementation for Relu(14) node with name 'n0'"),
    { summary: /^operator Relu \(opset 14\) \(node 'n0'\) has no onnxruntime-web kernel/, operator: { opType: 'Relu', opset: 14, node: 'n0' } },
  ],
  [
    'unknown operator',
    session(6, 'No Op registered for NotAnOp with domain_version of 13'),
    { summary: /^operator NotAnOp does not exist in opset 13$/, operator: { opType: 'NotAnOp', opset: 13 } },
  ],
  [
    'custom domain',
    session(1, 'Fatal error: com.acme:MyOp(-1) is not a registered function/op'),
    { summary: /^operator MyOp of domain 'com.acme' is not implemented/, operator: { opType: 'MyOp', domain: 'com.acme' } },
  ],
  [
    'type error',
    session(10, "This is an invalid model. Type Error: Type 'tensor(uint16)' of input parameter (x) of operator (Add) in node (n0) is invalid."),
    { summary: /^operator Add \(node 'n0'\) is given inputs of a type/, operator: { opType: 'Add', node: 'n0' } },
  ],
  [
    'arity',
    session(6, 'Node(n0) with schema(::Gemm:13) has input size 1 not in range [min=2, max=3].'),
    { summary: /^operator Gemm \(opset 13\) \(node 'n0'\) has input size 1 not in range \[min=2, max=3\]$/, operator: { opType: 'Gemm', domain: '', opset: 13, node: 'n0' } },
  ],
  [
    'future opset, with a C++ source location',
    session(
      1,
      '/mnt/azure_nvme_temp/_work/1/s/onnxruntime/core/graph/model_load_utils.h:56 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::string, int> &, const logging::Logger &, bool, const std::string &, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 99 is under development and support for this is limited. Current official support for domain ai.onnx is till opset 26.\n',
    ),
    { summary: /^opset 99 of domain ai.onnx is newer than onnxruntime-web supports \(up to 26\)/, detail: 'ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 99 is under development and support for this is limited. Current official support for domain ai.onnx is till opset 26.' },
  ],
  [
    'IR version',
    session(1, '/mnt/x/onnxruntime/core/graph/model.cc:203 onnxruntime::Model::Model(ModelProto &&, const PathString &) Unsupported model IR version: 99, max supported IR version: 13\n'),
    { summary: /^IR version 99 is newer than onnxruntime-web supports \(up to 13\)$/, detail: 'Unsupported model IR version: 99, max supported IR version: 13' },
  ],
  [
    'missing opset import',
    session(6, "No opset import for domain 'com.acme'"),
    { summary: /^nodes use domain 'com.acme' but the model imports no opset for it$/ },
  ],
  [
    'kernel constructor',
    session(1, '/mnt/x/onnxruntime/contrib_ops/cpu/fused_gemm.cc:23 onnxruntime::contrib::FusedGemm<float>::FusedGemm(const OpKernelInfo &) [T = float] [ONNXRuntimeError] : 1 : FAIL : unknown kernel type\n'),
    { summary: /^operator FusedGemm cannot be set up/, operator: { opType: 'FusedGemm' }, detail: 'unknown kernel type' },
  ],
  [
    'failure while running',
    new Error("Non-zero status code returned while running MatMul node. Name:'mm' Status Message: matmul_helper.h:61 Compute MatMul dimension mismatch"),
    { summary: /^operator MatMul \(node 'mm'\) failed: MatMul dimension mismatch$/, operator: { opType: 'MatMul', node: 'mm' } },
  ],
  ['not a model', session(7, 'Failed to load model because protobuf parsing failed.'), { summary: /not an ONNX model/ }],
  ['anything else passes through', session(2, 'Something new.'), { summary: /^Something new\.$/, detail: 'Something new.' }],
];

describe('explainOrtFailure', () => {
  it.each(CASES)('%s', (_, error, expected) => {
    const failure = explainOrtFailure(error);
    expect(failure.summary).toMatch(expected.summary);
    if (expected.operator) expect(failure.operator).toEqual(expected.operator);
    if (expected.detail) expect(failure.detail).toBe(expected.detail);
    expect(failure.detail).not.toMatch(/ERROR_CODE|^\/mnt/);
  });

  it('takes non-Error values', () => {
    expect(explainOrtFailure('plain string').summary).toBe('plain string');
  });
});
