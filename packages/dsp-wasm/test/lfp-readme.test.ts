// The README's "LFP, bands and events" example runs (against the built package) and prints what it says.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the LFP and ripple example in the README runs and prints what it says', () => {
  const dir = fileURLToPath(new URL('..', import.meta.url));
  const readme = readFileSync(`${dir}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## LFP, bands and events'));
  const code = section.match(/```js\n([\s\S]*?)```/)![1];
  const claimed = code.match(/\/\/ (1000 .*)\n[^\n]*$/)![1];
  const file = `${dir}.readme-lfp-${process.pid}.mjs`;
  writeFileSync(file, code);
  try {
    const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(out.trim()).toBe(claimed);
  } finally {
    rmSync(file, { force: true });
  }
}, 120_000);
