import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

const WORKER = 'src/workers/sort-worker.ts';
// A bundled worker has no import/export statement left, and its `exports.memory` (the Wasm
// instance's) reads as CommonJS to publint: an empty export marks it an ES module.
const ESM_MARK = { js: 'export {};' };

// As dsp-wasm's: the library (Node/default and browser builds, the other packages left as
// imports) and the sort worker as two self-contained files with every import and the Wasm bundled
// in: sort-worker.js for browsers (module Web Worker) and sort-worker.node.mjs for worker_threads.
// Each build keeps the others' files.
export default defineConfig([
  packageBuild({
    entry: { index: 'src/index.ts', reference: 'src/reference/index.ts' },
    shims: true,
    clean: ['!*.browser.*', '!sort-worker*'],
  }),
  browserBuild({ 'index.browser': 'src/index.ts' }),
  browserBuild({ 'sort-worker': WORKER }, { noExternal: [/.*/], footer: ESM_MARK }),
  browserBuild(
    { 'sort-worker.node': WORKER },
    {
      platform: 'node',
      esbuildPlugins: [],
      noExternal: [/.*/],
      external: [/^node:/],
      outExtension: () => ({ js: '.mjs' }),
      footer: ESM_MARK,
    },
  ),
]);
