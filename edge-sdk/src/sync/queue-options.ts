import { OutpostError } from '@outpost/shared';
import { LOG_QUEUE_DEFAULTS } from './log-pipeline.ts';
import { createRecordPolicy, type LoggingOptions } from './record-policy.ts';

/** The log queue's options of `createOutpost`, resolved once. */
export interface ResolvedLogQueueOptions {
  maxQueueBytes: number;
  maxRecordAgeMs: number;
  recordPolicy: ReturnType<typeof createRecordPolicy>;
}

/**
 * Defaults and checks for `maxQueueBytes`, `maxRecordAgeMs` and `logging`; throws INVALID_INPUT
 * naming the option when one cannot be right.
 * @example const { maxQueueBytes } = resolveLogQueueOptions({ maxQueueBytes: 1_048_576 });
 */
export function resolveLogQueueOptions(options: { maxQueueBytes?: number; maxRecordAgeMs?: number; logging?: LoggingOptions }): ResolvedLogQueueOptions {
  return {
    maxQueueBytes: positive('maxQueueBytes', options.maxQueueBytes ?? LOG_QUEUE_DEFAULTS.maxQueueBytes),
    maxRecordAgeMs: positive('maxRecordAgeMs', options.maxRecordAgeMs ?? LOG_QUEUE_DEFAULTS.maxRecordAgeMs),
    recordPolicy: createRecordPolicy(options.logging ?? {}, Math.random),
  };
}

function positive(path: string, value: number): number {
  if (value > 0) return value;
  throw new OutpostError('INVALID_INPUT', `${path} must be a number above 0`, { issues: [{ path, message: `got ${String(value)}` }] });
}
