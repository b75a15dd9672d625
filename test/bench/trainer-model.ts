// What both halves of the trainer bench share: the encoded data's shape and the hub's architecture in tfjs.
import type * as Tf from '@tensorflow/tfjs';

/** The encoded training split, as the hub's train() builds it (trainer.ts). */
export interface Encoded {
  rows: number;
  width: number;
  classes: number;
  /** The network's input. */
  x: Float32Array;
  /** The shared encoding the exported ONNX takes (raw numbers where its graph transforms them); absent: `x`. */
  encoded?: Float32Array;
  /** One-hot, row-major [rows, classes]. */
  y: Float32Array;
}

/** The hub's architecture: Dense(hidden, relu) → Dense(classes, softmax), Glorot-uniform kernels. */
export function denseClassifier(tf: typeof Tf, width: number, hidden: number, classes: number): Tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [width], units: hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
