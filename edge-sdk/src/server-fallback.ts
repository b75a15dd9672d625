import { OutpostError, type Manifest, type RawRecord, type ServerPredictRequest } from '@outpost/shared';
import type { Prediction } from './client.ts';
import type { HubEndpoint } from './http.ts';

/** The execution provider of a prediction the hub made (as the hub logs it). */
export const SERVER_PROVIDER = 'server';

/**
 * One prediction by the hub (POST devicePaths.predict), for a device that cannot run the model,
 * shaped as predict() answers. The hub logs it itself. Rejects INVALID_INPUT when the hub names a
 * bad field, MODEL_UNAVAILABLE when it cannot answer (unreachable, 501 on Workers, …).
 * @example const prediction = await serverPredict(hub, manifest, { deviceId, records: [{ id, seq, createdAt, input }] });
 */
export async function serverPredict(hub: HubEndpoint, manifest: Manifest, request: ServerPredictRequest): Promise<Prediction> {
  // Most devices run the model themselves: the request code is a chunk of its own (import()), fetched on first use.
  const loaded = await import('./server-predict.ts').catch((e: unknown) => {
    throw new OutpostError('MODEL_UNAVAILABLE', `no model runs on this device and the hub's fallback could not be loaded for "${manifest.model}"`, { cause: e });
  });
  return loaded.predictOnHub(hub, manifest, request);
}

/** The record as sent and logged: a copy (the app may reuse its object) without undefined fields. */
export function loggedInput(record: RawRecord): Record<string, string | number | boolean | null> {
  // A spread copies the object's shape at once (V8's clone fast path), far cheaper than adding
  // the fields one by one; undefined fields, rare, are deleted from the copy after.
  const out = { ...record };
  for (const k in out) if (out[k] === undefined) delete out[k];
  return out as Record<string, string | number | boolean | null>;
}
