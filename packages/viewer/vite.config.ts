import { defineConfig } from 'vite';

// A static site: relative asset paths so dist/ can be served from any folder, the NWB worker as
// an ES module worker. Node-only imports in the libraries are behind `isNode` and never run here.
// The run worker bundles provenance + pipelines: `pg` (the PostgreSQL driver, only loaded for
// postgres:// stores, which a browser never opens) stays out of the bundle.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  worker: { format: 'es', rolldownOptions: { external: ['pg'] } },
});
