import { OutpostError } from './errors.ts';
import type { Feature, FeatureSpec, HashedFeature, NumericFeature } from './feature-schema.ts';
import { murmur3 } from './profile/hash.ts';

/**
 * Applying the fitted feature pipeline (feature-schema.ts has its wire shape): how a raw record
 * becomes the model's input vector. The hub (training, parity) and the SDK (predict) both run
 * `encodeRecord`, so a device gets exactly the numbers the model was trained on. No zod here: the
 * edge SDK bundles this module.
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
 * Encode one raw record into `out` at `offset` (the model input row).
 * Throws OutpostError('INVALID_INPUT') naming the field when a numeric feature holds a non-number.
 * @example const x = encodeRecord(spec, { island: 'Biscoe', bill_length_mm: 39.1 });
 */
export function encodeRecord(
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
        i = encodeHashed(f, raw, out, i);
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

/** The tokens a hashed feature counts: none for a missing value. */
export function hashTokens(f: Pick<HashedFeature, 'tokens'>, raw: RawValue): string[] {
  if (isMissing(raw)) return [];
  const text = String(raw).trim();
  return f.tokens === 'words' ? text.split(/\s+/) : [text];
}

function encodeHashed(f: HashedFeature, raw: RawValue, out: Float32Array, i: number): number {
  const counts = new Map<number, number>();
  const tokens = hashTokens(f, raw);
  for (const t of tokens) {
    const slot = murmur3(t, f.seed) % f.buckets;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  for (let k = 0; k < f.buckets; k++) out[i + k] = (counts.get(k) ?? 0) / tokens.length || 0;
  return i + f.buckets;
}

/** Encode many records into one row-major [rows.length, width] matrix. */
export function encodeRecords(spec: FeatureSpec, records: readonly RawRecord[]): Float32Array {
  const width = inputWidth(spec);
  const out = new Float32Array(records.length * width);
  records.forEach((r, row) => {
    try {
      encodeRecord(spec, r, out, row * width);
    } catch (e) {
      if (e instanceof OutpostError) {
        throw new OutpostError(e.code, `row ${row + 1}: ${e.message}`, {
          issues: (e.issues ?? []).map((issue) => ({ ...issue, row: row + 1 })),
        });
      }
      throw e;
    }
  });
  return out;
}
