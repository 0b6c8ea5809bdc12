import { defineConfig } from 'vite';

// A static site: relative asset paths so dist/ can be served from any folder, the NWB worker as
// an ES module worker. The libraries' browser builds (the `browser` export condition) hold no
// Node-only import, so the workers need no externals.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  worker: { format: 'es' },
});
