import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// The library builds as ESM + CJS (shims give the CJS `demo` its import.meta.url); the `spyglass`
// bin is ESM only (package.json "bin" points at dist/bin.js). Each build cleans all but the
// other's files, so the two can run side by side.
export default defineConfig([
  packageBuild({ platform: 'node', shims: true, clean: ['!bin.*'] }),
  packageBuild({ entry: ['src/bin.ts'], format: ['esm'], platform: 'node', dts: false, clean: ['!index.*'] }),
]);
