import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// step-thread is the worker thread runWorker starts (dist/step-thread.js next to index.js).
// canonicalize ships ESM only: bundle it so ESM and CJS builds load anywhere.
export default defineConfig(
  packageBuild({ entry: ['src/index.ts', 'src/step-thread.ts'], noExternal: ['canonicalize'] }),
);
