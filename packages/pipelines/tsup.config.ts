import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

// The kernel packages' package.json (their version, part of every step version) is read at build
// time: bundle it so ESM and CJS builds load anywhere. index.browser.js is the `browser` export
// condition's: platform.node.ts swapped for platform.browser.ts. Each build keeps the other's files.
const noExternal = [/\/package\.json$/];
export default defineConfig([
  packageBuild({ noExternal, clean: ['!*.browser.*'] }),
  browserBuild({ 'index.browser': 'src/index.ts' }, { noExternal }),
]);
