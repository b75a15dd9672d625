/**
 * Fakes for testing apps that use the SDK, without a hub, IndexedDB or onnxruntime.
 * @example import { createFakeClock, createFakeRuntime, createMemoryLogBuffer } from '@outpost/edge-sdk/testing';
 */
export { createFakeClock, type FakeClock } from './fake-clock.ts';
export { createFakeRuntime, type FakeRuntimeOptions } from './fake-runtime.ts';
export { createMemoryLogBuffer } from '../log-buffer/memory.ts';
