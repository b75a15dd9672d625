// The SDK's public API on a page, for the fault tests: the client is made from the `?config=` query
// (JSON), so a reload brings the same app back up, as a user's would.
import { createOutpost, type OutpostClient, type OutpostOptions } from '@outpost/edge-sdk';

export type PageConfig = Pick<OutpostOptions, 'hubUrl' | 'projectKey' | 'model' | 'trustedKeys' | 'flushIntervalMs' | 'batchSize'>;

export interface FaultsPage {
  /** The client, once made; `booted` settles when its first `ready()` has. */
  outpost?: OutpostClient;
  booted: Promise<{ modelVersion: number; executionProvider: string } | { error: string }>;
  /** `n` predictions one after another; the record ids and versions, in order. */
  predict(n: number): Promise<{ id: string; modelVersion: number; executionProvider: string }[]>;
  /** Whether the browser offers a WebGPU adapter at all. */
  webgpuAdapter(): Promise<boolean>;
}

const raw = new URLSearchParams(location.search).get('config');
const config = raw ? (JSON.parse(raw) as PageConfig) : undefined;
const outpost = config ? createOutpost(config) : undefined;
let seed = 0;

const page: FaultsPage = {
  ...(outpost ? { outpost } : {}),
  booted: outpost ? outpost.ready().catch((e: unknown) => ({ error: String(e) })) : Promise.resolve({ error: 'no ?config= in the URL' }),
  async predict(n) {
    if (!outpost) throw new Error('no client');
    const made = [];
    for (let i = 0; i < n; i++) {
      seed++;
      const p = await outpost.predict({ f0: (seed % 17) / 4 - 2, f1: (seed % 5) - 2 });
      made.push({ id: p.id, modelVersion: p.modelVersion, executionProvider: p.executionProvider });
    }
    return made;
  },
  async webgpuAdapter() {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return gpu ? (await gpu.requestAdapter()) !== null : false;
  },
};
(window as unknown as { faults: FaultsPage }).faults = page;
