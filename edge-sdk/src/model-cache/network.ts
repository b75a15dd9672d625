// The SDK's network side of model delivery, a chunk of its own (import() from client.ts): a device
// that opens its cached model at start-up (startup: 'cache-first') predicts before it needs any of
// this; the manifest request, its checks and the streamed download come after.
export { createModelSource } from './download.ts';
export { contextQuery, hasWebGpu } from './device-context.ts';
