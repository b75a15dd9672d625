import { createProfiler, profileTypeOf as featureProfileType, type DatasetProfile, type FeatureSpec, type RawRecord } from '@outpost/shared';

/**
 * The reference a deployed model is compared with: the training rows' raw feature values (as the
 * device sees them, before encoding) and the model's outputs on those rows, profiled with the same
 * mergeable sketches as datasets (@outpost/shared profile/), so monitoring can profile live
 * windows the same way and compare like with like. `outputs` is row-major, `outputWidth(spec.label)`
 * numbers per row, in the order of `trainRows`.
 */
export function referenceProfile(spec: FeatureSpec, rows: readonly RawRecord[], trainRows: readonly number[], outputs: Float32Array): { features: DatasetProfile; outputs: DatasetProfile } {
  const features = createProfiler(spec.features.map((f) => ({ name: f.name, type: featureProfileType(f) })));
  for (const r of trainRows) features.add(rows[r]!);
  return { features: features.result(), outputs: outputProfile(spec.label, outputs, trainRows.length) };
}

/** A classifier's outputs: each class's probability (`p(class)`) and the predicted class; a regressor's: the predicted value (`prediction`). */
function outputProfile(label: FeatureSpec['label'], outputs: Float32Array, rows: number): DatasetProfile {
  if (label.task === 'regression') {
    const profiler = createProfiler([{ name: 'prediction', type: 'numeric' }]);
    for (let i = 0; i < rows; i++) profiler.add({ prediction: outputs[i]! });
    return profiler.result();
  }
  const classes = label.classes;
  const profiler = createProfiler([...classes.map((c) => ({ name: `p(${c})`, type: 'numeric' as const })), { name: 'predicted', type: 'categorical' }]);
  for (let i = 0; i < rows; i++) {
    const p = outputs.subarray(i * classes.length, (i + 1) * classes.length);
    let best = 0;
    for (let c = 1; c < classes.length; c++) if (p[c]! > p[best]!) best = c;
    profiler.add({ ...Object.fromEntries(classes.map((c, j) => [`p(${c})`, p[j]!])), predicted: classes[best]! });
  }
  return profiler.result();
}
