#!/usr/bin/env node
// Copies the project's two demo sessions into the cli package's dist/demo/, so the published cli
// runs `spyglass demo` anywhere (one copy stays in the repository, in nwb-io's test fixtures), and
// the tetrode session's ground truth (22 kB), so the demo says what was simulated beside what it found.
// Run from packages/cli after tsup.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/demo', { recursive: true });
for (const name of ['tetrode-session.nwb', 'linear-track-units.nwb', 'tetrode-session.truth.json'])
  copyFileSync(`../nwb-io/test/fixtures/${name}`, `dist/demo/${name}`);
