import { describe, expect, test } from 'vitest';
import { isOutpostError, type InferenceRecord } from '@outpost/shared';
import { createRecordPolicy } from './record-policy.ts';
import { sha256Hex } from './sha256.ts';

const record = (output: InferenceRecord['output'] = { value: 1 }): Omit<InferenceRecord, 'seq'> => ({
  id: 'record-000001',
  model: 'm',
  modelVersion: 1,
  executionProvider: 'wasm',
  latencyMs: 1,
  createdAt: 0,
  input: { email: 'a@b.c', user_id: 42, island: 'Dream', note: null },
  output,
});
/** A scripted random(): these values, in turn. */
const randoms = (...values: number[]) => () => values.shift() ?? 0;

describe('createRecordPolicy', () => {
  test('default: every record, unchanged (the same object, no copy)', () => {
    const r = record();
    expect(createRecordPolicy({}, randoms(0.99))(r)).toBe(r);
  });

  test('sampleRate keeps a record when random() < rate', () => {
    const policy = createRecordPolicy({ sampleRate: 0.25 }, randoms(0.1, 0.25, 0.9, 0.2499));
    expect([1, 2, 3, 4].map(() => policy(record()) !== undefined)).toEqual([true, false, false, true]);
  });

  test('sampleRate 0 logs nothing but failed predictions', () => {
    const policy = createRecordPolicy({ sampleRate: 0 }, randoms(0));
    expect(policy(record())).toBeUndefined();
    expect(policy(record({ error: 'model failed' }))).toBeDefined();
  });

  test("redact: 'hash' sends the SHA-256 of salt + value, 'drop' removes the field, null stays null", () => {
    const policy = createRecordPolicy({ redact: { email: 'drop', user_id: 'hash', note: 'hash', absent: 'drop' }, hashSalt: 's1:' }, Math.random);
    const original = record();
    expect(policy(original)?.input).toEqual({ user_id: sha256Hex('s1:42'), island: 'Dream', note: null });
    expect(original.input.email).toBe('a@b.c'); // the caller's object is not touched
  });

  test.each([
    [{ sampleRate: 1.5 }, 'logging.sampleRate'],
    [{ sampleRate: Number.NaN }, 'logging.sampleRate'],
    [{ redact: { email: 'mask' as 'drop' } }, 'logging.redact.email'],
  ])('rejects %j naming %s', (options, path) => {
    try {
      createRecordPolicy(options, Math.random);
      expect.unreachable();
    } catch (e) {
      expect(isOutpostError(e) && e.code).toBe('INVALID_INPUT');
      expect(isOutpostError(e) && e.issues?.[0]?.path).toBe(path);
    }
  });
});
