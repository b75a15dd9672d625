import {
  OutpostError,
  checkErrorBody,
  checkServerPredictResult,
  devicePaths,
  type InferenceRecord,
  type Manifest,
  type ServerPredictRequest,
} from '@outpost/shared';
import type { Prediction } from './client.ts';
import { describeFailure, hubRequest, type HubEndpoint } from './http.ts';
import { SERVER_PROVIDER } from './server-fallback.ts';

/**
 * One prediction by the hub, as predict() answers it: the hub's output with the manifest's class
 * names, `latencyMs` from the request's start. The hub logs it itself.
 * @example const p = await predictOnHub(hub, manifest, { deviceId, records: [{ id, seq, createdAt, input }] });
 */
export async function predictOnHub(hub: HubEndpoint, manifest: Manifest, request: ServerPredictRequest): Promise<Prediction> {
  const started = performance.now();
  const answer = await requestServerPrediction(hub, manifest.model, request);
  const latencyMs = performance.now() - started;
  const base = { id: request.records[0]!.id, modelVersion: answer.modelVersion, executionProvider: SERVER_PROVIDER, latencyMs };
  const out = answer.output;
  if ('value' in out) return { task: 'regression', value: out.value, ...base };
  if (!('label' in out)) throw new OutpostError('MODEL_UNAVAILABLE', `the hub could not predict: ${out.error}`);
  const label = manifest.features.label;
  const classes = label.task === 'regression' ? [] : label.classes;
  const probabilities: Record<string, number> = {};
  out.probabilities.forEach((v, i) => (probabilities[classes[i] ?? String(i)] = v));
  return { task: 'classification', label: out.label, probabilities, ...base };
}

/**
 * One prediction by the hub (POST devicePaths.predict): server-fallback.ts's `serverPredict` loads
 * this module with `import()` on first use, as only devices that cannot run the model need it.
 * @example const { modelVersion, output } = await requestServerPrediction(hub, 'penguins', { deviceId, records: [{ id, seq, createdAt, input }] });
 */
export async function requestServerPrediction(
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
    const body = checkErrorBody(await response.clone().json().catch(() => undefined));
    if (response.status === 400 && body.ok) {
      // The hub names records.0.input.<field>: as predict's own check would, name the field.
      const issues = (body.value.error.issues ?? []).map((i) => ({ ...i, path: String(i.path ?? '').replace(/^records\.\d+\.input\./, '') }));
      throw new OutpostError('INVALID_INPUT', body.value.error.message, { issues });
    }
    throw new OutpostError('MODEL_UNAVAILABLE', `no model runs on this device and the hub's fallback failed: ${await describeFailure(response)}`);
  }
  const result = checkServerPredictResult(await response.json().catch(() => undefined));
  const output = result.ok ? result.value.predictions[0]?.output : undefined;
  if (!result.ok || !output) throw new OutpostError('MODEL_UNAVAILABLE', `the hub's fallback answered something that is not a prediction for "${model}"`);
  return { modelVersion: result.value.modelVersion, output };
}
