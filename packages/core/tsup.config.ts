import { defineConfig } from 'tsup';
import { browserBuild, packageBuild } from '../../tsup.base.js';

// Node (and default) build, plus index.browser.js for the `browser` export condition: the pool's
// Node side (platform.node.ts) swapped out. Each build keeps the other's files when it cleans.
// stdlib's elementary functions are bundled at the versions the lockfile pins (src/math): the
// bits of every stored result depend on them, so a user's install must not resolve others.
const bundled = { noExternal: [/^@stdlib\//] };
export default defineConfig([
  packageBuild({ clean: ['!*.browser.*'], ...bundled }),
  browserBuild({ 'index.browser': 'src/index.ts' }, bundled),
]);
