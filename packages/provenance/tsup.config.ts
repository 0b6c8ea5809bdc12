import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

// step-thread is the worker thread runWorker starts (dist/step-thread.js next to index.js).
// canonicalize ships ESM only: bundle it so ESM and CJS builds load anywhere. index.browser.js is
// the `browser` export condition's: platform.node.ts (node:fs, node:os, worker_threads, pg) swapped
// for platform.browser.ts. Each build keeps the other's files when it cleans.
const noExternal = ['canonicalize'];
export default defineConfig([
  packageBuild({ entry: ['src/index.ts', 'src/step-thread.ts'], noExternal, clean: ['!*.browser.*'] }),
  browserBuild({ 'index.browser': 'src/index.ts' }, { noExternal }),
]);
