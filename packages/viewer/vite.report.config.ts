import { defineConfig } from 'vite';

// The report renderer (src/report/report.ts) as one classic script and one stylesheet in
// dist/report/, which `spyglass report` inlines into a single HTML file: no bundler runs at report
// time, and the page needs no server (a module script or a worker would).
export default defineConfig({
  build: {
    outDir: 'dist/report',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    cssCodeSplit: false,
    lib: {
      entry: 'src/report/report.ts',
      name: 'spyglassReport',
      formats: ['iife'],
      fileName: () => 'report.js',
      cssFileName: 'report',
    },
  },
});
