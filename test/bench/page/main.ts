// The SDK's predict() against raw onnxruntime-web session.run() on the same model, in one page.
import { createOnnxRuntime, createOutpost, type TrustedKey } from '@outpost/edge-sdk';
import { encodeRecord, verifyManifest, type SignedManifest } from '@outpost/shared';

export interface BenchConfig {
  hubUrl: string;
  projectKey: string;
  model: string;
  trustedKeys: TrustedKey[];
  calls: number;
  warmup: number;
}

export interface Series {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  calls: number;
}

const RECORD = { Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 14.2, 'Flipper Length (mm)': 217, 'Body Mass (g)': 5200, Sex: 'MALE' };

function summarize(samples: number[]): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p99Ms: at(0.99), meanMs: samples.reduce((a, b) => a + b, 0) / samples.length, calls: samples.length };
}

async function run(config: BenchConfig) {
  // Both sides share one onnxruntime-web module, one thread, the WASM execution provider.
  const outpost = createOutpost({ ...config, runtime: createOnnxRuntime({ numThreads: 1 }) });
  await outpost.ready();

  const ort = await import('onnxruntime-web/wasm');
  const headers = { authorization: `Bearer ${config.projectKey}` };
  const signed = (await (await fetch(`${config.hubUrl}/v1/device/models/${config.model}/manifest`, { headers })).json()) as SignedManifest;
  const manifest = await verifyManifest(signed, config.trustedKeys);
  const bytes = new Uint8Array(await (await fetch(`${config.hubUrl}${manifest.artifact.path}`, { headers })).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const input = encodeRecord(manifest.features, RECORD);
  const dims = [1, input.length];
  const raw = () => session.run({ [manifest.input.name]: new ort.Tensor('float32', input, dims) });

  for (let i = 0; i < config.warmup; i++) {
    await raw();
    await outpost.predict(RECORD);
  }
  // Alternate blocks so drift (GC, the background log sync) hits both sides alike.
  const sdk: number[] = [];
  const baseline: number[] = [];
  const block = 50;
  while (sdk.length < config.calls) {
    for (let i = 0; i < block; i++) {
      const t0 = performance.now();
      await raw();
      baseline.push(performance.now() - t0);
    }
    for (let i = 0; i < block; i++) {
      const t0 = performance.now();
      await outpost.predict(RECORD);
      sdk.push(performance.now() - t0);
    }
  }
  await outpost.flush();
  const stats = outpost.stats();
  await outpost.close();
  return {
    crossOriginIsolated,
    userAgent: navigator.userAgent,
    sdk: summarize(sdk),
    baseline: summarize(baseline),
    synced: stats.synced,
    pending: stats.pending,
  };
}

(window as unknown as { runBench: typeof run }).runBench = run;
document.title = 'ready';
