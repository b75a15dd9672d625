import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import type { Checked } from './check.ts';
import { DeviceContextSchema } from './device-context.ts';
import { ErrorBodySchema } from './error-schema.ts';
import { ERROR_CODES, OutpostError } from './errors.ts';
import { FeatureSpecSchema } from './feature-schema.ts';
import { IngestBatchSchema, IngestResultSchema, ServerPredictResultSchema } from './inference.ts';
import { ManifestResponseSchema, ManifestSchema, type Manifest } from './manifest.ts';
import { createRandom } from './profile/random.ts';
import { keyIdOf, signManifest, verifyManifest } from './signing.ts';
import { base64UrlEncode } from './encoding.ts';
import { checkAppContext } from './app-context-check.ts';
import {
  checkErrorBody,
  checkFeatureSpec,
  checkIngestBatch,
  checkIngestResult,
  checkManifest,
  checkManifestResponse,
  checkServerPredictResult,
} from './wire-check.ts';

// The checkers must accept exactly what the hub's zod schemas accept. A seeded generator (fast-check
// is not installed) makes near-valid values with boundary numbers and lengths, then mutates some:
// a field replaced by something odd, removed, or an unknown one added.

type Gen = ReturnType<typeof generator>;

function generator(seed: number) {
  const rng = createRandom(seed);
  const g = {
    chance: (p: number) => rng.next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!,
    times: <T>(lo: number, hi: number, make: () => T): T[] => Array.from({ length: g.int(lo, hi) }, make),
    /** `good` most of the time, else one of `bad`: a value with many fields stays valid often enough. */
    mostly: (good: unknown, ...bad: unknown[]): unknown => (rng.next() < 0.93 ? good : bad[Math.floor(rng.next() * bad.length)]),
    /** Absent (the key left out) half the time. */
    maybe: <T>(key: string, make: () => T): Record<string, T> => (g.chance(0.5) ? { [key]: make() } : {}),
  };
  return g;
}

const HEX = 'a3'.repeat(32);
const STRINGS = ['', 'a', 'penguins', 'de-CH', 'x'.repeat(8), 'a'.repeat(32), 'a'.repeat(33), 'a'.repeat(35), 'a'.repeat(36), 'v'.repeat(64), 'v'.repeat(65), HEX, HEX.toUpperCase(), HEX.slice(1)];
const NUMBERS = [0, -0, 1, -1, 0.5, -3.5, 2, 9999, 10000, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 1e300];
const ODD = [undefined, null, true, false, [], {}, [1], { a: 1 }, 'numeric', 'regression', 'onnx', 'float32', 'classification', 2, NaN, Infinity];

const str = (g: Gen) => g.pick(STRINGS);
const num = (g: Gen) => g.pick(NUMBERS);
const wild = (g: Gen): unknown => (g.chance(0.4) ? structuredClone(g.pick(ODD)) : g.chance(0.5) ? str(g) : num(g));

function numericFeature(g: Gen) {
  const edges = g.times(0, 3, () => g.pick([-1, 0, 2.5, 7]));
  return {
    name: str(g),
    kind: 'numeric',
    ...g.maybe('transform', () => g.pick(['standardize', 'minmax', 'log', 'bucketize', 'zscore'])),
    mean: num(g),
    std: g.pick([1, 0.5, 0, -1]),
    ...g.maybe('min', () => g.pick([0, 2, 5])),
    ...g.maybe('max', () => g.pick([0, 2, 5])),
    ...g.maybe('edges', () => (g.chance(0.5) ? [...new Set(edges)].sort((a, b) => a - b) : edges)),
    ...g.maybe('fill', () => num(g)),
    ...g.maybe('inGraph', () => g.pick([true, true, false])),
  };
}

function feature(g: Gen): unknown {
  const pool = ['lo', 'mid', 'hi'];
  switch (g.int(0, 3)) {
    case 0:
      return numericFeature(g);
    case 1:
      return { name: str(g), kind: 'categorical', categories: g.times(0, 3, () => g.pick(pool)), mode: g.pick(pool), ...g.maybe('unknown', () => g.pick(['mode', 'bucket', 'drop'])) };
    case 2:
      return { name: str(g), kind: 'ordinal', order: g.times(0, 3, () => g.pick(pool)), fill: g.pick([...pool, 'zz']) };
    default:
      return { name: str(g), kind: 'hashed', buckets: g.pick([0, 1, 32, 1.5]), seed: g.pick([0, 42, 2 ** 32 - 1, 2 ** 32, -1]), tokens: g.pick(['value', 'words', 'chars']) };
  }
}

const label = (g: Gen) =>
  g.chance(0.4)
    ? { name: str(g), task: 'regression' }
    : { name: str(g), ...g.maybe('task', () => g.pick(['classification', 'classification', 'ranking'])), classes: g.times(1, 3, () => str(g)) };

const featureSpec = (g: Gen) => ({ features: g.times(g.chance(0.9) ? 1 : 0, 2, () => feature(g)), label: label(g) });

const tensor = (g: Gen) => ({ name: str(g), shape: g.times(0, 2, () => g.mostly(g.pick([-1, 1, 4]), 2.5, 2 ** 53)), type: g.mostly('float32', 'int64') });

const manifest = (g: Gen) => ({
  schema: g.mostly(2, 1, '2'),
  project: str(g),
  model: str(g),
  version: g.mostly(g.pick([1, 2, 7]), 0, 1.5, -1),
  publishedAt: '2026-01-01T00:00:00.000Z',
  issuedAt: '2026-01-02T00:00:00.000Z',
  expiresAt: '2026-02-01T00:00:00.000Z',
  minVersion: g.mostly(g.pick([1, 3]), 0),
  artifact: { format: g.mostly('onnx', 'tflite'), sha256: g.mostly(HEX, HEX.toUpperCase(), HEX.slice(2), `${HEX}\n`), size: g.mostly(g.pick([1, 1024]), 0, -5), path: '/v1/device/artifacts/x' },
  input: tensor(g),
  output: tensor(g),
  // Mostly specs that are valid, so the rest of the manifest gets tested too.
  features: g.chance(0.5) ? { features: [{ name: 'x', kind: 'numeric', mean: 0, std: 1 }], label: { name: 'y', classes: ['a', 'b'] } } : featureSpec(g),
});

const assignment = (g: Gen) => ({ version: g.pick([1, 4, 0]), bucket: g.pick([0, 9999, 10000, -1, 17.5]), reason: g.pick(['pinned', 'rule', 'rollout', 'default', 'random']), ...g.maybe('detail', () => str(g)) });

const manifestResponse = (g: Gen) => ({ payload: str(g), signature: str(g), keyId: str(g), ...g.maybe('assignment', () => assignment(g)) });

const ingestResult = (g: Gen) => ({ accepted: g.pick([0, 3, 500, 1.5, -2]), duplicates: g.pick([0, 1, 2 ** 53]) });

const errorBody = (g: Gen) => ({
  error: {
    code: g.pick([...ERROR_CODES, 'TEAPOT']),
    message: str(g),
    ...g.maybe('issues', () => g.times(0, 2, () => ({ ...g.maybe('path', () => str(g)), ...g.maybe('row', () => g.pick([1, 0, -1, 2.5])), ...g.maybe('column', () => str(g)), message: str(g) }))),
  },
});

const appContext = (g: Gen) => ({
  ...g.maybe('platform', () => str(g)),
  ...g.maybe('appVersion', () => g.pick(['2.1.0', '', 'a'.repeat(32), 'a'.repeat(33)])),
  ...g.maybe('locale', () => str(g)),
  ...g.maybe('attributes', () =>
    g.chance(0.2)
      ? // At and just past the most attributes allowed.
        Object.fromEntries(Array.from({ length: g.pick([16, 17]) }, (_, i) => [`k${i}`, 'x']))
      : Object.fromEntries(g.times(0, 3, () => [g.chance(0.7) ? `k${g.int(0, 9)}` : g.pick(['no spaces', 'a'.repeat(32), 'a'.repeat(33), 'é', '', 'x.y-z_1']), g.pick(['pro', '', 'v'.repeat(64), 'v'.repeat(65)])])),
  ),
  // installId and webgpu are the SDK's: the app may not set them.
  ...(g.chance(0.1) ? { webgpu: true } : {}),
});

const output = (g: Gen) => (g.chance(0.5) ? { label: str(g), probabilities: g.times(0, 3, () => g.pick([0.2, 0.8, 1])) } : { value: num(g) });
const serverPredictResult = (g: Gen) => ({ model: str(g), modelVersion: g.pick([1, 3, 0]), predictions: g.times(0, 2, () => ({ id: str(g), output: output(g) })) });

const inferenceRecord = (g: Gen) => ({
  id: g.mostly(`rec-${g.int(0, 99)}-xxxxxxxx`, 'short', 'v'.repeat(65)),
  seq: g.mostly(g.int(0, 9), -1, 1.5),
  model: g.mostly('penguins', '', 'a'.repeat(129)),
  modelVersion: g.mostly(g.int(1, 3), 0),
  executionProvider: g.mostly(g.pick(['wasm', 'webgpu', 'server']), '', 'a'.repeat(33)),
  latencyMs: g.mostly(g.pick([0, 0.25, 12]), -0.5),
  createdAt: g.mostly(1_700_000_000_000 + g.int(0, 1000), -1, 1.5, 2 ** 53),
  input: Object.fromEntries(g.times(0, 3, () => [g.pick(['island', 'bill', 'sex', '']), g.mostly(g.pick(['Biscoe', 40.5, true, null]), [], {}, undefined)])),
  output: g.pick([{ label: g.pick(['Adelie', '']), probabilities: g.times(0, 3, () => g.pick([0.2, 0.8])) }, { value: g.mostly(1.5, '1.5') }, { error: g.mostly('boom', '', 'e'.repeat(501)) }]),
  // A field the hub owns, or one it does not know, now and then.
  ...(g.chance(0.04) ? { [g.pick(['receivedAt', 'observedAt', 'flags', 'foo'])]: 1 } : {}),
});

const ingestBatch = (g: Gen) => ({
  deviceId: g.mostly('device-aaaaaaaa', 'short'),
  ...g.maybe('batchId', () => g.mostly('b'.repeat(32), 'short')),
  ...g.maybe('sentAt', () => g.mostly(1_700_000_100_000, -1, 2.5)),
  ...g.maybe('health', () => ({
    model: g.mostly('penguins', ''),
    dropped: g.chance(0.1)
      ? Object.fromEntries(Array.from({ length: g.pick([32, 33]) }, (_, i) => [`reason_${i}`, 1]))
      : Object.fromEntries(g.times(0, 3, () => [g.mostly(g.pick(['queue_full', 'expired', 'rejected_400']), '', 'r'.repeat(65), 'no spaces', '\ud800'), g.mostly(g.int(0, 50), -1, 0.5)])),
  })),
  records: g.times(g.chance(0.95) ? 1 : 0, 3, () => inferenceRecord(g)),
});

/** The value with 1–2 random changes somewhere in its tree. */
function mutate(g: Gen, value: unknown): unknown {
  const copy = structuredClone(value);
  for (let n = g.int(1, 2); n > 0; n--) {
    const containers: (Record<string, unknown> | unknown[])[] = [];
    const walk = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return;
      containers.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    };
    walk(copy);
    const target = g.pick(containers);
    const keys = Object.keys(target);
    const action = g.int(0, 2);
    if (action === 0 && keys.length > 0) (target as Record<string, unknown>)[g.pick(keys)] = wild(g);
    else if (action === 1 && keys.length > 0) {
      if (Array.isArray(target)) target.splice(g.int(0, target.length - 1), 1);
      else delete target[g.pick(keys)];
    } else if (Array.isArray(target)) target.push(wild(g));
    else target[g.pick(['extra', 'kind', 'task', 'installId', 'detail'])] = wild(g);
  }
  return copy;
}

const cases: { name: string; schema: z.ZodType; check: (v: unknown) => Checked<unknown>; make: (g: Gen) => unknown }[] = [
  { name: 'manifest', schema: ManifestSchema, check: checkManifest, make: manifest },
  { name: 'feature spec', schema: FeatureSpecSchema, check: checkFeatureSpec, make: featureSpec },
  { name: 'manifest response', schema: ManifestResponseSchema, check: checkManifestResponse, make: manifestResponse },
  { name: 'ingest result', schema: IngestResultSchema, check: checkIngestResult, make: ingestResult },
  { name: 'error body', schema: ErrorBodySchema, check: checkErrorBody, make: errorBody },
  { name: 'app context', schema: DeviceContextSchema.omit({ installId: true, webgpu: true }).strict(), check: checkAppContext, make: appContext },
  { name: 'server predict result', schema: ServerPredictResultSchema, check: checkServerPredictResult, make: serverPredictResult },
  { name: 'ingest batch', schema: IngestBatchSchema, check: checkIngestBatch, make: ingestBatch },
];

describe('wire checks agree with the zod schemas', () => {
  test.each(cases)('$name: 3000 generated values', ({ schema, check, make }) => {
    const g = generator(0x0c0ffee);
    const disagreements: { value: unknown; zod: boolean; check: boolean }[] = [];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const fresh = make(g);
      const value = g.chance(0.5) ? mutate(g, fresh) : fresh;
      const byZod = schema.safeParse(value).success;
      const byCheck = check(value).ok;
      if (byZod !== byCheck) disagreements.push({ value, zod: byZod, check: byCheck });
      if (byZod) accepted++;
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    // Both sides of the line are exercised, or the agreement proves little.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2700);
  });

  test('non-objects are refused by both', () => {
    for (const { schema, check } of cases) {
      for (const value of [undefined, null, 'x', 3, [], [{}]]) expect([schema.safeParse(value).success, check(value).ok]).toEqual([false, false]);
    }
  });
});

describe('wire check errors name the field', () => {
  const g = generator(1);
  let valid: Manifest;
  do valid = manifest(g) as Manifest;
  while (!ManifestSchema.safeParse(valid).success);

  test('a valid manifest is returned as is', () => {
    expect(checkManifest(valid)).toEqual({ ok: true, value: valid });
  });

  test.each([
    ['manifest.artifact.sha256: expected a 64-char hex string', { ...valid, artifact: { ...valid.artifact, sha256: 'ABC' } }],
    ['manifest.version: expected > 0', { ...valid, version: 0 }],
    ['manifest.input.shape.1: expected an integer', { ...valid, input: { ...valid.input, shape: [1, 2.5] } }],
    ['manifest.features.features.0.edges: bucketize needs strictly increasing edges', { ...valid, features: { ...valid.features, features: [{ name: 'x', kind: 'numeric', transform: 'bucketize', mean: 0, std: 1, edges: [2, 1] }] } }],
    ['manifest.features.features.0.kind: expected "numeric" or "categorical" or "ordinal" or "hashed"', { ...valid, features: { ...valid.features, features: [{ name: 'x', kind: 'text' }] } }],
    ['manifest.features.label.classes: expected at least 2 items', { ...valid, features: { ...valid.features, label: { name: 'y', classes: ['a'] } } }],
  ])('%s', (error, value) => {
    expect(checkManifest(value)).toMatchObject({ ok: false, error });
  });

  test('app context: the bad attribute name, and a field the SDK sets', () => {
    expect(checkAppContext({ attributes: { 'no spaces': 'x' } })).toMatchObject({ ok: false, issue: { path: 'context.attributes.no spaces' } });
    expect(checkAppContext({ installId: 'abcdefgh' })).toMatchObject({ ok: false, error: 'context.installId: unexpected field' });
  });

  test('verifyManifest refuses a well-signed payload that is not a manifest, naming the field', async () => {
    const keys = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
    const keyId = await keyIdOf(raw);
    const trusted = [{ keyId, publicKey: base64UrlEncode(raw) }];
    expect(await verifyManifest(await signManifest(valid, keys.privateKey, keyId), trusted)).toEqual(valid);
    const bad = await signManifest({ ...valid, artifact: { ...valid.artifact, size: -1 } }, keys.privateKey, keyId);
    const error = await verifyManifest(bad, trusted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutpostError);
    expect(error).toMatchObject({ code: 'INTEGRITY', message: 'signed manifest has an unknown shape: manifest.artifact.size: expected > 0' });
  });
});

describe('ingest batch checks name the record index and field', () => {
  const g = generator(2);
  let valid: ReturnType<typeof ingestBatch>;
  do valid = ingestBatch(g);
  while (!IngestBatchSchema.safeParse(valid).success || valid.records.length < 2);
  const withRecord = (over: Record<string, unknown>) => ({ ...valid, records: [valid.records[0], { ...valid.records[1], ...over }] });

  test.each([
    ['batch.records.1.latencyMs: expected a number', withRecord({ latencyMs: null })],
    ['batch.records.1.seq: expected an integer', withRecord({ seq: 1.5 })],
    ['batch.records.1.modelVersion: expected a number', withRecord({ modelVersion: undefined })],
    ['batch.records.1.foo: unknown field', withRecord({ foo: 1 })],
    ['batch.records.1.flags: server-owned field, set by the hub', withRecord({ flags: 1 })],
    ['batch.records.1.receivedAt: server-owned field, set by the hub', withRecord({ receivedAt: 1 })],
    ['batch.records.1.input.bill: expected a string, number, boolean or null', withRecord({ input: { bill: [40] } })],
    ['batch.observedAt: server-owned field, set by the hub', { ...valid, observedAt: 1 }],
    ['batch.health.dropped.expired: expected >= 0', { ...valid, health: { model: 'penguins', dropped: { expired: -1 } } }],
    ['batch.health.dropped.queue full: expected letters, digits, _ . : - (at most 64)', { ...valid, health: { model: 'penguins', dropped: { 'queue full': 1 } } }],
    ['batch.records: expected at most 500 items', { ...valid, records: Array.from({ length: 501 }, () => valid.records[0]) }],
  ])('%s', (error, value) => {
    expect(checkIngestBatch(value)).toMatchObject({ ok: false, error });
    // zod refuses it too, its first issue at the same place (for an unknown field: on the object).
    const zodIssue = IngestBatchSchema.safeParse(value).error?.issues[0];
    expect(zodIssue).toBeDefined();
    const path = error.slice(0, error.indexOf(': '));
    expect(`batch.${zodIssue!.path.join('.')}`.startsWith(path.slice(0, path.lastIndexOf('.')))).toBe(true);
  });

  test('a field named like an Object.prototype member is still unknown', () => {
    expect(checkIngestBatch(withRecord({ toString: 'x' }))).toMatchObject({ ok: false, error: 'batch.records.1.toString: unknown field' });
  });
});
