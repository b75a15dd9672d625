import { createProfiler, profileTypeOf as featureProfileType, type DatasetProfile, type FeatureSpec, type RawRecord } from '@outpost/shared';

/**
 * The reference a deployed model is compared with: the training rows' raw feature values (as the
 * device sees them, before encoding) and the model's outputs on those rows, profiled with the same
 * mergeable sketches as datasets (@outpost/shared profile/), so monitoring can profile live
 * windows the same way and compare like with like.
 */
export function referenceProfile(spec: FeatureSpec, rows: readonly RawRecord[], trainRows: readonly number[], probs: Float32Array): { features: DatasetProfile; outputs: DatasetProfile } {
  const features = createProfiler(spec.features.map((f) => ({ name: f.name, type: featureProfileType(f) })));
  for (const r of trainRows) features.add(rows[r]!);
  const classes = spec.label.classes;
  const outputs = createProfiler([...classes.map((c) => ({ name: `p(${c})`, type: 'numeric' as const })), { name: 'predicted', type: 'categorical' }]);
  for (let i = 0; i < trainRows.length; i++) {
    const p = probs.subarray(i * classes.length, (i + 1) * classes.length);
    let best = 0;
    for (let c = 1; c < classes.length; c++) if (p[c]! > p[best]!) best = c;
    outputs.add({ ...Object.fromEntries(classes.map((c, j) => [`p(${c})`, p[j]!])), predicted: classes[best]! });
  }
  return { features: features.result(), outputs: outputs.result() };
}
