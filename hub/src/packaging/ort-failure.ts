/** What went wrong when onnxruntime refused a model, in words a model's author can act on. */
export interface OrtFailure {
  /** One sentence naming the operator, domain or version at fault where onnxruntime's message does. */
  summary: string;
  /** The operator onnxruntime named, if any. */
  operator?: { opType: string; domain?: string; opset?: number; node?: string };
  /** onnxruntime's own message without its session prefix and C++ source location. */
  detail: string;
}

type Rule = [RegExp, (m: RegExpMatchArray) => Omit<OrtFailure, 'detail'>];

const node = (name: string | undefined) => (name ? ` (node '${name}')` : '');
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/**
 * onnxruntime's messages for the failures users meet, as worded by onnxruntime 1.2x
 * (onnxruntime/core/graph/graph.cc, core/framework/session_state.cc, model_load_utils.h).
 * First match wins; an unmatched message is passed through as is.
 */
const RULES: Rule[] = [
  [
    /Could not find an implementation for (\S+)\((\d+)\) node with name '([^']*)'/,
    ([, op, v, n]) => ({
      summary: `operator ${op} (opset ${v})${node(n)} has no onnxruntime-web kernel for the tensor types it is given`,
      operator: { opType: op!, opset: num(v), ...(n ? { node: n } : {}) },
    }),
  ],
  [
    /No Op registered for (\S+) with domain_version of (\d+)/,
    ([, op, v]) => ({
      summary: `operator ${op} does not exist in opset ${v}`,
      operator: { opType: op!, opset: num(v) },
    }),
  ],
  [
    /([\w.-]*):([^\s:(]+)\((-?\d+)\) is not a registered function\/op/,
    ([, domain, op]) => ({
      summary: `operator ${op} of domain '${domain}' is not implemented by onnxruntime-web`,
      operator: { opType: op!, domain: domain! },
    }),
  ],
  [
    /of operator \((\S+)\) in node \(([^)]*)\) is invalid/,
    ([, op, n]) => ({
      summary: `operator ${op}${node(n)} is given inputs of a type it does not accept`,
      operator: { opType: op!, ...(n ? { node: n } : {}) },
    }),
  ],
  [
    /Node\(([^)]*)\) with schema\(([^:]*)::([^:]+):(\d+)\) (.*)$/m,
    ([, n, domain, op, v, rest]) => ({
      summary: `operator ${op} (opset ${v})${node(n)} ${rest!.replace(/\.$/, '')}`,
      operator: { opType: op!, domain: domain!, opset: num(v), ...(n ? { node: n } : {}) },
    }),
  ],
  [
    /Opset (\d+) is under development.*Current official support for domain (\S+) is till opset (\d+)/s,
    ([, v, domain, max]) => ({
      summary:
        `opset ${v} of domain ${domain} is newer than onnxruntime-web supports (up to ${max}); ` +
        'export with an older opset',
    }),
  ],
  [
    /No opset import for domain '([^']*)'/,
    ([, domain]) => ({ summary: `nodes use domain '${domain}' but the model imports no opset for it` }),
  ],
  [
    /Unsupported model IR version: (\d+), max supported IR version: (\d+)/,
    ([, v, max]) => ({ summary: `IR version ${v} is newer than onnxruntime-web supports (up to ${max})` }),
  ],
  [
    // A kernel's constructor refused its attributes:
    // "…/fused_gemm.cc:23 onnxruntime::contrib::FusedGemm<float>::FusedGemm(const OpKernelInfo &) … unknown kernel type".
    /::(\w+)(?:<[^>]*>)?::\1\(const OpKernelInfo ?&\)/,
    ([, op]) => ({ summary: `operator ${op} cannot be set up with its attributes`, operator: { opType: op! } }),
  ],
  [
    /Non-zero status code returned while running (\S+) node\. Name:'([^']*)' Status Message: (?:\S+:\d+ \S+ )?(.*)$/s,
    ([, op, n, why]) => ({
      summary: `operator ${op}${node(n)} failed: ${why!.trim()}`,
      operator: { opType: op!, ...(n ? { node: n } : {}) },
    }),
  ],
  [/protobuf parsing failed/, () => ({ summary: 'the bytes are not an ONNX model (protobuf parsing failed)' })],
];

/**
 * Turn an error thrown by onnxruntime-web (session creation or run) into an OrtFailure.
 * @example
 * explainOrtFailure(new Error(
 *   "Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: Could not find an implementation for Relu(14) node with name 'n0'"));
 * // { summary: "operator Relu (opset 14) (node 'n0') has no onnxruntime-web kernel …",
 * //   operator: { opType: 'Relu', opset: 14, node: 'n0' }, detail: "Could not find …" }
 */
export function explainOrtFailure(error: unknown): OrtFailure {
  // onnxruntime-web's wrapper: "Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: …".
  const raw = (error instanceof Error ? error.message : String(error)).replace(/^.*?ERROR_MESSAGE: /s, '').trim();
  const detail = cleanMessage(raw);
  for (const [pattern, explain] of RULES) {
    const m = raw.match(pattern);
    if (m) return { ...explain(m), detail };
  }
  return { summary: detail, detail };
}

function cleanMessage(message: string): string {
  return (
    message
      // "[ONNXRuntimeError] : 1 : FAIL : unknown kernel type" keeps its last part.
      .replace(/^.*\[ONNXRuntimeError\] : \d+ : \w+ : /s, '')
      // A build path and C++ signature before the sentence:
      // "/mnt/…/model.cc:203 onnxruntime::Model::Model(…) Unsupported…".
      .replace(/^\/\S+:\d+ .*?\) (?=[A-Z])/s, '')
      .trim()
  );
}
