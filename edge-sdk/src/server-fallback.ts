import {
  ErrorBodySchema,
  OutpostError,
  ServerPredictResultSchema,
  devicePaths,
  type InferenceRecord,
  type RawRecord,
  type ServerPredictRequest,
} from '@outpost/shared';
import { describeFailure, hubRequest, type HubEndpoint } from './http.ts';

/** The execution provider of a prediction the hub made (as the hub logs it). */
export const SERVER_PROVIDER = 'server';

/**
 * One prediction by the hub (POST devicePaths.predict), for a device that cannot run the model.
 * The hub logs it itself. Rejects INVALID_INPUT when the hub names a bad field, MODEL_UNAVAILABLE
 * when it cannot answer (unreachable, 501 on Workers, …).
 * @example const { modelVersion, output } = await serverPredict(hub, 'penguins', { deviceId, records: [{ id, seq, createdAt, input }] });
 */
export async function serverPredict(
  hub: HubEndpoint,
  model: string,
  request: ServerPredictRequest,
): Promise<{ modelVersion: number; output: InferenceRecord['output'] }> {
  let response: Response;
  try {
    response = await hubRequest(hub, devicePaths.predict(model), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (e) {
    throw new OutpostError('MODEL_UNAVAILABLE', `no model runs on this device and the hub is unreachable for "${model}"`, { cause: e });
  }
  if (!response.ok) {
    const body = ErrorBodySchema.safeParse(await response.clone().json().catch(() => undefined));
    if (response.status === 400 && body.success) {
      // The hub names records.0.input.<field>: as predict's own check would, name the field.
      const issues = (body.data.error.issues ?? []).map((i) => ({ ...i, path: String(i.path ?? '').replace(/^records\.\d+\.input\./, '') }));
      throw new OutpostError('INVALID_INPUT', body.data.error.message, { issues });
    }
    throw new OutpostError('MODEL_UNAVAILABLE', `no model runs on this device and the hub's fallback failed: ${await describeFailure(response)}`);
  }
  const result = ServerPredictResultSchema.safeParse(await response.json().catch(() => undefined));
  const output = result.success ? result.data.predictions[0]?.output : undefined;
  if (!result.success || !output) throw new OutpostError('MODEL_UNAVAILABLE', `the hub's fallback answered something that is not a prediction for "${model}"`);
  return { modelVersion: result.data.modelVersion, output };
}

/** The record as sent and logged: a copy (the app may reuse its object) without undefined fields. */
export function loggedInput(record: RawRecord): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const k in record) {
    const v = record[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
