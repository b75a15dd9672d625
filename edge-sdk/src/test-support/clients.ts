import { createOutpost } from '../client.ts';
import type { ClassPrediction, OutpostClient, Prediction } from '../client.ts';
import type { OutpostOptions } from '../options.ts';
import { createFakeClock, type FakeClock } from '../testing/fake-clock.ts';
import { createFakeRuntime } from '../testing/fake-runtime.ts';
import { MODEL, PROJECT_KEY, type FakeHub } from './fake-hub.ts';

/** The bytes of a pretend model; the fake runtime loads anything. */
export const modelBytes = (version: number) => new TextEncoder().encode(`fake onnx model v${version}`.padEnd(64, '.'));

export const fakeRuntime = createFakeRuntime({ run: () => [0.1, 0.2, 0.7] });

export const penguin = (i: number) => ({ bill_length_mm: 40 + i, island: 'Dream' });

/** Make `n` predictions one after the other; their record ids. */
export async function predictMany(outpost: OutpostClient, n: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + n; i++) ids.push((await outpost.predict(penguin(i))).id);
  return ids;
}

/** Creates clients against a fake hub and closes them all in `closeAll` (afterEach). */
export function createClientFactory() {
  const open: OutpostClient[] = [];
  const clock: FakeClock = createFakeClock(1_700_000_000_000);
  return {
    clock,
    client(hub: FakeHub, overrides: Partial<OutpostOptions> = {}): OutpostClient {
      const c = createOutpost({
        hubUrl: hub.url,
        projectKey: PROJECT_KEY,
        model: MODEL,
        trustedKeys: hub.trustedKeys,
        fetch: hub.fetch,
        runtime: fakeRuntime,
        clock,
        lifecycleEvents: new EventTarget(),
        // No manifest polling unless a test asks for it (its timer would sit among the flush timers).
        pollIntervalMs: 0,
        ...overrides,
      });
      open.push(c);
      return c;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((c) => c.close()));
    },
  };
}

/** The prediction of a classifier, or a test failure saying what came instead. */
export function classOf(p: Prediction): ClassPrediction {
  if (p.task !== 'classification') throw new Error(`expected a class prediction, got ${JSON.stringify(p)}`);
  return p;
}
