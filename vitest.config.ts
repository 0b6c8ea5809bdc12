import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against every package's sources, so a change in one package is seen by the
    // others without a rebuild. (Worker scripts run outside vite and load the built dist.)
    alias: [{ find: /^@spyglass-wasm\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` }],
  },
  test: {
    projects: ['packages/*', 'benchmarks'].map((dir) => ({
      extends: true,
      test: { include: [`${dir}/test/**/*.test.ts`], name: dir.replace('packages/', '') },
    })),
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
