// No zod here: the edge SDK throws OutpostError and must not bundle zod (error-schema.ts has the schemas).

/**
 * Stable error codes shared by the hub (HTTP bodies) and the SDK (rejected promises).
 * Add codes; never change or reuse one: clients branch on them.
 */
export const ERROR_CODES = [
  'UNAUTHORIZED',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'INVALID_DATASET',
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'CONFLICT',
  'NOT_IMPLEMENTED',
  'INTEGRITY',
  'TRAINING_FAILED',
  'MODEL_UNAVAILABLE',
  'NETWORK',
  'INTERNAL',
  'GATES_FAILED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where a problem is: a JSON path into a request body, and/or a data row and column. */
export interface ErrorIssue {
  path?: string;
  row?: number;
  column?: string;
  message: string;
}

/** The body of every 4xx/5xx answer from the hub (its zod schema: ErrorBodySchema). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[] };
}

/**
 * The one error type both halves throw.
 * @example throw new OutpostError('INVALID_INPUT', 'bill_length_mm must be a number', { issues: [{ path: 'bill_length_mm', message: 'not a number' }] })
 */
export class OutpostError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  constructor(code: ErrorCode, message: string, options: { issues?: ErrorIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutpostError';
    this.code = code;
    this.issues = options.issues;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export function isOutpostError(e: unknown): e is OutpostError {
  return e instanceof OutpostError;
}
