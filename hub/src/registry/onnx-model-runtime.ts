import type * as Ort from 'onnxruntime-web';
import { OutpostError } from '@outpost/shared';
import { loadOrt } from '../packaging/load-ort.ts';
import { createSession, ortRefusal } from '../packaging/onnx-runnable.ts';
import { checkUploadedModel } from './model-check.ts';
import type { LoadedModel, ModelIo, ModelRuntime } from './model-runtime.ts';

/**
 * The ModelRuntime of the Node hub: models checked by `checkUploadedModel` and run with
 * onnxruntime-web on its WASM backend, the runtime the SDK ships, so the hub runs the very bytes
 * devices will. onnxruntime-web is loaded on first use.
 * @example const hub = createApp({ ...deps, models: createOnnxModelRuntime() });
 */
export function createOnnxModelRuntime(): ModelRuntime {
  return {
    async check(bytes, spec) {
      const { input, output } = await checkUploadedModel(bytes, spec);
      return { input, output };
    },
    async open(bytes, io) {
      const ort = await loadOrt();
      return openSession(ort, await createSession(bytes), io);
    },
  };
}

function openSession(ort: typeof Ort, session: Ort.InferenceSession, io: ModelIo): LoadedModel {
  const width = io.input.shape[1]!;
  const outWidth = io.output.shape[1]!;
  // A model exported with a fixed batch (planSignature allows only 1) is fed that many rows at a time.
  const fixedBatch = io.input.shape[0]! > 0 ? io.input.shape[0]! : 0;
  return {
    async run(x, rows) {
      if (x.length !== rows * width) {
        throw new OutpostError('INTERNAL', `${rows} rows of ${width} values are ${rows * width} numbers, not ${x.length}`);
      }
      const out = new Float32Array(rows * outWidth);
      const step = fixedBatch || Math.max(rows, 1);
      for (let start = 0; start < rows; start += step) {
        const n = Math.min(step, rows - start);
        const feeds = { [io.input.name]: new ort.Tensor('float32', x.subarray(start * width, (start + n) * width), [n, width]) };
        let results: Ort.InferenceSession.ReturnType;
        try {
          results = await session.run(feeds, [io.output.name], { logSeverityLevel: 4 });
        } catch (e) {
          throw ortRefusal(`onnxruntime-web could not run this model on rows ${start + 1}–${start + n}`, e);
        }
        try {
          const t = results[io.output.name]!;
          if (t.dims.length !== 2 || t.dims[0] !== n || t.dims[1] !== outWidth) {
            const message = `output '${io.output.name}' gave shape [${t.dims.join(', ')}] for ${n} rows, not [${n}, ${outWidth}]`;
            throw new OutpostError('VALIDATION_FAILED', `cannot run this model: ${message}`, { issues: [{ path: 'model', message }] });
          }
          out.set(t.data as Float32Array, start * outWidth);
        } finally {
          for (const t of Object.values(results)) t.dispose();
        }
      }
      return out;
    },
    close: () => session.release(),
  };
}
