import { OutpostError, type InferenceRecord } from '@outpost/shared';
import { sha256Hex } from './sha256.ts';

/**
 * What is logged of each prediction. Default: every prediction, every input field as given.
 * @example const logging: LoggingOptions = { sampleRate: 0.1, redact: { email: 'drop', user_id: 'hash' }, hashSalt: 'app-7' };
 */
export interface LoggingOptions {
  /**
   * Share of successful predictions logged, 0–1. Default: 1. A failed prediction (output `{ error }`)
   * is always logged. A prediction sampled out takes no sequence number, so gaps the hub counts are
   * real losses; the SDK counts it in `stats().dropped.sampled`.
   */
  sampleRate?: number;
  /**
   * Input fields to redact before the record is queued: `'hash'` replaces a value with the SHA-256
   * hex of `hashSalt + String(value)` (`null` stays `null`), `'drop'` removes the field.
   */
  redact?: Readonly<Record<string, 'hash' | 'drop'>>;
  /** Prepended to each value before hashing; makes hashes differ from other apps'. Default: `''`. */
  hashSalt?: string;
}

type Pending = Omit<InferenceRecord, 'seq'>;

/**
 * The logging options as one function: the record to log (redacted), or undefined when sampled out.
 * Throws INVALID_INPUT naming the option when an option cannot be right.
 * @example const policy = createRecordPolicy({ sampleRate: 0.5 }, Math.random); const logged = policy(record);
 */
export function createRecordPolicy(options: LoggingOptions, random: () => number): (record: Pending) => Pending | undefined {
  const { sampleRate = 1, redact = {}, hashSalt = '' } = options;
  if (!(sampleRate >= 0 && sampleRate <= 1)) {
    throw new OutpostError('INVALID_INPUT', 'logging.sampleRate must be a number from 0 to 1', { issues: [{ path: 'logging.sampleRate', message: `got ${String(sampleRate)}` }] });
  }
  const rules = Object.entries(redact);
  for (const [field, rule] of rules) {
    if (rule !== 'hash' && rule !== 'drop') {
      throw new OutpostError('INVALID_INPUT', `logging.redact.${field} must be 'hash' or 'drop'`, { issues: [{ path: `logging.redact.${field}`, message: `got ${JSON.stringify(rule)}` }] });
    }
  }
  return (record) => {
    if (sampleRate < 1 && !('error' in record.output) && !(random() < sampleRate)) return undefined;
    if (rules.length === 0) return record;
    const input = { ...record.input };
    for (const [field, rule] of rules) {
      if (!(field in input)) continue;
      const value = input[field];
      if (rule === 'drop') delete input[field];
      else if (value !== null && value !== undefined) input[field] = sha256Hex(hashSalt + String(value));
    }
    return { ...record, input };
  };
}
