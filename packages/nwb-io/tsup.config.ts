import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

// Node (and default) build, plus index.browser.js for the `browser` export condition:
// platform.node.ts (node:fs, node:worker_threads, h5wasm/node) swapped for platform.browser.ts.
// Each build keeps the other's files when it cleans.
export default defineConfig([
  packageBuild({ clean: ['!*.browser.*'] }),
  browserBuild({ 'index.browser': 'src/index.ts' }),
]);
