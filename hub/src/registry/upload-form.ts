import { z } from 'zod';
import { FeatureSpecSchema, OutpostError, type FeatureSpec } from '@outpost/shared';

/** The parts of a model upload; anything else is refused rather than silently dropped. */
export const UPLOAD_PARTS = ['model', 'features', 'metrics', 'reference'] as const;

export const MetricsSchema = z.record(z.string(), z.number().finite());

/** A dataset version of the upload's project, written `dataset@version` (`penguins@3`). */
export interface DatasetRef {
  dataset: string;
  version: number;
}

export interface ModelUpload {
  bytes: Uint8Array;
  features: FeatureSpec;
  metrics: Record<string, number> | null;
  /** The rows to profile the model on (its reference for drift monitoring); null when not sent. */
  reference: DatasetRef | null;
}

const bad = (path: string, message: string): never => {
  throw new OutpostError('VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });
};

/**
 * Read a model upload (multipart/form-data): `model` the .onnx file (at most `maxModelBytes`),
 * `features` a FeatureSpec as JSON, optional `metrics` a JSON object of numbers, optional
 * `reference` a dataset version as `dataset@version` (checked against the project later). Throws
 * OutpostError naming the part: VALIDATION_FAILED, or PAYLOAD_TOO_LARGE for the file.
 * @example const { bytes, features, metrics } = await readModelUpload(c.req.raw, 64 << 20);
 */
export async function readModelUpload(request: Request, maxModelBytes: number): Promise<ModelUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    bad('content-type', `send multipart/form-data with parts ${UPLOAD_PARTS.join(', ')} (curl -F model=@model.onnx -F features=@features.json), not ${type || 'no Content-Type'}`);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch (e) {
    throw new OutpostError('VALIDATION_FAILED', `body: not a readable multipart/form-data body (${(e as Error).message})`, { issues: [{ path: 'body', message: 'malformed multipart body' }], cause: e });
  }
  for (const key of new Set(form.keys())) {
    if (!(UPLOAD_PARTS as readonly string[]).includes(key)) {
      bad(key, `unknown part; a model upload has ${UPLOAD_PARTS.join(', ')} (a version keeps no message or source)`);
    }
    if (form.getAll(key).length > 1) bad(key, 'sent more than once');
  }

  const model = form.get('model');
  if (model === null) bad('model', 'missing: attach the .onnx file as part "model"');
  if (typeof model === 'string') bad('model', 'must be a file part (curl -F model=@model.onnx), not a text field');
  const file = model as File;
  if (file.size > maxModelBytes) throw new OutpostError('PAYLOAD_TOO_LARGE', `model files are limited to ${maxModelBytes} bytes; this one has ${file.size}`, { issues: [{ path: 'model', message: 'too large' }] });
  const bytes = new Uint8Array(await file.arrayBuffer());

  const features = await jsonPart(form, 'features', FeatureSpecSchema);
  if (features === undefined) bad('features', 'missing: attach the feature spec (JSON) that encodes a record into the model input');
  const metrics = (await jsonPart(form, 'metrics', MetricsSchema)) ?? null;
  const reference = form.get('reference');
  return { bytes, features: features!, metrics, reference: reference === null ? null : parseDatasetRef(typeof reference === 'string' ? reference : await reference.text()) };
}

/**
 * `dataset@version` as the `reference` part names it. Throws VALIDATION_FAILED at `reference`.
 * @example parseDatasetRef('penguins@3') // { dataset: 'penguins', version: 3 }
 */
export function parseDatasetRef(text: string): DatasetRef {
  const m = /^([a-z0-9][a-z0-9_-]{0,62})@([1-9]\d{0,8})$/.exec(text.trim());
  if (!m) return bad('reference', `name a dataset version of this project as dataset@version (e.g. penguins@3), not ${JSON.stringify(text.slice(0, 80))}`);
  return { dataset: m[1]!, version: Number(m[2]) };
}

/** A JSON part (text field or file) checked against `schema`; undefined when absent. */
async function jsonPart<T>(form: FormData, name: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const part = form.get(name);
  if (part === null) return undefined;
  const text = typeof part === 'string' ? part : await part.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return bad(name, `not JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: [name, ...i.path.map(String)].join('.'), message: i.message }));
  throw new OutpostError('VALIDATION_FAILED', `${issues[0]!.path}: ${issues[0]!.message}`, { issues });
}
