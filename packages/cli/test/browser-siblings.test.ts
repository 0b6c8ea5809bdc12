// The platform split (tsup.base.ts browserBuild): every `x.browser.ts` stands in for its `x.node.ts`
// in browser builds, so both must export the same names, and a stand-in for Node-only code must fail
// with the typed E_NODE_ONLY error rather than a missing module.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpyglassError } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/pack-packages.mjs';

const browserFiles = readdirSync(join(ROOT, 'packages'), { recursive: true, encoding: 'utf8' })
  .filter((f) => /(^|\/)src\/.*\.browser\.ts$/.test(f))
  .map((f) => join(ROOT, 'packages', f));
// the stand-ins that only refuse (core's pool and dsp-wasm's worker source do real work in browsers)
const REFUSING = [
  'nwb-io/src/platform',
  'nwb-io/src/source/node-range-reader',
  'provenance/src/platform',
  'pipelines/src/platform',
];

describe('browser stand-ins of Node-only modules', () => {
  it('are found', () => {
    expect(browserFiles.map((f) => relative(join(ROOT, 'packages'), f).replace('.browser.ts', ''))).toEqual(
      expect.arrayContaining(REFUSING),
    );
  });

  for (const file of browserFiles) {
    const name = relative(join(ROOT, 'packages'), file).replace('.browser.ts', '');
    it(`${name}: exports what its .node.ts exports`, async () => {
      const browser = await import(pathToFileURL(file).href);
      const node = await import(pathToFileURL(file.replace('.browser.ts', '.node.ts')).href);
      expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
      if (!REFUSING.includes(name)) return;
      for (const [key, fn] of Object.entries(browser as Record<string, (...a: unknown[]) => Promise<unknown>>)) {
        const err = await fn('x').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, key).toBeInstanceOf(SpyglassError);
        expect((err as SpyglassError).code, key).toBe('E_NODE_ONLY');
        expect((err as Error).message, key).toMatch(/needs Node\.js/);
      }
    });
  }
});
