// The device API's paths and limits, without zod: the edge SDK bundles this module (inference.ts has the schemas).

/** Limits the hub enforces on device uploads; the SDK sizes its batches to fit them. */
export const INGEST_LIMITS = {
  maxRecordsPerBatch: 500,
  maxBodyBytes: 1024 * 1024,
} as const;

/** Most records one server-side prediction request may carry. */
export const SERVER_PREDICT_LIMITS = { maxRecords: 100 } as const;

/**
 * Device-facing paths, relative to the hub URL; the project key goes in `Authorization: Bearer`.
 * @example hubRequest(hub, devicePaths.manifest('penguins')) // GET /v1/device/models/penguins/manifest
 */
export const devicePaths = {
  manifest: (model: string) => `/v1/device/models/${encodeURIComponent(model)}/manifest`,
  artifact: (sha256: string) => `/v1/device/artifacts/${sha256}`,
  inferences: '/v1/device/inferences',
  predict: (model: string) => `/v1/device/models/${encodeURIComponent(model)}/predict`,
} as const;
