import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// canonicalize ships ESM only, and the kernel packages' package.json (their version, part of
// every step version) is read at build time: bundle both so ESM and CJS builds load anywhere.
export default defineConfig(packageBuild({ noExternal: ['canonicalize', /\/package\.json$/] }));
