import { OutpostError } from './errors.ts';
import type { Feature, FeatureSpec, HashedFeature, NumericFeature } from './feature-schema.ts';

/**
 * Applying the fitted feature pipeline (feature-schema.ts has its wire shape): how a raw record
 * becomes the model's input vector. The hub (training, parity; encodeRecord in features-hashed.ts)
 * and the SDK (predict) both run `encodeRecordWith`, so a device gets exactly the numbers the model
 * was trained on. No zod here: the edge SDK bundles this module.
 */

/** What a model predicts: a class (probabilities over `classes`) or a number. */
export type Task = 'classification' | 'regression';

/**
 * The task of a spec's label ('classification' when absent, as in older specs).
 * @example taskOf({ name: 'mass', task: 'regression' }) // 'regression'
 */
export function taskOf(label: FeatureSpec['label']): Task {
  return label.task === 'regression' ? 'regression' : 'classification';
}

/**
 * How many numbers the model outputs per row: one per class, or one value.
 * @example outputWidth({ name: 'y', classes: ['a', 'b', 'c'] }) // 3
 */
export function outputWidth(label: FeatureSpec['label']): number {
  return label.task === 'regression' ? 1 : label.classes.length;
}

export type RawValue = string | number | boolean | null | undefined;
export type RawRecord = Readonly<Record<string, RawValue>>;

/** Missing in the sense of every format we ingest: absent, null, empty string, NaN, "NA". */
export function isMissing(v: RawValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return Number.isNaN(v);
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' || t === 'NA' || t === 'NaN' || t === 'null';
  }
  return false;
}

/** Parse a numeric cell; undefined when it is not a finite number. */
export function parseNumber(v: RawValue): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Number of input columns one feature takes.
 * @example featureWidth({ name: 'x', kind: 'hashed', buckets: 32, seed: 0, tokens: 'words' }) // 32
 */
export function featureWidth(f: Feature): number {
  switch (f.kind) {
    case 'numeric':
      return f.transform === 'bucketize' ? (f.edges?.length ?? 0) + 1 : 1;
    case 'categorical':
      return f.categories.length + (f.unknown === 'bucket' ? 1 : 0);
    case 'ordinal':
      return 1;
    case 'hashed':
      return f.buckets;
  }
}

/**
 * Whether a spec has hashed features (their encoder is features-hashed.ts).
 * @example needsHashing({ features: [{ name: 'text', kind: 'hashed', buckets: 32, seed: 0, tokens: 'words' }], label }) // true
 */
export function needsHashing(spec: FeatureSpec): boolean {
  return spec.features.some((f) => f.kind === 'hashed');
}

/** Width of the encoded input vector. */
export function inputWidth(spec: FeatureSpec): number {
  let n = 0;
  for (const f of spec.features) n += featureWidth(f);
  return n;
}

/**
 * The profile column type of a feature's raw values: numbers for 'numeric', strings otherwise.
 * @example profileTypeOf({ name: 'grade', kind: 'ordinal', order: ['lo', 'hi'], fill: 'lo' }) // 'categorical'
 */
export function profileTypeOf(f: Feature): 'numeric' | 'categorical' {
  return f.kind === 'numeric' ? 'numeric' : 'categorical';
}

/**
 * Writes a hashed feature's columns into `out` from `i`, returning the index after them
 * (features-hashed.ts: the edge SDK loads it only for a model with hashed features).
 */
export type HashedEncoder = (f: HashedFeature, raw: RawValue, out: Float32Array, i: number) => number;

/**
 * encodeRecord with the hashed features' encoder given: none when the spec has no hashed feature
 * (then one throws). For the edge SDK, which loads that encoder only for models that need it.
 * @example const x = encodeRecordWith(needsHashing(spec) ? await loadHashedEncoder() : undefined, spec, record);
 */
export function encodeRecordWith(
  hashed: HashedEncoder | undefined,
  spec: FeatureSpec,
  record: RawRecord,
  out: Float32Array = new Float32Array(inputWidth(spec)),
  offset = 0,
): Float32Array {
  let i = offset;
  for (const f of spec.features) {
    const raw = record[f.name];
    switch (f.kind) {
      case 'numeric':
        i = encodeNumeric(f, raw, out, i);
        break;
      case 'categorical': {
        // With an unknown bucket a missing value goes there; without one it is the mode.
        const bucket = f.unknown === 'bucket';
        const category = isMissing(raw) ? (bucket ? undefined : f.mode) : String(raw).trim();
        let seen = false;
        for (const c of f.categories) {
          seen ||= c === category;
          out[i++] = c === category ? 1 : 0;
        }
        if (bucket) out[i++] = seen ? 0 : 1;
        break;
      }
      case 'ordinal': {
        let k = isMissing(raw) ? -1 : f.order.indexOf(String(raw).trim());
        if (k < 0) k = f.order.indexOf(f.fill);
        out[i++] = f.order.length > 1 ? k / (f.order.length - 1) : 0;
        break;
      }
      case 'hashed':
        if (!hashed) throw new Error(`${f.name} is a hashed feature: encodeRecordWith needs the hashed encoder (features-hashed.ts)`);
        i = hashed(f, raw, out, i);
        break;
    }
  }
  return out;
}

function encodeNumeric(f: NumericFeature, raw: RawValue, out: Float32Array, i: number): number {
  let value: number | undefined = f.fill;
  if (!isMissing(raw)) {
    value = parseNumber(raw);
    if (value === undefined) {
      throw new OutpostError('INVALID_INPUT', `${f.name} must be a number, got ${JSON.stringify(raw)}`, {
        issues: [{ path: f.name, column: f.name, message: `expected a number, got ${JSON.stringify(raw)}` }],
      });
    }
  }
  if (f.inGraph) {
    // The graph standardizes, scales or logs it (hub packaging/onnx-writer.ts, `preprocess`).
    out[i++] = value ?? f.fill ?? f.mean;
    return i;
  }
  switch (f.transform) {
    case undefined:
    case 'standardize':
      out[i++] = ((value ?? f.mean) - f.mean) / f.std;
      return i;
    case 'log': {
      // Without a fill, a missing value is the mean of the logged values: it encodes as 0.
      const logged = value === undefined ? f.mean : Math.log1p(Math.max(value, 0));
      out[i++] = (logged - f.mean) / f.std;
      return i;
    }
    case 'minmax': {
      const min = f.min ?? 0;
      const range = (f.max ?? min) - min;
      const x = ((value ?? f.mean) - min) / range;
      out[i++] = range > 0 ? Math.min(1, Math.max(0, x)) : 0;
      return i;
    }
    case 'bucketize': {
      const edges = f.edges ?? [];
      const x = value ?? f.mean;
      let b = 0;
      while (b < edges.length && x >= edges[b]!) b++;
      for (let k = 0; k <= edges.length; k++) out[i++] = k === b ? 1 : 0;
      return i;
    }
  }
}
