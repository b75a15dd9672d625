import { OutpostError, checkManifestResponse, devicePaths, type Assignment, type Manifest, type SignedManifest, type TrustedKey } from '@outpost/shared';
import { describeFailure, hubRequest, type HubEndpoint } from '../http.ts';
import { memoizeInFlight } from '../memoize-in-flight.ts';
import { checkArtifact, verifySignedManifest } from './verify.ts';

/** A manifest response whose signature checked out (its freshness is the caller's to judge). */
export interface FetchedManifest {
  signed: SignedManifest;
  manifest: Manifest;
  /** Why the hub chose this version for this device (unsigned: for display). */
  assignment?: Assignment;
  etag?: string;
}

/** Fetches and verifies manifests and artifacts from the hub. */
export interface ModelSource {
  /**
   * The signed manifest the hub chose for this device (`query`: the device context), verified;
   * `'not-modified'` when the hub answers 304 to `etag`. Throws NETWORK or INTEGRITY.
   */
  fetchManifest(model: string, request: { query: string; etag?: string | undefined }): Promise<FetchedManifest | 'not-modified'>;
  /**
   * The artifact a verified manifest points to, streamed (progress per chunk) and checked against
   * its size and SHA-256. One download per artifact in flight. Throws NETWORK or INTEGRITY.
   */
  fetchArtifact(manifest: Manifest): Promise<Uint8Array>;
}

/**
 * @example const source = createModelSource({ hubUrl, projectKey, fetch }, trustedKeys, (m, loaded, total) => show(loaded / total));
 */
export function createModelSource(
  hub: HubEndpoint,
  trustedKeys: readonly TrustedKey[],
  onProgress: (manifest: Manifest, loaded: number, total: number) => void = () => undefined,
): ModelSource {
  async function get(path: string, what: string, headers?: Record<string, string>): Promise<Response> {
    let response: Response;
    try {
      response = await hubRequest(hub, path, headers ? { headers } : {});
    } catch (e) {
      throw new OutpostError('NETWORK', `${what}: hub unreachable`, { cause: e });
    }
    if (!response.ok && response.status !== 304) throw new OutpostError('NETWORK', `${what}: ${await describeFailure(response)}`);
    return response;
  }

  // Two callers wanting one artifact (ready() racing a poll) share one download.
  const fetchArtifact = memoizeInFlight(
    (manifest: Manifest) => manifest.artifact.sha256,
    async (manifest: Manifest) => {
      const what = `model v${manifest.version}`;
      const response = await get(manifest.artifact.path, what);
      const bytes = await readBody(response, manifest, (loaded) => onProgress(manifest, loaded, manifest.artifact.size)).catch((e: unknown) => {
        throw e instanceof OutpostError ? e : new OutpostError('NETWORK', `${what}: download broke off`, { cause: e });
      });
      await checkArtifact(manifest, bytes);
      return bytes;
    },
  );

  return {
    async fetchManifest(model, request) {
      const what = `manifest of "${model}"`;
      const response = await get(`${devicePaths.manifest(model)}?${request.query}`, what, request.etag ? { 'if-none-match': request.etag } : undefined);
      if (response.status === 304) return 'not-modified';
      const body: unknown = await response.json().catch(() => undefined);
      const parsed = checkManifestResponse(body);
      if (!parsed.ok) throw new OutpostError('INTEGRITY', `${what} is not a signed manifest: ${parsed.error}`);
      const { assignment, payload, signature, keyId } = parsed.value;
      const signed: SignedManifest = { payload, signature, keyId };
      const etag = response.headers.get('etag');
      return {
        signed,
        manifest: await verifySignedManifest(signed, trustedKeys, model),
        ...(assignment ? { assignment } : {}),
        ...(etag ? { etag } : {}),
      };
    },
    fetchArtifact,
  };
}

/**
 * The body, chunk by chunk, into one buffer of the signed size: a body longer than the manifest
 * says is cut off at once (INTEGRITY) rather than read to the end.
 */
async function readBody(response: Response, manifest: Manifest, progress: (loaded: number) => void): Promise<Uint8Array> {
  const size = manifest.artifact.size;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const bytes = new Uint8Array(size);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > size) {
      await reader.cancel().catch(() => undefined);
      throw new OutpostError('INTEGRITY', `model v${manifest.version} is more than the ${size} bytes the manifest says`);
    }
    bytes.set(value, loaded);
    loaded += value.byteLength;
    progress(loaded);
  }
  return loaded === size ? bytes : bytes.subarray(0, loaded);
}
