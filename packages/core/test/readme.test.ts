import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared by the package README tests
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it('the README example runs and prints what it says', () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(out.trim().split('\n')).toEqual([
    '3 4 [',
    '  { start: 0, end: 21 },',
    '  { start: 21, end: 42 },',
    '  { start: 42, end: 64 }',
    ']',
    '[ [ 4, 5 ], [ 6, 7 ] ]',
    "true ParameterError parameter 'order': expected an integer >= 1 <= 10, got 11",
  ]);
});
