import { defineConfig } from 'vitest/config';

export default defineConfig({
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
