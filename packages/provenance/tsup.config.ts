import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// canonicalize ships ESM only: bundle it so ESM and CJS builds load anywhere.
export default defineConfig(packageBuild({ noExternal: ['canonicalize'] }));
