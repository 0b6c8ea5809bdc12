#!/usr/bin/env node
// Type-checks every package (its src/ and test/) with its own tsconfig, against the other packages'
// built declarations: run after `npm run build`. (The root tsconfig would also see the
// AssemblyScript kernels, which only asc compiles.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const packages = readdirSync('packages').filter((p) => existsSync(`packages/${p}/tsconfig.json`));
let failed = 0;
for (const p of packages) {
  try {
    execFileSync('npx', ['tsc', '-p', `packages/${p}/tsconfig.json`, '--noEmit'], { stdio: 'inherit' });
    console.log(`typecheck ${p}: ok`);
  } catch {
    failed++;
    console.log(`typecheck ${p}: errors above`);
  }
}
process.exit(failed ? 1 : 0);
