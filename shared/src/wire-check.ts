import { array, checker, either, number, object, oneOf, optional, record, refine, string, variants, type Check, type Checked } from './check.ts';
import { HEALTH_LIMITS, INGEST_LIMITS, SERVER_OWNED_FIELDS } from './device-api.ts';
import { ERROR_CODES, type ErrorBody } from './errors.ts';
import type { Feature, FeatureSpec } from './feature-schema.ts';
import type { IngestBatch, IngestResult, ServerPredictResult } from './inference.ts';
import type { Manifest, ManifestResponse } from './manifest.ts';

/*
 * The shapes the edge SDK reads off the wire, checked without zod (check.ts says why), and the
 * upload the hub checks on every ingest (checkIngestBatch: zod takes ~4× as long on 500 records). Each mirrors
 * a zod schema the hub uses, and accepts exactly what that schema accepts (wire-check.test.ts
 * compares them on generated values); the checked value is the input itself, unknown fields kept
 * where zod would strip them.
 *
 * Shapes are built inside functions, when checked, never at module level: a bundler keeps every
 * top-level call (it cannot know the call is pure), so a shape built there would ship in every
 * app whether it is checked or not, while an unused function is dropped. Building one costs
 * microseconds, and the SDK checks a few values per page.
 */

const text = () => string();
const int = () => number({ int: true });
const positiveInt = () => number({ int: true, positive: true });
const strings = (min: number) => array(text(), min);

const numericFeature = () =>
  refine<Extract<Feature, { kind: 'numeric' }>>(
    object({
      name: text(),
      kind: oneOf('numeric'),
      transform: optional(oneOf('standardize', 'minmax', 'log', 'bucketize')),
      mean: number(),
      std: number({ positive: true }),
      min: optional(number()),
      max: optional(number()),
      edges: optional(array(number())),
      fill: optional(number()),
      inGraph: optional(oneOf(true)),
    }),
    // The rules of NumericFeatureSchema's superRefine (feature-schema.ts), same fields, same messages.
    (f) =>
      f.transform === 'minmax' && (f.min === undefined || f.max === undefined || f.max < f.min)
        ? ['max', 'minmax needs min <= max']
        : f.inGraph && f.transform === 'bucketize'
          ? ['inGraph', 'bucketize is encoded as a one-hot, never in the graph']
          : f.inGraph && f.transform === 'log' && f.fill === undefined
            ? ['fill', 'log in the graph needs the raw fill for missing values']
            : f.transform === 'bucketize' && (!f.edges || f.edges.some((x, i) => i > 0 && x <= f.edges![i - 1]!))
              ? ['edges', 'bucketize needs strictly increasing edges']
              : undefined,
  );

const ordinalFeature = () =>
  refine<Extract<Feature, { kind: 'ordinal' }>>(object({ name: text(), kind: oneOf('ordinal'), order: strings(1), fill: text() }), (f) =>
    !f.order.includes(f.fill) ? ['fill', 'fill must be one of order'] : new Set(f.order).size < f.order.length ? ['order', 'order lists a category twice'] : undefined,
  );

const featureSpec = (): Check =>
  object({
    features: array(
      variants('kind', {
        numeric: numericFeature(),
        categorical: object({ name: text(), kind: oneOf('categorical'), categories: strings(1), mode: text(), unknown: optional(oneOf('mode', 'bucket')) }),
        ordinal: ordinalFeature(),
        hashed: object({ name: text(), kind: oneOf('hashed'), buckets: number({ int: true, min: 1 }), seed: number({ int: true, min: 0, max: 0xffffffff }), tokens: oneOf('value', 'words') }),
      }),
      1,
    ),
    label: either(object({ name: text(), task: oneOf('regression') }), object({ name: text(), task: optional(oneOf('classification')), classes: strings(2) })),
  });

const tensor = () => object({ name: text(), shape: array(int()), type: oneOf('float32') });

/**
 * A manifest payload (after its signature checked out), as ManifestSchema.
 * @example const checked = checkManifest(JSON.parse(payloadText)); if (!checked.ok) throw new Error(checked.error); // 'manifest.artifact.sha256: expected a 64-char hex string'
 */
export function checkManifest(value: unknown, path = 'manifest'): Checked<Manifest> {
  return checker<Manifest>(
    object({
      schema: oneOf(2),
      project: text(),
      model: text(),
      version: positiveInt(),
      publishedAt: text(),
      issuedAt: text(),
      expiresAt: text(),
      minVersion: positiveInt(),
      artifact: object({ format: oneOf('onnx'), sha256: string({ pattern: /^[0-9a-f]{64}$/, what: 'a 64-char hex string' }), size: positiveInt(), path: text() }),
      input: tensor(),
      output: tensor(),
      features: featureSpec(),
    }),
    value,
    path,
  );
}

/**
 * A feature spec, as FeatureSpecSchema.
 * @example checkFeatureSpec({ features: [], label: { name: 'y', classes: ['a', 'b'] } }).ok // false: 'features.features: expected at least 1 items'
 */
export function checkFeatureSpec(value: unknown, path = 'features'): Checked<FeatureSpec> {
  return checker<FeatureSpec>(featureSpec(), value, path);
}

/**
 * What GET …/models/{model}/manifest answers, as ManifestResponseSchema (the payload is checked after its signature).
 * @example const checked = checkManifestResponse(await response.json());
 */
export function checkManifestResponse(value: unknown, path = 'response'): Checked<ManifestResponse> {
  const assignment = object({ version: positiveInt(), bucket: number({ int: true, min: 0, max: 9999 }), reason: oneOf('pinned', 'rule', 'rollout', 'default'), detail: optional(text()) });
  return checker<ManifestResponse>(object({ payload: text(), signature: text(), keyId: text(), assignment: optional(assignment) }), value, path);
}

/**
 * The hub's answer to an upload, as IngestResultSchema.
 * @example checkIngestResult({ accepted: 3, duplicates: 0 }).ok // true
 */
export function checkIngestResult(value: unknown, path = 'result'): Checked<IngestResult> {
  return checker<IngestResult>(object({ accepted: int(), duplicates: int() }), value, path);
}

/**
 * The body of a hub error answer, as ErrorBodySchema.
 * @example const body = checkErrorBody(JSON.parse(text)); if (body.ok) show(body.value.error.code);
 */
export function checkErrorBody(value: unknown, path = 'body'): Checked<ErrorBody> {
  const issue = object({ path: optional(text()), row: optional(int()), column: optional(text()), message: text() });
  return checker<ErrorBody>(object({ error: object({ code: oneOf(...ERROR_CODES), message: text(), issues: optional(array(issue)) }) }), value, path);
}

/**
 * The hub's server-side predictions, as ServerPredictResultSchema.
 * @example const result = checkServerPredictResult(await response.json());
 */
export function checkServerPredictResult(value: unknown, path = 'result'): Checked<ServerPredictResult> {
  const output = either(object({ label: text(), probabilities: array(number()) }, true), object({ value: number() }, true));
  return checker<ServerPredictResult>(object({ model: text(), modelVersion: positiveInt(), predictions: array(object({ id: text(), output })) }), value, path);
}

/**
 * object(shape), refusing any other field as zod's strictObject does, the first one named:
 * `records.3.foo: unknown field`, or for a field only the hub sets, `records.3.flags: server-owned
 * field, set by the hub`.
 */
const closed =
  (shape: Record<string, Check>): Check =>
  (v, path) => {
    const found = object(shape)(v, path);
    if (found) return found;
    for (const key of Object.keys(v as object)) {
      if (Object.hasOwn(shape, key)) continue;
      return { path: `${path}.${key}`, message: (SERVER_OWNED_FIELDS as readonly string[]).includes(key) ? 'server-owned field, set by the hub' : 'unknown field' };
    }
    return undefined;
  };

/** `check`, then at most `max` items (zod's .max on an array). */
const atMost =
  (check: Check, max: number): Check =>
  (v, path) =>
    check(v, path) ?? ((v as unknown[]).length > max ? { path, message: `expected at most ${max} items` } : undefined);

/** A feature value of a logged input: string, finite number, boolean or null (RawRecordSchema's union). */
const scalar: Check = (v, path) =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? undefined : { path, message: 'expected a string, number, boolean or null' };

const inferenceRecord = () => {
  const label = object({ label: text(), probabilities: array(number()) }, true);
  const value = object({ value: number() }, true);
  const failure = object({ error: string({ min: 1, max: 500 }) }, true);
  return closed({
    id: string({ min: 8, max: 64 }),
    seq: number({ int: true, min: 0 }),
    model: string({ min: 1, max: 128 }),
    modelVersion: positiveInt(),
    executionProvider: string({ min: 1, max: 32 }),
    latencyMs: number({ min: 0 }),
    createdAt: number({ int: true, min: 0 }),
    input: record(text(), scalar),
    output: either(label, either(value, failure)),
  });
};

/**
 * An upload of inference records, as IngestBatchSchema: what the hub checks every upload with, at
 * a fraction of zod's cost for 500 records (the ingest bench). The first problem only, named by its
 * path from `path` (`batch.records.3.latencyMs: expected a number`).
 * @example const checked = checkIngestBatch(JSON.parse(body)); if (!checked.ok) throw new OutpostError('VALIDATION_FAILED', checked.error);
 */
export function checkIngestBatch(value: unknown, path = 'batch'): Checked<IngestBatch> {
  const health = closed({
    model: string({ min: 1, max: 128 }),
    dropped: record(string({ pattern: HEALTH_LIMITS.reasonPattern, what: 'letters, digits, _ . : - (at most 64)' }), number({ int: true, min: 0 }), HEALTH_LIMITS.maxReasons),
  });
  const batch = closed({
    deviceId: string({ min: 8, max: 64 }),
    batchId: optional(string({ min: 8, max: 64 })),
    sentAt: optional(number({ int: true, min: 0 })),
    health: optional(health),
    records: atMost(array(inferenceRecord(), 1), INGEST_LIMITS.maxRecordsPerBatch),
  });
  return checker<IngestBatch>(batch, value, path);
}
