import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

const WORKER = 'src/workers/filter-worker.ts';
// A bundled worker has no import/export statement left, and its `exports.memory` (the Wasm
// instance's) reads as CommonJS to publint: an empty export marks it an ES module.
const ESM_MARK = { js: 'export {};' };

// The library (Node/default and browser builds, @spyglass-wasm/core left as an import) and the
// filter worker as two self-contained files with every import bundled in: worker.js for browsers
// (module Web Worker) and worker.node.js for worker_threads. Each build keeps the others' files.
export default defineConfig([
  packageBuild({
    entry: { index: 'src/index.ts', reference: 'src/reference/index.ts' },
    shims: true,
    clean: ['!*.browser.*', '!worker*'],
  }),
  browserBuild({ 'index.browser': 'src/index.ts' }),
  browserBuild({ worker: WORKER }, { noExternal: [/.*/], footer: ESM_MARK }),
  browserBuild(
    { 'worker.node': WORKER },
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
