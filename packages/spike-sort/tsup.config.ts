import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      reference: 'src/reference/index.ts',
      'workers/sort-worker': 'src/workers/sort-worker.ts',
    },
    shims: true,
  }),
);
