// The device API's paths and limits, without zod: the edge SDK bundles this module (inference.ts has the schemas).

/** Limits the hub enforces on device uploads; the SDK sizes its batches to fit them. */
export const INGEST_LIMITS = {
  maxRecordsPerBatch: 500,
  maxBodyBytes: 1024 * 1024,
} as const;

/**
 * Fields of a stored inference record that only the hub sets: when it received the record, when the
 * prediction happened on the hub's clock, and its flags. A device that sends one is refused (400
 * naming the field), so nothing a client says can pass for the hub's own judgement.
 */
export const SERVER_OWNED_FIELDS = ['receivedAt', 'observedAt', 'flags'] as const;

/**
 * Bounds of the health report an upload may carry (`health.dropped`: records dropped by reason).
 * Reasons are short identifiers (`queue_full`, `rejected_400`): the hub merges them inside SQLite's
 * JSON functions, which must never meet a malformed string.
 */
export const HEALTH_LIMITS = { maxReasons: 32, reasonPattern: /^[\w.:-]{1,64}$/ } as const;

/**
 * Bits of a stored record's `flags`. `clockClamped`: the device time was more than 23 h ahead of
 * the hub's (after skew correction), so the hub used its receive time.
 */
export const RECORD_FLAGS = { clockClamped: 1 } as const;

/** Most late labels one feedback upload may carry. */
export const FEEDBACK_MAX_ITEMS = 500;

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
  feedback: '/v1/device/feedback',
} as const;
