/**
 * Fakes for testing apps that use the SDK, without a hub, IndexedDB or onnxruntime: a hub in
 * memory, a runtime that answers what you say, an in-memory log buffer and a clock you move by hand.
 * @example import { createFakeClock, createFakeHub, createFakeRuntime, createMemoryLogBuffer } from '@outpost/edge-sdk/testing';
 */
export { createFakeClock, type FakeClock } from './fake-clock.ts';
export { createFakeRuntime, type FakeRuntimeOptions } from './fake-runtime.ts';
export { createFakeHub, type FakeHub, type FakeHubOptions, type FakeHubAnswer, type FakeHubRoute } from './fake-hub.ts';
export { createMemoryLogBuffer } from '../log-buffer/memory.ts';
export { loseWebGpuDevice } from '../runtime/test-hooks.ts';
export type { LogBuffer, QuarantinedRecord } from '../log-buffer/types.ts';
