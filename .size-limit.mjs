// size-limit checks of the edge SDK (`npm run size`, part of `npm test`): esbuild, minified, gzip.
// A JS config (not .size-limit.json) because the core check needs an esbuild plugin.
//
// @size-limit/esbuild bundles without code splitting by default: every `import()` target is inlined
// into the one output, as if every app downloaded it before its first prediction, and (esbuild
// wraps such modules to initialise them lazily) barrels reached from it are no longer tree-shaken,
// which put all of zod back. So: the core check leaves out what is reached only through `import()`
// (an app's bundler makes it a chunk of its own, fetched on first use; a module also imported
// statically still counts), and the whole check splits chunks as an app's bundler would and sums them.
//
// Splitting has a price: the chunks, each gzipped apart (each gzip starts from nothing), weigh more than one bundle of the
// same code. An app pays it once (hashed chunks are cached, and a service worker precaches them);
// what a start from the cache parses before its first prediction is the core alone.

/** @type {import('esbuild').Plugin} */
const lazyChunksApart = {
  name: 'lazy-chunks-apart',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

export default [
  {
    name: "edge SDK core: what an app loads before its first prediction from its cache (edge-sdk/src/index.ts, every export; import() chunks and onnxruntime-web apart). Issue 5's 15 kB goal is measured on this",
    path: 'edge-sdk/src/index.ts',
    import: '*',
    ignore: ['onnxruntime-web'],
    gzip: true,
    limit: '15 kB',
    modifyEsbuildConfig: (config) => ({ ...config, format: 'esm', plugins: [...(config.plugins ?? []), lazyChunksApart] }),
  },
  {
    name: 'edge SDK, everything: the core and its import() chunks (manifest signature and response checks, network delivery, storing a download, hashed-feature encoder, upload policy, IndexedDB log buffer and its upkeep, memory log buffer, late labels, worker client, WebGPU choice, self-test, backend and fallback, server fallback), each gzipped (onnxruntime-web apart)',
    path: 'edge-sdk/src/index.ts',
    import: '*',
    ignore: ['onnxruntime-web'],
    gzip: true,
    limit: '33.8 kB',
    modifyEsbuildConfig: (config) => ({ ...config, format: 'esm', splitting: true }),
  },
];
