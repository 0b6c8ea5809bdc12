import type { Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + .d.ts for any JavaScript runtime
 * ('neutral' platform; `node:` built-ins are only imported dynamically, in Node).
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    external: [/^node:/],
    splitting: false,
    ...overrides,
  };
}
