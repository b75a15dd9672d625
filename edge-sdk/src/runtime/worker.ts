// The inference worker's entry: `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`
// (the pattern Vite bundles). onnxruntime-web is imported here, inside the worker, on first use.
import { serveRuntime, type HostPort } from './worker-host.ts';

serveRuntime(globalThis as unknown as HostPort);
