export * from './errors.ts';
export * from './encoding.ts';
export * from './features.ts';
export * from './manifest.ts';
export * from './signing.ts';
export * from './inference.ts';
export * from './profile-schema.ts';
export * from './profile/index.ts';
