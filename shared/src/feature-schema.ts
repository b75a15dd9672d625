import { z } from 'zod';

/**
 * The fitted feature pipeline's wire shape: how a raw record becomes the model's input vector.
 * The hub fits it on training rows; the hub (training, parity) and the SDK (predict) both apply it
 * with `encodeRecord` (features.ts), so a device gets exactly the numbers the model was trained on.
 * The SDK checks it, inside a manifest, with wire-check.ts (no zod in the browser).
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

export const FeatureSpecSchema = z.object({
  features: z.array(FeatureSchema).min(1),
  /** The label column: its classes (classification) or `task: 'regression'`. */
  label: z.union([RegressionLabelSchema, ClassLabelSchema]),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;
