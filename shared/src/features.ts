import { z } from 'zod';
import { OutpostError } from './errors.ts';

/**
 * The fitted feature pipeline: how a raw record becomes the model's input vector.
 * The hub fits it on training rows; the hub (training, parity) and the SDK (predict) both apply it
 * with `encodeRecord`, so a device gets exactly the numbers the model was trained on.
 */
export const NumericFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('numeric'),
  /** Mean of the training values: subtracted, and used for missing values. */
  mean: z.number(),
  /** Standard deviation of the training values (1 when it was 0). */
  std: z.number().positive(),
});

export const CategoricalFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('categorical'),
  /** One input column per category, in this order. A category not seen in training encodes as all zeros. */
  categories: z.array(z.string()).min(1),
  /** The most frequent training category, used for missing values. */
  mode: z.string(),
});

export const FeatureSchema = z.discriminatedUnion('kind', [NumericFeatureSchema, CategoricalFeatureSchema]);
export type Feature = z.infer<typeof FeatureSchema>;

export const FeatureSpecSchema = z.object({
  features: z.array(FeatureSchema).min(1),
  /** The label column and its classes, in the order of the model's output probabilities. */
  label: z.object({ name: z.string(), classes: z.array(z.string()).min(2) }),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

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

/** Width of the encoded input vector. */
export function inputWidth(spec: FeatureSpec): number {
  let n = 0;
  for (const f of spec.features) n += f.kind === 'numeric' ? 1 : f.categories.length;
  return n;
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
    if (f.kind === 'numeric') {
      let value = f.mean;
      if (!isMissing(raw)) {
        const n = parseNumber(raw);
        if (n === undefined) {
          throw new OutpostError('INVALID_INPUT', `${f.name} must be a number, got ${JSON.stringify(raw)}`, {
            issues: [{ path: f.name, column: f.name, message: `expected a number, got ${JSON.stringify(raw)}` }],
          });
        }
        value = n;
      }
      out[i++] = (value - f.mean) / f.std;
    } else {
      const category = isMissing(raw) ? f.mode : String(raw).trim();
      for (const c of f.categories) out[i++] = c === category ? 1 : 0;
    }
  }
  return out;
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
