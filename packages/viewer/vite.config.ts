import { defineConfig } from 'vite';

// A static site: relative asset paths so dist/ can be served from any folder, the NWB worker as
// an ES module worker. Node-only imports in the libraries are behind `isNode` and never run here.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  worker: { format: 'es' },
});
