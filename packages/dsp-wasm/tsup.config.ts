import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

const WORKER = 'src/workers/filter-worker.ts';

// The library (Node/default and browser builds, @spyglass-wasm/core left as an import) and the
// filter worker as two self-contained files with every import bundled in: worker.js for browsers
// (module Web Worker) and worker.node.js for worker_threads. Each build keeps the others' files.
export default defineConfig([
  packageBuild({ entry: { index: 'src/index.ts', reference: 'src/reference/index.ts' }, shims: true, clean: ['!*.browser.*', '!worker*'] }),
  browserBuild({ 'index.browser': 'src/index.ts' }),
  browserBuild({ worker: WORKER }, { noExternal: [/.*/] }),
  browserBuild({ 'worker.node': WORKER }, { platform: 'node', esbuildPlugins: [], noExternal: [/.*/], external: [/^node:/], dts: true }),
]);
