// A training worker thread's entry (worker-trainer.ts starts it). Plain JS, because a worker thread
// starts without the parent's module hooks: under vitest, or a parent that registered tsx by its
// API, a .ts entry would not load. tsx's register() makes this thread load the same TypeScript
// sources as the hub does (as bin/outpost.js does for the CLI); under `node --import tsx` the worker
// inherits that flag too, and a second registration is harmless.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
