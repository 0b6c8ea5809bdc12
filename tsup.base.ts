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

/**
 * esbuild plugin for browser builds: an import of `./x.node.js` (a module that uses Node
 * built-ins) resolves to its sibling `./x.browser.ts`, so no `node:` import reaches a browser
 * bundle. Sources and Node builds import the `.node.js` file itself.
 */
export const browserSiblings = {
  name: 'browser-siblings',
  setup(build: {
    onResolve(
      options: { filter: RegExp },
      callback: (args: { path: string; resolveDir: string }) => { path: string } | undefined,
    ): void;
  }) {
    build.onResolve({ filter: /\.node\.js$/ }, async (args) => {
      if (!args.path.startsWith('.')) return undefined;
      const { resolve } = await import('node:path');
      return { path: resolve(args.resolveDir, args.path.replace(/\.node\.js$/, '.browser.ts')) };
    });
  },
};

/**
 * A browser build (ESM, for the `browser` export condition): `.node.js` modules swapped for their
 * `.browser.ts` siblings; types are the Node build's. `entry` maps output names to sources.
 *
 * @example
 * export default defineConfig([packageBuild({ clean: ['!*.browser.*'] }), browserBuild({ 'index.browser':
 * 'src/index.ts' })]);
 */
export function browserBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'browser',
    splitting: false,
    esbuildPlugins: [browserSiblings as never],
    ...overrides,
  };
}
