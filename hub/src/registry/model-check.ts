import type * as Ort from 'onnxruntime-web';
import { OutpostError, type FeatureSpec } from '@outpost/shared';
import { inspectOnnx, type OnnxModelInfo } from '../packaging/onnx-reader.ts';
import { createSession, ortRefusal, runtimeIssues } from '../packaging/onnx-runnable.ts';
import { loadOrt } from '../packaging/load-ort.ts';
import { writeDenseClassifierOnnx } from '../packaging/onnx-writer.ts';
import type { TensorInfo } from '../training/types.ts';
import { chooseOutput, planSignature, type ProducedOutput } from './onnx-signature.ts';

export interface CheckedModel {
  info: OnnxModelInfo;
  input: TensorInfo;
  output: TensorInfo;
}

/**
 * Everything the hub checks before it registers a model trained elsewhere, cheapest first:
 * it parses as ONNX (`inspectOnnx`); its declared interface fits the feature spec
 * (`planSignature`); it uses only operators and types onnxruntime-web has (`runtimeIssues`);
 * onnxruntime-web loads it; and one run on a batch of 1, fetching every output as the SDK does,
 * gives class probabilities (`chooseOutput`). Throws OutpostError: VALIDATION_FAILED naming
 * `model` or `features`, or NOT_IMPLEMENTED where the platform can do neither (`requireModelChecks`).
 * @example const { input, output } = await checkUploadedModel(bytes, spec);
 */
export async function checkUploadedModel(bytes: Uint8Array, spec: FeatureSpec): Promise<CheckedModel> {
  // First: where the hub cannot decode or run ONNX, every later step would blame the model.
  await requireModelChecks();
  const info = inspectOnnx(bytes);
  const plan = planSignature(info, spec);
  const issues = runtimeIssues(info);
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new OutpostError('VALIDATION_FAILED', `onnxruntime-web cannot run this model: ${issues[0]!.message}${more}`, { issues });
  }
  const ort = await loadOrt();
  const session = await createSession(bytes);
  try {
    const width = plan.input.shape[1]!;
    const feeds = { [plan.input.name]: new ort.Tensor('float32', new Float32Array(width), [1, width]) };
    let results: Ort.InferenceSession.ReturnType;
    try {
      results = await session.run(feeds, { logSeverityLevel: 4 });
    } catch (e) {
      throw ortRefusal(`onnxruntime-web could not run this model on an all-zero input ${plan.input.name}[1,${width}]`, e);
    }
    const produced: ProducedOutput[] = Object.entries(results).map(([name, t]) => ({ name, type: t.type, dims: t.dims, data: t.data as ProducedOutput['data'] }));
    try {
      return { info, input: plan.input, output: chooseOutput(plan.candidates, produced, spec) };
    } finally {
      for (const t of Object.values(results)) t.dispose();
    }
  } finally {
    await session.release();
  }
}

let ready: Promise<void> | undefined;

/**
 * Resolve once this platform has decoded and run a known-good model; reject with NOT_IMPLEMENTED
 * where it cannot. Cloudflare Workers forbid generating code from strings (protobufjs decodes with
 * generated functions) and compiling WebAssembly at run time (onnxruntime-web), so the Workers entry
 * injects no model runtime at all (HubDeps.models); this probe still guards any other platform
 * whose onnxruntime-web cannot load, where a refusal would otherwise blame the user's model.
 * A success is remembered, a failure is not.
 * @example await requireModelChecks(); // from here on, a decoding or session failure is the model's
 */
export function requireModelChecks(): Promise<void> {
  ready ??= probe().catch((e: unknown) => {
    ready = undefined;
    throw e;
  });
  return ready;
}

async function probe(): Promise<void> {
  try {
    // A model the hub knows onnxruntime-web runs: one input, a softmax over 2 classes.
    const known = writeDenseClassifierOnnx({
      inputName: 'x',
      outputName: 'p',
      inputWidth: 1,
      layers: [{ in: 1, out: 2, activation: 'softmax', kernel: new Float32Array([1, -1]), bias: new Float32Array(2) }],
    });
    inspectOnnx(known);
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(known, { executionProviders: ['wasm'], logSeverityLevel: 4 });
    try {
      const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(1), [1, 1]) });
      for (const t of Object.values(out)) t.dispose();
    } finally {
      await session.release();
    }
  } catch (e) {
    // inspectOnnx wraps its own failure; the platform's reason is the cause underneath.
    const root = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    const why = root instanceof Error ? root.message : String(root);
    throw new OutpostError(
      'NOT_IMPLEMENTED',
      `this hub cannot check ONNX models on its platform (${why.slice(0, 200)}), so it cannot register uploaded ones; upload models to a hub on Node`,
      { cause: e },
    );
  }
}
