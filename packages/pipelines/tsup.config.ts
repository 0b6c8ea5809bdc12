import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// The kernel packages' package.json (their version, part of every step version) is read at build
// time: bundle it so ESM and CJS builds load anywhere.
export default defineConfig(packageBuild({ noExternal: [/\/package\.json$/] }));
