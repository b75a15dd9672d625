import { describe, expect, it } from 'vitest';
import { OutpostError } from './errors.ts';
import { FeatureSpecSchema, type Feature, type FeatureSpec } from './feature-schema.ts';
import { encodeRecordWith, featureWidth, inputWidth, needsHashing, type RawRecord } from './features.ts';
import { encodeHashed, encodeRecord, encodeRecords } from './features-hashed.ts';
import { murmur3 } from './profile/hash.ts';

const label = { name: 'y', classes: ['a', 'b'] };
const spec = (...features: Feature[]): FeatureSpec => ({ features, label });
/** The encoding of one feature of `record`, as plain numbers. */
const enc = (f: Feature, record: RawRecord): number[] => [...encodeRecord(spec(f), record)];

describe('encodeRecord: specs from before transforms', () => {
  // A manifest published before this change: no transform, unknown, fill…
  const old = {
    features: [
      { name: 'x', kind: 'numeric', mean: 10, std: 2 },
      { name: 'c', kind: 'categorical', categories: ['a', 'b', 'c'], mode: 'b' },
    ],
    label,
  };

  it('parses unchanged and encodes exactly as before', () => {
    const parsed = FeatureSpecSchema.parse(JSON.parse(JSON.stringify(old)));
    expect(parsed).toEqual(old);
    expect(inputWidth(parsed)).toBe(4);
    const records: RawRecord[] = [
      { x: 13, c: 'c' }, // (13 - 10) / 2
      { x: null, c: null }, // missing: mean → 0, mode b
      { x: '7', c: ' zzz ' }, // unseen category → zeros
      { x: true, c: ' a ' }, // booleans are 1/0, categories trimmed
    ];
    expect([...encodeRecords(parsed, records)]).toEqual([1.5, 0, 0, 1, 0, 0, 1, 0, -1.5, 0, 0, 0, -4.5, 1, 0, 0]);
  });

  it('still rejects a non-number, naming the field', () => {
    expect(() => encodeRecord(FeatureSpecSchema.parse(old), { x: 'abc', c: 'a' })).toThrow(OutpostError);
  });
});

describe('encodeRecord: numeric transforms', () => {
  it('minmax scales to [0, 1], clips outside the training range, and imputes', () => {
    const f: Feature = { name: 'x', kind: 'numeric', transform: 'minmax', mean: 4, std: 1, min: 0, max: 10 };
    expect([5, -3, 20, null].map((x) => enc(f, { x })[0])).toEqual([0.5, 0, 1, Math.fround(0.4)]);
    expect(enc({ ...f, fill: 2 }, { x: null })).toEqual([Math.fround(0.2)]);
    // A constant training column encodes as 0.
    expect(enc({ ...f, min: 3, max: 3 }, { x: 7 })).toEqual([0]);
  });

  it('log standardizes log1p of the value, counting negatives as 0', () => {
    const f: Feature = { name: 'x', kind: 'numeric', transform: 'log', mean: 1, std: 2 };
    expect(enc(f, { x: Math.E - 1 })[0]).toBeCloseTo(0, 6); // log1p = 1
    expect(enc(f, { x: -5 })).toEqual([-0.5]); // log1p(0) = 0 → (0 - 1) / 2
    expect(enc(f, { x: 0 })).toEqual([-0.5]);
    expect(enc(f, { x: null })).toEqual([0]); // no fill: the logged mean
    expect(enc({ ...f, fill: Math.exp(3) - 1 }, { x: null })[0]).toBeCloseTo(1, 6); // (3 - 1) / 2
  });

  it('bucketize one-hots the bucket, edges belonging to the bucket above', () => {
    const f: Feature = { name: 'x', kind: 'numeric', transform: 'bucketize', mean: 5, std: 1, edges: [3, 6, 8] };
    expect(featureWidth(f)).toBe(4);
    expect(enc(f, { x: 1 })).toEqual([1, 0, 0, 0]);
    expect(enc(f, { x: 3 })).toEqual([0, 1, 0, 0]);
    expect(enc(f, { x: 7.9 })).toEqual([0, 0, 1, 0]);
    expect(enc(f, { x: 100 })).toEqual([0, 0, 0, 1]);
    expect(enc(f, { x: '' })).toEqual([0, 1, 0, 0]); // missing: mean 5
    expect(enc({ ...f, fill: 9 }, { x: null })).toEqual([0, 0, 0, 1]);
    expect(enc({ ...f, edges: [] }, { x: 42 })).toEqual([1]);
  });

  it('standardize with a fill uses the fill for missing values', () => {
    const f: Feature = { name: 'x', kind: 'numeric', transform: 'standardize', mean: 10, std: 2, fill: 14 };
    expect(enc(f, { x: null })).toEqual([2]);
    expect(enc(f, { x: 8 })).toEqual([-1]);
  });
});

describe('encodeRecord: categorical, ordinal and hashed', () => {
  it("categorical unknown 'bucket' sets one extra slot for unseen and missing values", () => {
    const f: Feature = { name: 'c', kind: 'categorical', categories: ['a', 'b'], mode: 'a', unknown: 'bucket' };
    expect(featureWidth(f)).toBe(3);
    expect(enc(f, { c: 'b' })).toEqual([0, 1, 0]);
    expect(enc(f, { c: 'zzz' })).toEqual([0, 0, 1]);
    expect(enc(f, { c: null })).toEqual([0, 0, 1]);
    expect(enc(f, {})).toEqual([0, 0, 1]);
    // 'mode' is the old behaviour.
    expect(enc({ ...f, unknown: 'mode' }, { c: null })).toEqual([1, 0]);
    expect(enc({ ...f, unknown: 'mode' }, { c: 'zzz' })).toEqual([0, 0]);
  });

  it('ordinal encodes index / (k - 1), unseen and missing as the fill', () => {
    const f: Feature = { name: 'g', kind: 'ordinal', order: ['lo', 'mid', 'hi'], fill: 'mid' };
    expect(['lo', 'mid', ' hi ', 'zzz', null].map((g) => enc(f, { g })[0])).toEqual([0, 0.5, 1, 0.5, 0.5]);
    expect(enc({ ...f, order: ['only'], fill: 'only' }, { g: 'only' })).toEqual([0]);
  });

  it('hashed puts each word in slot murmur3(word, seed) % buckets, normalised by word count', () => {
    const f: Feature = { name: 't', kind: 'hashed', buckets: 8, seed: 7, tokens: 'words' };
    const slot = (w: string) => murmur3(w, 7) % 8;
    const expected = new Array<number>(8).fill(0);
    for (const w of ['red', 'fox', 'red']) expected[slot(w)]! += 1 / 3;
    const got = enc(f, { t: '  red fox\tred ' });
    expect(got).toEqual(expected.map((x) => Math.fround(x)));
    expect(enc(f, { t: '  red fox\tred ' })).toEqual(got); // deterministic
    expect(enc(f, { t: null })).toEqual(new Array(8).fill(0));
  });

  it("hashed 'value' hashes the whole value: smhasher's test vector lands in slot 0x2fa826cd % 16", () => {
    const f: Feature = { name: 't', kind: 'hashed', buckets: 16, seed: 0x9747b28c, tokens: 'value' };
    const expected = new Array<number>(16).fill(0);
    expected[0xd] = 1; // murmur3('The quick brown fox jumps over the lazy dog', 0x9747b28c) = 0x2fa826cd
    expect(enc(f, { t: 'The quick brown fox jumps over the lazy dog' })).toEqual(expected);
  });

  it('encodeRecordWith needs the hashed encoder only for a spec with hashed features (the SDK loads it then)', () => {
    const hashed: Feature = { name: 't', kind: 'hashed', buckets: 4, seed: 1, tokens: 'value' };
    const numeric: Feature = { name: 'x', kind: 'numeric', mean: 1, std: 2 };
    const spec = (f: Feature): FeatureSpec => ({ features: [f], label: { name: 'y', classes: ['a', 'b'] } });
    expect(needsHashing(spec(hashed))).toBe(true);
    expect(needsHashing(spec(numeric))).toBe(false);
    expect([...encodeRecordWith(undefined, spec(numeric), { x: 5 })]).toEqual([2]);
    expect(() => encodeRecordWith(undefined, spec(hashed), { t: 'a' })).toThrow(/t is a hashed feature/);
    expect(encodeRecordWith(encodeHashed, spec(hashed), { t: 'a' })).toEqual(encodeRecord(spec(hashed), { t: 'a' }));
  });
});

describe('FeatureSpecSchema', () => {
  const every = spec(
    { name: 'a', kind: 'numeric', mean: 1, std: 2 },
    { name: 'b', kind: 'numeric', transform: 'minmax', mean: 1, std: 2, min: 0, max: 4, fill: 3 },
    { name: 'c', kind: 'numeric', transform: 'log', mean: 0.5, std: 0.25 },
    { name: 'd', kind: 'numeric', transform: 'bucketize', mean: 5, std: 1, edges: [1, 2.5, 7] },
    { name: 'e', kind: 'categorical', categories: ['x', 'y'], mode: 'y', unknown: 'bucket' },
    { name: 'f', kind: 'ordinal', order: ['s', 'm', 'l'], fill: 'm' },
    { name: 'g', kind: 'hashed', buckets: 4, seed: 123, tokens: 'words' },
  );

  it('round-trips a spec with every kind through JSON, encoding the same', () => {
    const parsed = FeatureSpecSchema.parse(JSON.parse(JSON.stringify(every)));
    expect(parsed).toEqual(every);
    expect(inputWidth(parsed)).toBe(1 + 1 + 1 + 4 + 3 + 1 + 4);
    const record: RawRecord = { a: 3, b: 2, c: 1, d: 3, e: 'q', f: 'l', g: 'one two' };
    expect(encodeRecord(parsed, record)).toEqual(encodeRecord(every, record));
  });

  it.each<[string, unknown]>([
    ['bucketize without edges', { name: 'd', kind: 'numeric', transform: 'bucketize', mean: 0, std: 1 }],
    ['edges not increasing', { name: 'd', kind: 'numeric', transform: 'bucketize', mean: 0, std: 1, edges: [2, 2] }],
    ['minmax without min', { name: 'b', kind: 'numeric', transform: 'minmax', mean: 0, std: 1, max: 1 }],
    ['an unknown transform', { name: 'b', kind: 'numeric', transform: 'sqrt', mean: 0, std: 1 }],
    ['an ordinal fill outside the order', { name: 'f', kind: 'ordinal', order: ['s'], fill: 'm' }],
    ['an ordinal order with a repeat', { name: 'f', kind: 'ordinal', order: ['s', 's'], fill: 's' }],
    ['hashed with 0 buckets', { name: 'g', kind: 'hashed', buckets: 0, seed: 0, tokens: 'value' }],
    ['an unknown kind', { name: 'z', kind: 'embedding' }],
  ])('rejects %s', (_, feature) => {
    expect(FeatureSpecSchema.safeParse({ features: [feature], label }).success).toBe(false);
  });
});
