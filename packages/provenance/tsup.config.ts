import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// canonicalize ships ESM only: bundle it so the CJS build works too.
export default defineConfig(packageBuild({ noExternal: ['canonicalize'] }));
