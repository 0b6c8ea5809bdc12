import { fileURLToPath } from 'node:url';

/** Absolute path of a file in test/fixtures (the repo's copies of the shared fixtures). */
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
