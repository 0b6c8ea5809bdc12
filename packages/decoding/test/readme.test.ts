import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared by the package README tests
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it('the README example runs and prints what it says', () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(out.trim()).toBe('100 30000 true');
});

it("the README's units/chunks/progress example runs and prints what it says", () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), { block: 1 });
  expect(out.trim()).toBe('100 10000 12 1');
});
