// The SDK's public API on a page, for the model delivery tests: the client is made from the
// `?config=` query (JSON); every event it emits is kept in `delivery.events`.
import { createOutpost, type OutpostClient, type OutpostEvents, type OutpostOptions, type ReadyInfo } from '@outpost/edge-sdk';

export type PageConfig = Pick<OutpostOptions, 'hubUrl' | 'projectKey' | 'model' | 'trustedKeys' | 'pollIntervalMs' | 'context' | 'wasmPaths' | 'flushIntervalMs'>;

export interface DeliveryPage {
  outpost: OutpostClient;
  booted: Promise<ReadyInfo | { error: string }>;
  events: Array<{ type: keyof OutpostEvents; event: unknown }>;
  predict(n: number): Promise<{ id: string; modelVersion: number; executionProvider: string; label?: string }[]>;
}

const config = JSON.parse(new URLSearchParams(location.search).get('config') ?? '{}') as PageConfig;
const outpost = createOutpost(config);
const events: DeliveryPage['events'] = [];
for (const type of ['download', 'model', 'error'] as const) outpost.on(type, (event) => events.push({ type, event }));
let seed = 0;

const page: DeliveryPage = {
  outpost,
  events,
  booted: outpost.ready().catch((e: unknown) => ({ error: String(e) })),
  async predict(n) {
    const made = [];
    for (let i = 0; i < n; i++) {
      seed++;
      const p = await outpost.predict({ f0: (seed % 17) / 4 - 2, f1: (seed % 5) - 2 });
      made.push({ id: p.id, modelVersion: p.modelVersion, executionProvider: p.executionProvider, ...(p.task === 'classification' ? { label: p.label } : {}) });
    }
    return made;
  },
};
(window as unknown as { delivery: DeliveryPage }).delivery = page;
