// The Node built-ins this package loads, in one place. Browser builds replace this file with
// platform.browser.ts (tsup.base.ts browserBuild), so no `node:` import reaches a browser bundle.
export const nodeFsPromises = (): Promise<typeof import('node:fs/promises')> => import('node:fs/promises');
export const nodeOs = (): Promise<typeof import('node:os')> => import('node:os');
