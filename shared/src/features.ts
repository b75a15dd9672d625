import { z } from 'zod';
import { OutpostError } from './errors.ts';
import { murmur3 } from './profile/hash.ts';

/**
 * The fitted feature pipeline: how a raw record becomes the model's input vector.
 * The hub fits it on training rows; the hub (training, parity) and the SDK (predict) both apply it
 * with `encodeRecord`, so a device gets exactly the numbers the model was trained on.
 */
/** How a numeric feature becomes input: one number (standardize, minmax, log) or a one-hot (bucketize). */
export const NumericTransformSchema = z.enum(['standardize', 'minmax', 'log', 'bucketize']);
export type NumericTransform = z.infer<typeof NumericTransformSchema>;

export const NumericFeatureSchema = z
  .object({
    name: z.string(),
    kind: z.literal('numeric'),
    /**
     * Absent (as in every spec before transforms existed): 'standardize', `(x - mean) / std`.
     * 'minmax': `(x - min) / (max - min)` clipped to [0, 1] (0 when max = min).
     * 'log': `log1p(max(x, 0))` then standardized with `mean`/`std` of the logged training values;
     *   negatives are clipped to 0 first (log1p is undefined below -1 and we keep one rule for all negatives).
     * 'bucketize': a one-hot over `edges.length + 1` buckets; bucket i holds edges[i-1] <= x < edges[i].
     */
    transform: NumericTransformSchema.optional(),
    /** Mean of the training values (of the logged values for 'log'): subtracted, and the default for missing values. */
    mean: z.number(),
    /** Standard deviation of the training values, likewise (1 when it was 0). */
    std: z.number().positive(),
    /** 'minmax': the training minimum and maximum. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** 'bucketize': strictly increasing cut points (training quantiles). */
    edges: z.array(z.number()).optional(),
    /** The raw value used for a missing one (fitted median or a user constant); absent: `mean`. */
    fill: z.number().optional(),
    /**
     * The model's ONNX graph applies the transform (standardize, minmax, log), so the encoding is
     * the raw number: the value, or for a missing one `fill` (else `mean`). Absent (as in specs
     * before it, and in uploaded models' specs unless they say so): the encoding applies it.
     */
    inGraph: z.literal(true).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.transform === 'minmax' && (f.min === undefined || f.max === undefined || f.max < f.min)) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: "minmax needs min <= max" });
    }
    if (f.inGraph && f.transform === 'bucketize') {
      ctx.addIssue({ code: 'custom', path: ['inGraph'], message: 'bucketize is encoded as a one-hot, never in the graph' });
    }
    if (f.inGraph && f.transform === 'log' && f.fill === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fill'], message: 'log in the graph needs the raw fill for missing values' });
    }
    if (f.transform === 'bucketize') {
      const e = f.edges;
      if (e === undefined || e.some((x, i) => i > 0 && x <= e[i - 1]!)) {
        ctx.addIssue({ code: 'custom', path: ['edges'], message: 'bucketize needs strictly increasing edges' });
      }
    }
  });

export const CategoricalFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('categorical'),
  /** One input column per category, in this order. */
  categories: z.array(z.string()).min(1),
  /** The most frequent training category. */
  mode: z.string(),
  /**
   * Absent or 'mode' (as before): a missing value encodes as `mode`, an unseen one as all zeros.
   * 'bucket': one more column after the categories, set for missing and unseen values alike.
   */
  unknown: z.enum(['mode', 'bucket']).optional(),
});

export const OrdinalFeatureSchema = z
  .object({
    name: z.string(),
    kind: z.literal('ordinal'),
    /** The categories from lowest to highest; category i encodes as i / (k - 1) (0 when k = 1). */
    order: z.array(z.string()).min(1),
    /** The category a missing or unseen value encodes as (the training median, in `order`). */
    fill: z.string(),
  })
  .refine((f) => f.order.includes(f.fill), { path: ['fill'], message: 'fill must be one of order' })
  .refine((f) => new Set(f.order).size === f.order.length, { path: ['order'], message: 'order lists a category twice' });

export const HashedFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('hashed'),
  /** Number of input columns; a token goes to column `murmur3(token, seed) % buckets`. */
  buckets: z.number().int().min(1),
  /** The MurmurHash3 x86_32 seed (shared/src/profile/hash.ts). */
  seed: z.number().int().min(0).max(0xffffffff),
  /**
   * 'value': the trimmed value is one token. 'words': its whitespace-separated words are (no case folding).
   * Each column holds its tokens' count divided by the number of tokens; a missing value is all zeros.
   */
  tokens: z.enum(['value', 'words']),
});

export const FeatureSchema = z.discriminatedUnion('kind', [
  NumericFeatureSchema,
  CategoricalFeatureSchema,
  OrdinalFeatureSchema,
  HashedFeatureSchema,
]);
export type Feature = z.infer<typeof FeatureSchema>;
export type NumericFeature = z.infer<typeof NumericFeatureSchema>;
export type CategoricalFeature = z.infer<typeof CategoricalFeatureSchema>;
export type OrdinalFeature = z.infer<typeof OrdinalFeatureSchema>;
export type HashedFeature = z.infer<typeof HashedFeatureSchema>;

/** A classifier's label: the column and its classes, in the order of the model's output probabilities. */
export const ClassLabelSchema = z.object({
  name: z.string(),
  /** Absent in every spec before regression existed. */
  task: z.literal('classification').optional(),
  classes: z.array(z.string()).min(2),
});
/** A regressor's label: the numeric column it predicts; the model outputs one value per row, [batch, 1], in the label's units. */
export const RegressionLabelSchema = z.object({
  name: z.string(),
  task: z.literal('regression'),
});
export type ClassLabel = z.infer<typeof ClassLabelSchema>;
export type RegressionLabel = z.infer<typeof RegressionLabelSchema>;

/** What a model predicts: a class (probabilities over `classes`) or a number. */
export type Task = 'classification' | 'regression';

export const FeatureSpecSchema = z.object({
  features: z.array(FeatureSchema).min(1),
  /** The label column: its classes (classification) or `task: 'regression'`. */
  label: z.union([RegressionLabelSchema, ClassLabelSchema]),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

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
