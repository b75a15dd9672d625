import { describe, expect, test } from 'vitest';
import { TINY_CLASSIFIER, tinyClassifierBytes } from '../testing/fixtures/tiny-classifier.ts';
import { createOnnxRuntime } from './onnx.ts';

/** What the fixture computes, in plain JS: softmax(x · kernel + bias). */
function expected(x: number[]): number[] {
  const logits = [0, 1, 2].map((j) => TINY_CLASSIFIER.bias[j]! + x.reduce((sum, xi, i) => sum + xi * TINY_CLASSIFIER.kernel[i * 3 + j]!, 0));
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

const io = { inputName: TINY_CLASSIFIER.inputName, outputName: TINY_CLASSIFIER.outputName };
// One thread: Node has no cross-origin isolation story, and worker threads would outlive the test.
const runtime = createOnnxRuntime({ numThreads: 1 });

describe('onnxruntime-web runtime (real wasm, in Node)', () => {
  test('runs a real ONNX model on the WASM execution provider', async () => {
    const session = await runtime.createSession(tinyClassifierBytes(), io);
    expect(session.executionProvider).toBe('wasm');
    for (const x of [[0, 1, 0, 0], [1.5, 0, 1, 0], [-2, 0, 0, 1]]) {
      const out = await session.run(Float32Array.from(x), [1, 4]);
      expect(out).toBeInstanceOf(Float32Array);
      Array.from(out).forEach((p, j) => expect(p).toBeCloseTo(expected(x)[j]!, 6));
    }
    await session.release();
  });

  test('concurrent runs on one session all get their own answer', async () => {
    const session = await runtime.createSession(tinyClassifierBytes(), io);
    const inputs = Array.from({ length: 20 }, (_, i) => [i / 5 - 2, i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0]);
    const outputs = await Promise.all(inputs.map((x) => session.run(Float32Array.from(x), [1, 4])));
    outputs.forEach((out, k) => expect(out[0]).toBeCloseTo(expected(inputs[k]!)[0]!, 6));
    await session.release();
  });

  test('bytes that are not a model reject', async () => {
    await expect(runtime.createSession(new Uint8Array([1, 2, 3, 4]), io)).rejects.toThrow(/protobuf parsing failed/);
  });

  test('a wrong output name rejects the run, naming it', async () => {
    const session = await runtime.createSession(tinyClassifierBytes(), { ...io, outputName: 'logits' });
    await expect(session.run(new Float32Array(4), [1, 4])).rejects.toThrow(/logits/);
    await session.release();
  });
});
