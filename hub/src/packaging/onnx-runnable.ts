import type * as Ort from 'onnxruntime-web';
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import { inspectOnnx, type OnnxModelInfo } from './onnx-reader.ts';
import { explainOrtFailure } from './ort-failure.ts';
import { loadOrt } from './load-ort.ts';

/**
 * Operator domains onnxruntime-web's wasm build registers kernels for: the standard set ('' or
 * 'ai.onnx'), the classic-ML set (skl2onnx) and onnxruntime's contrib ops (fused ops from its optimizer).
 */
export const ORT_WEB_DOMAINS: ReadonlySet<string> = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft']);

/** Element types onnxruntime-web's `Tensor` can be built from, so the types an input can be fed with. */
export const ORT_WEB_INPUT_TYPES: ReadonlySet<string> = new Set([
  'float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32',
  'int64', 'uint64', 'bool', 'string', 'int4', 'uint4',
]);

/**
 * What makes a model unrunnable by onnxruntime-web, read from the model alone (no runtime needed):
 * operators of other domains (unless they call a model-local function), inputs that are not tensors
 * of a type the JS API can build, no tensor output at all, weights in external files.
 * Every problem is listed, not only the first.
 * @example runtimeIssues(inspectOnnx(bytes)) // [{ path: 'model', message: "operator Foo of domain 'com.acme' …" }]
 */
export function runtimeIssues(info: OnnxModelInfo): ErrorIssue[] {
  const issue = (message: string): ErrorIssue => ({ path: 'model', message });
  const local = new Set(info.functions.map((f) => `${f.domain}\u0000${f.name}`));
  const issues = info.operators
    .filter((o) => !ORT_WEB_DOMAINS.has(o.domain) && !local.has(`${o.domain}\u0000${o.opType}`))
    .map((o) =>
      issue(
        `operator ${o.opType} of domain '${o.domain}' is not implemented by onnxruntime-web ` +
          `(it runs the ai.onnx, ai.onnx.ml and com.microsoft domains only)`,
      ),
    );
  for (const input of info.inputs) {
    if (input.kind !== 'tensor') {
      issues.push(issue(`input '${input.name}' is a ${input.type}; onnxruntime-web can only feed tensors`));
    } else if (!input.elemType || !ORT_WEB_INPUT_TYPES.has(input.elemType)) {
      issues.push(issue(`input '${input.name}' is a ${input.type}, which onnxruntime-web cannot build`));
    }
  }
  if (!info.outputs.some((o) => o.kind === 'tensor')) {
    const types = info.outputs.map((o) => `'${o.name}': ${o.type}`).join(', ');
    issues.push(issue(`no output is a tensor (${types}); onnxruntime-web can only read tensors`));
  }
  if (info.externalData.length > 0) {
    issues.push(
      issue(
        `weights ${info.externalData.slice(0, 3).join(', ')}${info.externalData.length > 3 ? ', …' : ''} ` +
          'are stored in external data files; export the model as a single .onnx file',
      ),
    );
  }
  return issues;
}

/**
 * Refuse, before registering it, a model that onnxruntime-web (the runtime the SDK ships) cannot
 * load: first the cheap checks of `runtimeIssues`, then a real InferenceSession on the WASM backend.
 * Throws OutpostError('VALIDATION_FAILED') whose message names the operator when onnxruntime does.
 * Loading is not running: `smokeRun` goes on to execute the model once.
 * @example const { inputNames, outputNames } = await checkRunnable(bytes);
 */
export async function checkRunnable(
  bytes: Uint8Array,
): Promise<{ ok: true; inputNames: string[]; outputNames: string[] }> {
  const issues = runtimeIssues(inspectOnnx(bytes));
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new OutpostError('VALIDATION_FAILED', `onnxruntime-web cannot run this model: ${issues[0]!.message}${more}`, {
      issues,
    });
  }
  const session = await createSession(bytes);
  try {
    return { ok: true, inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
  } finally {
    await session.release();
  }
}

/**
 * An onnxruntime-web session on the WASM backend; a refusal becomes VALIDATION_FAILED, explained.
 * The caller releases it.
 * @example const session = await createSession(bytes); try { … } finally { await session.release(); }
 */
export async function createSession(bytes: Uint8Array): Promise<Ort.InferenceSession> {
  const ort = await loadOrt();
  try {
    // Fatal only: a user's model may warn at length (initializers in inputs, …) and its errors are
    // the user's, thrown back to them below; they are not the hub's to log.
    return await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], logSeverityLevel: 4 });
  } catch (e) {
    throw ortRefusal('onnxruntime-web cannot run this model', e);
  }
}

/**
 * OutpostError('VALIDATION_FAILED') for an onnxruntime-web failure, naming what it names.
 * @example throw ortRefusal('onnxruntime-web cannot run this model', e);
 */
export function ortRefusal(prefix: string, error: unknown): OutpostError {
  const failure = explainOrtFailure(error);
  const said = failure.summary === failure.detail ? '' : ` (onnxruntime: ${failure.detail})`;
  return new OutpostError('VALIDATION_FAILED', `${prefix}: ${failure.summary}`, {
    issues: [{ path: 'model', message: `${failure.summary}${said}` }],
    cause: error,
  });
}
