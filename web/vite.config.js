// Vite builds the page that `weft serve` embeds (runtime/build.rs passes --outDir).
// The server's Content-Security-Policy allows no inline script or style, so nothing is inlined:
// no module-preload polyfill, no data: assets.
import { fileURLToPath } from 'node:url';

export default {
  resolve: {
    alias: {
      // @rjsf/core's test helper getTestRegistry (unused here, so left out of the bundle) imports
      // the Ajv validator, which needs eval; the page uses its own (src/validator.js) instead.
      '@rjsf/validator-ajv8': fileURLToPath(new URL('./src/validator.js', import.meta.url)),
    },
  },
  esbuild: { jsx: 'automatic' },
  build: {
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rollupOptions: {
      // @rjsf marks some files "use client" (a React Server Components hint that means nothing here).
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  logLevel: 'warn',
};
