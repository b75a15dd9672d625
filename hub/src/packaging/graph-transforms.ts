import { featureWidth, inputWidth, type FeatureSpec } from '@outpost/shared';

/**
 * The feature transforms the ONNX graph applies itself, per input column, as a prefix before the
 * first dense layer (packaging/onnx-writer.ts): for the columns of numeric features with `inGraph`,
 *   y = clip((mix(x) − shift) · scale, lo, hi),  mix(x) = log(relu(x) + 1) · logMask + x · (1 − logMask)
 * — standardize: shift mean, scale 1/std; minmax: shift min, scale 1/(max − min) (0 for a
 * constant), clipped to [0, 1]; log: log1p(max(x, 0)) then standardized. Every other column passes
 * through unchanged (shift 0, scale 1, no log, no clip).
 */
export interface GraphTransforms {
  shift: Float32Array;
  scale: Float32Array;
  /** 1 where the column is logged, else 0. */
  logMask: Float32Array;
  lo: Float32Array;
  hi: Float32Array;
}

/** The graph's transforms for a spec, or null when no feature is transformed in the graph. */
export function graphTransformsOf(spec: FeatureSpec): GraphTransforms | null {
  if (!spec.features.some((f) => f.kind === 'numeric' && f.inGraph)) return null;
  const width = inputWidth(spec);
  const t: GraphTransforms = {
    shift: new Float32Array(width),
    scale: new Float32Array(width).fill(1),
    logMask: new Float32Array(width),
    lo: new Float32Array(width).fill(-Infinity),
    hi: new Float32Array(width).fill(Infinity),
  };
  let i = 0;
  for (const f of spec.features) {
    if (f.kind === 'numeric' && f.inGraph) {
      if (f.transform === 'minmax') {
        const min = f.min ?? 0;
        const range = (f.max ?? min) - min;
        t.shift[i] = min;
        t.scale[i] = range > 0 ? 1 / range : 0;
        t.lo[i] = 0;
        t.hi[i] = 1;
      } else {
        t.shift[i] = f.mean;
        t.scale[i] = 1 / f.std;
        if (f.transform === 'log') t.logMask[i] = 1;
      }
    }
    i += featureWidth(f);
  }
  return t;
}

/**
 * What the graph's prefix computes, in float32 step by step as onnxruntime does, for `rows` rows of
 * `x` (row-major): the trainer trains on exactly what the exported model will see after its prefix.
 */
export function applyGraphTransforms(t: GraphTransforms, x: Float32Array): Float32Array {
  const f = Math.fround;
  const width = t.shift.length;
  const out = new Float32Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const c = k % width;
    const v = x[k]!;
    const logged = f(Math.log(f(Math.max(v, 0) + 1)));
    // The mask is 0 or 1, so the choice is exact.
    const mixed = t.logMask[c] === 1 ? logged : v;
    const y = f(f(mixed - t.shift[c]!) * t.scale[c]!);
    out[k] = Math.min(Math.max(y, t.lo[c]!), t.hi[c]!);
  }
  return out;
}
