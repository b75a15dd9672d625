import { createProfiler, isMissing, parseNumber, profileTypeOf as featureProfileType, REFERENCE_SAMPLE_MAX_ROWS, type DatasetProfile, type FeatureSpec, type RawRecord, type ReferenceProfile } from '@outpost/shared';

/**
 * The reference a deployed model is compared with: the training rows' raw feature values (as the
 * device sees them, before encoding) and the model's outputs on those rows, profiled with the same
 * mergeable sketches as datasets (@outpost/shared profile/), so monitoring can profile live
 * windows the same way and compare like with like. `outputs` is row-major, `outputWidth(spec.label)`
 * numbers per row, in the order of `trainRows`. A reference of at most REFERENCE_SAMPLE_MAX_ROWS
 * rows also keeps its raw numeric values (`sample`), for exact two-sample KS.
 */
export function referenceProfile(spec: FeatureSpec, rows: readonly RawRecord[], trainRows: readonly number[], outputs: Float32Array): ReferenceProfile {
  const features = createProfiler(spec.features.map((f) => ({ name: f.name, type: featureProfileType(f) })));
  for (const r of trainRows) features.add(rows[r]!);
  const outputRows = outputRecords(spec.label, outputs, trainRows.length);
  const profile: ReferenceProfile = { features: features.result(), outputs: outputProfile(spec.label, outputRows) };
  if (trainRows.length <= REFERENCE_SAMPLE_MAX_ROWS) {
    const numeric = [...profile.features.columns, ...profile.outputs.columns].filter((c) => c.type === 'numeric').map((c) => c.name);
    const columns: Record<string, number[]> = Object.fromEntries(numeric.map((name) => [name, []]));
    trainRows.forEach((r, i) => {
      for (const record of [rows[r]!, outputRows[i]!]) {
        for (const [name, raw] of Object.entries(record)) {
          // As the profiler reads it: a dataset's CSV cells are text.
          const v = columns[name] && !isMissing(raw) ? parseNumber(raw) : undefined;
          if (v !== undefined && Number.isFinite(v)) columns[name]!.push(v);
        }
      }
    });
    profile.sample = { rows: trainRows.length, columns };
  }
  return profile;
}

/** A classifier's outputs per row: each class's probability (`p(class)`) and the predicted class; a regressor's: the predicted value (`prediction`). */
function outputRecords(label: FeatureSpec['label'], outputs: Float32Array, rows: number): RawRecord[] {
  if (label.task === 'regression') return Array.from({ length: rows }, (_, i) => ({ prediction: outputs[i]! }));
  const classes = label.classes;
  return Array.from({ length: rows }, (_, i) => {
    const p = outputs.subarray(i * classes.length, (i + 1) * classes.length);
    let best = 0;
    for (let c = 1; c < classes.length; c++) if (p[c]! > p[best]!) best = c;
    return { ...Object.fromEntries(classes.map((c, j) => [`p(${c})`, p[j]!])), predicted: classes[best]! };
  });
}

function outputProfile(label: FeatureSpec['label'], records: readonly RawRecord[]): DatasetProfile {
  const columns =
    label.task === 'regression'
      ? [{ name: 'prediction', type: 'numeric' as const }]
      : [...label.classes.map((c) => ({ name: `p(${c})`, type: 'numeric' as const })), { name: 'predicted', type: 'categorical' as const }];
  const profiler = createProfiler(columns);
  for (const r of records) profiler.add(r);
  return profiler.result();
}
