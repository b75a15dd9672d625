import { OutpostError, SignedManifestSchema, devicePaths, type Manifest, type SignedManifest, type TrustedKey } from '@outpost/shared';
import { describeFailure, hubRequest, type HubEndpoint } from '../http.ts';
import { memoizeInFlight } from '../memoize-in-flight.ts';
import { checkArtifact, verifySignedManifest } from './verify.ts';

/** Fetches and verifies manifests and artifacts from the hub. */
export interface ModelSource {
  /** The current signed manifest for a model, verified. Throws NETWORK or INTEGRITY. */
  fetchManifest(model: string): Promise<{ signed: SignedManifest; manifest: Manifest }>;
  /** The artifact a verified manifest points to, checked against its size and SHA-256. Throws NETWORK or INTEGRITY. */
  fetchArtifact(manifest: Manifest): Promise<Uint8Array>;
}

/**
 * @example const source = createModelSource({ hubUrl, projectKey, fetch }, trustedKeys);
 */
export function createModelSource(hub: HubEndpoint, trustedKeys: readonly TrustedKey[]): ModelSource {
  async function get(path: string, what: string): Promise<Response> {
    let response: Response;
    try {
      response = await hubRequest(hub, path);
    } catch (e) {
      throw new OutpostError('NETWORK', `${what}: hub unreachable`, { cause: e });
    }
    if (!response.ok) throw new OutpostError('NETWORK', `${what}: ${await describeFailure(response)}`);
    return response;
  }

  // Two callers wanting one artifact (ready() racing a later refresh) share one download.
  const fetchArtifact = memoizeInFlight(
    (manifest: Manifest) => manifest.artifact.sha256,
    async (manifest: Manifest) => {
      const response = await get(manifest.artifact.path, `model v${manifest.version}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      await checkArtifact(manifest, bytes);
      return bytes;
    },
  );

  return {
    async fetchManifest(model) {
      const response = await get(devicePaths.manifest(model), `manifest of "${model}"`);
      const body: unknown = await response.json().catch(() => undefined);
      const signed = SignedManifestSchema.safeParse(body);
      if (!signed.success) throw new OutpostError('INTEGRITY', `manifest of "${model}" is not a signed manifest`);
      return { signed: signed.data, manifest: await verifySignedManifest(signed.data, trustedKeys, model) };
    },
    fetchArtifact,
  };
}
