// Extracts a ```js block of a package README (the first, or `{ block: n }`, counting from 0) and
// runs it with node from inside the package folder (so `@spyglass-wasm/*` imports resolve to the
// built packages). Used by each package's readme test: the README's examples must run.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function runReadmeExample(packageDir, { block = 0 } = {}) {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const match = [...readme.matchAll(/```js\n([\s\S]*?)```/g)][block];
  if (!match) throw new Error(`${packageDir}/README.md has no \`\`\`js example number ${block}`);
  const file = join(packageDir, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, match[1]);
  try {
    return execFileSync(process.execPath, [file], { cwd: packageDir, encoding: 'utf8', timeout: 120_000 });
  } finally {
    rmSync(file, { force: true });
  }
}
