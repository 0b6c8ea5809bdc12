import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared by the package README tests
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it('the README example runs and prints what it says', () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(out.trim().split('\n')).toEqual(['60000 4 3', 'true true', '150000 4 true', 'true', 'sleep1 run1 sleep2 3']);
});
