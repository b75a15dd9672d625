import { OutpostError } from './errors.ts';
import type { FeatureSpec, HashedFeature } from './feature-schema.ts';
import { encodeRecordWith, inputWidth, isMissing, type RawRecord, type RawValue } from './features.ts';
import { murmur3 } from './profile/hash.ts';

// Hashed features, and the encoders that handle every kind of feature, apart from features.ts:
// the edge SDK fetches this module (and murmur3) only for a model that has hashed features
// (encodeRecordWith there); the hub encodes with encodeRecord and encodeRecords here.

/** The tokens a hashed feature counts: none for a missing value. */
export function hashTokens(f: Pick<HashedFeature, 'tokens'>, raw: RawValue): string[] {
  if (isMissing(raw)) return [];
  const text = String(raw).trim();
  return f.tokens === 'words' ? text.split(/\s+/) : [text];
}

/** A hashed feature's `buckets` columns from `i`: each token's share of the value, in slot murmur3(token, seed) % buckets (a HashedEncoder). */
export function encodeHashed(f: HashedFeature, raw: RawValue, out: Float32Array, i: number): number {
  const counts = new Map<number, number>();
  const tokens = hashTokens(f, raw);
  for (const t of tokens) {
    const slot = murmur3(t, f.seed) % f.buckets;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  for (let k = 0; k < f.buckets; k++) out[i + k] = (counts.get(k) ?? 0) / tokens.length || 0;
  return i + f.buckets;
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
  return encodeRecordWith(encodeHashed, spec, record, out, offset);
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
