import {
  IngestBatchSchema,
  OutpostError,
  base64UrlEncode,
  devicePaths,
  keyIdOf,
  sha256Hex,
  signManifest,
  type FeatureSpec,
  type InferenceRecord,
  type IngestBatch,
  type Manifest,
  type SignedManifest,
  type TrustedKey,
} from '@outpost/shared';
import { systemClock, type Clock } from '../clock.ts';
import type { FetchLike } from '../http.ts';

/** What one request gets instead of the normal answer: an HTTP status (with headers) or a network failure. */
export type FakeHubAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | 'network-error';
export type FakeHubRoute = 'manifest' | 'artifact' | 'ingest' | 'predict';

export interface FakeHubOptions {
  /** The model name devices ask for. Default: 'model'. */
  model?: string;
  /** The project key devices must send. Default: 'pk_test_fake_hub'. */
  projectKey?: string;
  /** Dates manifests' `issuedAt` (now) and `expiresAt` (a year later). Pass your fake clock. Default: the system clock. */
  clock?: Pick<Clock, 'now'>;
}

/**
 * An Outpost hub in memory, for testing an app that uses the SDK: it signs and serves a model,
 * stores uploaded inference records (ignoring ids it already has, like the real hub) and answers
 * scripted failures. Hand its `options()` to `createOutpost`; nothing touches the network.
 */
export interface FakeHub {
  readonly url: string;
  readonly projectKey: string;
  readonly model: string;
  /** The public key its manifests are signed with. */
  readonly trustedKeys: TrustedKey[];
  readonly fetch: FetchLike;
  /** `{ hubUrl, projectKey, model, trustedKeys, fetch }`, to spread into createOutpost's options. */
  options(): { hubUrl: string; projectKey: string; model: string; trustedKeys: TrustedKey[]; fetch: FetchLike };
  /**
   * Serve `version` of the model from now on: `features` is the spec `predict()` encodes with;
   * `bytes` are whatever your runtime loads (any bytes for createFakeRuntime).
   */
  publish(version: number, model: { features: FeatureSpec; bytes?: Uint8Array; input?: Manifest['input']; output?: Manifest['output'] }): Promise<void>;
  /** Answer the next requests to `route` with these, in turn; then behave normally again. */
  script(route: FakeHubRoute, ...answers: FakeHubAnswer[]): void;
  /** Every request fails at the network level while true. */
  offline: boolean;
  /** Inference records stored, in arrival order, each once. */
  records(): InferenceRecord[];
  /** Upload bodies accepted (2xx), duplicates included. */
  readonly batches: IngestBatch[];
  /** Every request, as `'<route> <status>'` or `'<route> network-error'`. */
  readonly requests: string[];
}

let hubs = 0;

/**
 * @example
 * const clock = createFakeClock(Date.UTC(2026, 0, 1));
 * const hub = await createFakeHub({ model: 'penguins', clock });
 * await hub.publish(1, { features });
 * const outpost = createOutpost({ ...hub.options(), runtime: createFakeRuntime({ run: () => [0.9, 0.1] }), clock, logBuffer: createMemoryLogBuffer() });
 * await outpost.predict({ island: 'Dream' });
 * await outpost.flush();
 * expect(hub.records()).toHaveLength(1);
 */
export async function createFakeHub(options: FakeHubOptions = {}): Promise<FakeHub> {
  const model = options.model ?? 'model';
  const projectKey = options.projectKey ?? 'pk_test_fake_hub';
  const clock = options.clock ?? systemClock;
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const keyId = await keyIdOf(publicKey);
  const artifacts = new Map<string, Uint8Array>();
  const scripts = new Map<FakeHubRoute, FakeHubAnswer[]>();
  const stored = new Map<string, InferenceRecord>();
  let manifest: SignedManifest | undefined;
  let lastIssued = -Infinity;
  const url = `https://fake-hub-${++hubs}.test`;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  const error = (status: number, code: ConstructorParameters<typeof OutpostError>[0], message: string) => json(status, new OutpostError(code, message).toBody());

  function routeOf(path: string): FakeHubRoute | undefined {
    if (path === devicePaths.inferences) return 'ingest';
    if (path === devicePaths.manifest(model)) return 'manifest';
    if (path === devicePaths.predict(model)) return 'predict';
    if (path.startsWith(devicePaths.artifact(''))) return 'artifact';
    return undefined;
  }

  function answer(route: FakeHubRoute | undefined, path: string, init: RequestInit): Response | 'network-error' {
    if (hub.offline) return 'network-error';
    if (!route) return error(404, 'NOT_FOUND', `no route ${path}`);
    const scripted = scripts.get(route)?.shift();
    if (scripted === 'network-error') return scripted;
    if (scripted) return json(scripted.status, scripted.body ?? new OutpostError('INTERNAL', 'scripted failure').toBody(), scripted.headers);
    if (new Headers(init.headers).get('authorization') !== `Bearer ${projectKey}`) return error(401, 'UNAUTHORIZED', 'send the project key');
    if (route === 'manifest') return manifest ? json(200, manifest) : error(404, 'NOT_FOUND', `no published version of ${model}`);
    if (route === 'predict') return error(501, 'NOT_IMPLEMENTED', 'the fake hub does not predict');
    if (route === 'artifact') {
      const bytes = artifacts.get(path.slice(devicePaths.artifact('').length));
      return bytes ? new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200 }) : error(404, 'NOT_FOUND', 'no such artifact');
    }
    let body: unknown;
    try {
      body = JSON.parse(String(init.body));
    } catch {
      return error(400, 'VALIDATION_FAILED', 'body is not JSON');
    }
    const parsed = IngestBatchSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_FAILED', parsed.error.message);
    hub.batches.push(parsed.data);
    let accepted = 0;
    for (const r of parsed.data.records) {
      if (stored.has(r.id)) continue;
      stored.set(r.id, r);
      accepted++;
    }
    return json(200, { accepted, duplicates: parsed.data.records.length - accepted });
  }

  const hub: FakeHub = {
    url,
    projectKey,
    model,
    trustedKeys: [{ keyId, publicKey: base64UrlEncode(publicKey) }],
    offline: false,
    batches: [],
    requests: [],
    async fetch(input, init = {}) {
      const path = new URL(input).pathname;
      const route = routeOf(path);
      const response = answer(route, path, init);
      hub.requests.push(`${route ?? path} ${response === 'network-error' ? response : response.status}`);
      if (response === 'network-error') throw new TypeError('Failed to fetch');
      return response;
    },
    options: () => ({ hubUrl: url, projectKey, model, trustedKeys: hub.trustedKeys, fetch: hub.fetch }),
    async publish(version, spec) {
      const bytes = spec.bytes ?? new TextEncoder().encode(`fake model ${model} v${version}`);
      const sha256 = await sha256Hex(bytes);
      artifacts.set(sha256, bytes);
      // Strictly later each time, so a device never takes a new publish for a replay.
      const now = (lastIssued = Math.max(Math.round(clock.now()), lastIssued + 1));
      manifest = await signManifest(
        {
          schema: 2,
          project: 'fake',
          model,
          version,
          publishedAt: new Date(now).toISOString(),
          issuedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 365 * 24 * 60 * 60 * 1000).toISOString(),
          minVersion: 1,
          artifact: { format: 'onnx', sha256, size: bytes.byteLength, path: devicePaths.artifact(sha256) },
          input: spec.input ?? { name: 'input', shape: [-1, -1], type: 'float32' },
          output: spec.output ?? { name: 'output', shape: [-1, -1], type: 'float32' },
          features: spec.features,
        },
        pair.privateKey,
        keyId,
      );
    },
    script(route, ...answers) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...answers]);
    },
    records: () => [...stored.values()],
  };
  return hub;
}
