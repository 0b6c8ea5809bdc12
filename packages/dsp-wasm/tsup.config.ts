import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', reference: 'src/reference/index.ts', 'workers/filter-worker': 'src/workers/filter-worker.ts' },
    shims: true,
  }),
);
