/**
 * A scripted hub for the SDK's own tests (not exported): serves signed manifests, artifacts and
 * ingest like the real one, and answers with scripted failures when told to.
 */
import {
  INGEST_LIMITS,
  FeedbackBatchSchema,
  IngestBatchSchema,
  OutpostError,
  ServerPredictRequestSchema,
  base64UrlDecode,
  devicePaths,
  keyIdOf,
  base64UrlEncode,
  sha256Hex,
  signManifest,
  type Assignment,
  type FeatureSpec,
  type FeedbackItem,
  type InferenceRecord,
  type Manifest,
  type SignedManifest,
  type TrustedKey,
} from '@outpost/shared';
import type { FetchLike } from '../http.ts';

export const PROJECT_KEY = 'pk_test_0123456789';
export const MODEL = 'penguins';

export const FEATURES: FeatureSpec = {
  features: [
    { name: 'bill_length_mm', kind: 'numeric', mean: 44, std: 5 },
    { name: 'island', kind: 'categorical', categories: ['Biscoe', 'Dream', 'Torgersen'], mode: 'Biscoe' },
  ],
  label: { name: 'species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
};

/** What one request gets instead of the normal answer: an HTTP response or a network failure. */
export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error';
export type Route = 'manifest' | 'artifact' | 'ingest' | 'predict' | 'feedback';

export interface Signer {
  trustedKey: TrustedKey;
  sign(manifest: Manifest): Promise<SignedManifest>;
}

export async function createSigner(): Promise<Signer> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const keyId = await keyIdOf(raw);
  return {
    trustedKey: { keyId, publicKey: base64UrlEncode(raw) },
    sign: (manifest) => signManifest(manifest, pair.privateKey, keyId),
  };
}

export interface FakeHub {
  /** Unique per hub, so each test gets its own SDK database. */
  url: string;
  fetch: FetchLike;
  trustedKeys: TrustedKey[];
  signer: Signer;
  /** Sign and serve a model version whose artifact is `bytes`. */
  /** Sign and serve a manifest for `bytes`; `signature` replaces the default penguin classifier's input, output and features. */
  publish(version: number, bytes: Uint8Array, signature?: Partial<Manifest>): Promise<SignedManifest>;
  /** Serve this instead of the published manifest (tampering). */
  manifestOverride: SignedManifest | undefined;
  /** Serve these bytes for every artifact (a corrupted download). */
  artifactOverride: Uint8Array | undefined;
  /** Every request fails at the network level while true. */
  down: boolean;
  /** Ingest bodies larger than this get 413. */
  maxBodyBytes: number;
  /** Queue answers for the next requests to a route; then it behaves normally again. */
  script(route: Route, ...answers: Scripted[]): void;
  /** Sent beside the manifest (the hub's unsigned reason for the version). */
  assignment: Assignment | undefined;
  /** The query of every manifest request (the device context). */
  manifestQueries: URLSearchParams[];
  /** Artifacts are streamed in chunks of this many bytes. */
  chunkBytes: number;
  /** What POST …/predict answers per record (the hub's fallback), and logs in `stored` with provider 'server'. */
  serverOutput: InferenceRecord['output'];
  /** Records stored, by id. */
  stored: Map<string, InferenceRecord>;
  /** How many times each record id arrived in an accepted batch. */
  deliveries: Map<string, number>;
  /** Late labels stored, by prediction id (the latest wins). */
  feedback: Map<string, FeedbackItem>;
  /** Every request, as "route status". */
  log: string[];
  deviceIds: Set<string>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

let hubCount = 0;

export async function createFakeHub(): Promise<FakeHub> {
  const signer = await createSigner();
  const artifacts = new Map<string, Uint8Array>();
  const scripts: Record<Route, Scripted[]> = { manifest: [], artifact: [], ingest: [], predict: [], feedback: [] };
  let published: SignedManifest | undefined;
  let issued = Date.UTC(2026, 0, 1);

  const hub: FakeHub = {
    url: `https://hub-${++hubCount}.test`,
    trustedKeys: [signer.trustedKey],
    signer,
    manifestOverride: undefined,
    artifactOverride: undefined,
    down: false,
    maxBodyBytes: INGEST_LIMITS.maxBodyBytes,
    stored: new Map(),
    feedback: new Map(),
    deliveries: new Map(),
    log: [],
    deviceIds: new Set(),
    assignment: undefined,
    manifestQueries: [],
    chunkBytes: 16,
    serverOutput: { label: 'Gentoo', probabilities: [0.1, 0.2, 0.7] },
    async publish(version, bytes, signature) {
      const sha256 = await sha256Hex(bytes);
      artifacts.set(sha256, bytes);
      const manifest: Manifest = {
        schema: 2,
        project: 'test',
        model: MODEL,
        version,
        publishedAt: new Date(0).toISOString(),
        // Issued in publish order; valid for a year of (fake) time.
        issuedAt: new Date(++issued).toISOString(),
        expiresAt: new Date(issued + 365 * 24 * 3600 * 1000).toISOString(),
        minVersion: 1,
        artifact: { format: 'onnx', sha256, size: bytes.byteLength, path: devicePaths.artifact(sha256) },
        input: { name: 'input', shape: [-1, 4], type: 'float32' },
        output: { name: 'probabilities', shape: [-1, 3], type: 'float32' },
        features: FEATURES,
        ...signature,
      };
      published = await signer.sign(manifest);
      return published;
    },
    script(route, ...answers) {
      scripts[route].push(...answers);
    },
    async fetch(input, init = {}) {
      const url = new URL(input);
      const route: Route = url.pathname.endsWith('/manifest')
        ? 'manifest'
        : url.pathname === devicePaths.inferences
          ? 'ingest'
          : url.pathname === devicePaths.feedback
            ? 'feedback'
          : url.pathname.endsWith('/predict')
            ? 'predict'
            : 'artifact';
      const answer = await respond(route, url, init);
      hub.log.push(`${route} ${answer instanceof Response ? answer.status : 'network-error'}`);
      if (!(answer instanceof Response)) throw new TypeError('fetch failed');
      return answer;
    },
  };

  async function respond(route: Route, url: URL, init: RequestInit): Promise<Response | 'network-error'> {
    if (hub.down) return 'network-error';
    const scripted = scripts[route].shift();
    if (scripted === 'network-error') return scripted;
    if (scripted) return json(scripted.status, scripted.body ?? new OutpostError('INTERNAL', 'scripted').toBody(), scripted.headers);
    if (new Headers(init.headers).get('authorization') !== `Bearer ${PROJECT_KEY}`) {
      return json(401, new OutpostError('UNAUTHORIZED', 'bad project key').toBody());
    }
    if (route === 'manifest') {
      hub.manifestQueries.push(url.searchParams);
      const signed = hub.manifestOverride ?? published;
      if (!signed || url.pathname !== devicePaths.manifest(MODEL)) return json(404, new OutpostError('NOT_FOUND', 'no model').toBody());
      const etag = `"${signed.signature.slice(0, 16)}${hub.assignment ? `-${hub.assignment.version}-${hub.assignment.bucket}` : ''}"`;
      if (new Headers(init.headers).get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
      return json(200, { ...signed, ...(hub.assignment ? { assignment: hub.assignment } : {}) }, { etag });
    }
    if (route === 'artifact') {
      const bytes = artifacts.get(url.pathname.split('/').pop() ?? '');
      if (!bytes) return json(404, new OutpostError('NOT_FOUND', 'no artifact').toBody());
      const body = hub.artifactOverride ?? bytes;
      // Streamed in chunks, as a network delivers it (the SDK reports progress per chunk).
      const chunks = Math.max(1, Math.ceil(body.byteLength / hub.chunkBytes));
      let i = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i < chunks) controller.enqueue(body.slice(i * hub.chunkBytes, ++i * hub.chunkBytes));
          else controller.close();
        },
      });
      return new Response(stream, { status: 200, headers: { 'content-length': String(body.byteLength) } });
    }
    if (route === 'predict') {
      const request = ServerPredictRequestSchema.safeParse(JSON.parse(String(init.body ?? '')));
      if (!request.success) return json(400, new OutpostError('VALIDATION_FAILED', request.error.message).toBody());
      const version = published ? (JSON.parse(new TextDecoder().decode(base64UrlDecode(published.payload))) as Manifest).version : 1;
      for (const r of request.data.records) {
        hub.deliveries.set(r.id, (hub.deliveries.get(r.id) ?? 0) + 1);
        hub.stored.set(r.id, { ...r, model: MODEL, modelVersion: version, executionProvider: 'server', latencyMs: 1, output: hub.serverOutput });
      }
      hub.deviceIds.add(request.data.deviceId);
      return json(200, { model: MODEL, modelVersion: version, predictions: request.data.records.map((r) => ({ id: r.id, output: hub.serverOutput })) });
    }
    if (route === 'feedback') {
      const parsed = FeedbackBatchSchema.safeParse(JSON.parse(String(init.body ?? '')));
      if (!parsed.success) return json(400, new OutpostError('VALIDATION_FAILED', parsed.error.message).toBody());
      for (const item of parsed.data.items) hub.feedback.set(item.predictionId, item);
      return json(200, { accepted: parsed.data.items.length });
    }
    const text = String(init.body ?? '');
    if (new TextEncoder().encode(text).length > hub.maxBodyBytes) {
      return json(413, new OutpostError('PAYLOAD_TOO_LARGE', 'too big').toBody());
    }
    const parsed = IngestBatchSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return json(400, new OutpostError('VALIDATION_FAILED', parsed.error.message).toBody());
    hub.deviceIds.add(parsed.data.deviceId);
    let accepted = 0;
    for (const r of parsed.data.records) {
      hub.deliveries.set(r.id, (hub.deliveries.get(r.id) ?? 0) + 1);
      if (!hub.stored.has(r.id)) {
        hub.stored.set(r.id, r);
        accepted++;
      }
    }
    return json(200, { accepted, duplicates: parsed.data.records.length - accepted });
  }

  return hub;
}

/** Poll until `check` passes (background work runs on real IndexedDB/microtask time). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
