import { defineConfig, type Plugin } from 'vite';
import { generateSW } from 'workbox-build';

/**
 * After the build, a Workbox service worker precaches the app shell and onnxruntime's WASM build
 * (every device can run it: the app works offline after the first visit). The WebGPU build (a 28 MB
 * wasm and its script) and the SDK's worker script are cached when a device first fetches them, so
 * a device without WebGPU never downloads them.
 */
function serviceWorker(): Plugin {
  return {
    name: 'outpost-demo-service-worker',
    apply: 'build',
    async closeBundle() {
      const { count, size, warnings } = await generateSW({
        globDirectory: 'dist',
        globPatterns: ['**/*.{html,js,css,wasm,mjs}'],
        globIgnores: ['assets/ort-wasm-simd-threaded.jsep-*', 'assets/ort.bundle.min-*', 'assets/worker-*'],
        swDest: 'dist/sw.js',
        // onnxruntime's wasm is ~12 MiB: above Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        navigateFallback: '/index.html',
        skipWaiting: true,
        clientsClaim: true,
        // The hub URL and keys the app runs with: fresh when online, cached when not.
        runtimeCaching: [
          { urlPattern: ({ url }) => url.pathname === '/outpost-config.json', handler: 'NetworkFirst', options: { cacheName: 'outpost-config' } },
          // Content-hashed names: a cached copy is always the right one.
          { urlPattern: ({ url }) => /^\/assets\/(ort-wasm-simd-threaded\.jsep-|ort\.bundle\.min-|worker-)/.test(url.pathname), handler: 'CacheFirst', options: { cacheName: 'outpost-on-demand' } },
        ],
      });
      for (const w of warnings) console.warn(w);
      console.log(`service worker: ${count} files precached (${(size / 1024 / 1024).toFixed(1)} MiB)`);
    },
  };
}

export default defineConfig({
  // Vite must not pre-bundle onnxruntime-web: it finds its wasm next to its own module.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022' },
  plugins: [serviceWorker()],
});
