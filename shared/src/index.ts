// Modules that define zod schemas are kept apart from those the edge SDK bundles (errors, encoding,
// features, datetime, signing, device-api, device-context-query, check, wire-check, app-context-check): with
// "sideEffects": false a bundler drops a module none of whose exports is used, but it keeps every
// top-level `z.object(…)` call of a module it uses, and with them all of zod.
export * from './errors.ts';
export * from './error-schema.ts';
export * from './encoding.ts';
export * from './features.ts';
export * from './features-hashed.ts';
export * from './feature-schema.ts';
export * from './datetime.ts';
export * from './manifest.ts';
export * from './signing.ts';
export * from './inference.ts';
export * from './feedback.ts';
export * from './device-api.ts';
export * from './device-context.ts';
export * from './device-context-query.ts';
export type { Checked, Issue } from './check.ts';
export * from './wire-check.ts';
export * from './app-context-check.ts';
export * from './profile-schema.ts';
export * from './profile/index.ts';
