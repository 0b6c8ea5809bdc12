import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared by the package README tests
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it("the README's first example runs and prints what it says", () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(out.trim()).toBe('0.97 0.99 0.99 1.00');
});

it('the README example of the sort pool runs and gives the units of one thread', () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), { block: 1 });
  expect(out.trim()).toBe('3=3 3=3');
});
