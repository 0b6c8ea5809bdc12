import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared by the package README tests
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it('the README example runs and prints what it says', () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  expect(out.trim().split('\n')).toEqual([
    '00000000-0000-0000-7e59-9e31a57f4a57 /acquisition/e-series [ 900000, 8 ] 30000',
    '100 4 10',
    '/tmp/ripples.nwb',
  ]);
});
