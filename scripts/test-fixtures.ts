// Where tests find data: the project's own sessions (bundled), and the public NWB files in
// ../shared/fixtures/public beside the repository (present on every developer machine and in CI,
// never copied into the repository). Tests of public files skip, with a printed reason, only when
// that folder is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folder of the public NWB files. */
export const PUBLIC_FIXTURES = `${ROOT}../shared/fixtures/public`;

/** Whether the public files are here; prints why their tests skip when they are not. */
export const hasPublicFixtures = existsSync(PUBLIC_FIXTURES);
if (!hasPublicFixtures) console.warn(`public NWB fixtures not found at ${PUBLIC_FIXTURES}: their tests are skipped`);

/** Path of a public NWB file, e.g. publicFixture('neuroconv_ecephys_tutorial_v2.5.0.nwb'). */
export function publicFixture(name: string): string {
  return `${PUBLIC_FIXTURES}/${name}`;
}

/** Path of one of the project's own sessions (tetrode-session.nwb, linear-track-units.nwb and their truth). */
export function sessionFixture(name: string): string {
  return `${ROOT}packages/nwb-io/test/fixtures/${name}`;
}
