import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared by the package README tests
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it('the README example runs and prints what it says', () => {
  const out: string = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
  const lines = out.trim().split('\n');
  expect(lines[0]).toBe('../nwb-io/test/fixtures/tetrode-session.nwb');
  expect(lines).toContain('  units       10 (829 spikes)');
  expect(lines.at(-1)).toBe('exit 0');
});
