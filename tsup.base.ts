import type { Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + .d.ts/.d.cts for any JavaScript runtime
 * ('neutral' platform; `node:` built-ins are only imported dynamically, in Node).
 */
export function packageBuild(overrides: Options = {}): Options {
  const { esbuildOptions: packageEsbuildOptions, ...rest } = overrides;
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
    esbuildOptions(options, context) {
      // Only for platform 'node' does esbuild end a CJS bundle with the
      // `0 && (module.exports = { ... })` annotation that Node's cjs-module-lexer reads:
      // without it `import('<pkg>/dist/index.cjs')` from ESM sees nothing but `default`.
      // CJS builds are for Node (and bundlers, which ignore the annotation).
      if (context.format === 'cjs') options.platform = 'node';
      packageEsbuildOptions?.(options, context);
    },
    ...rest,
  };
}
