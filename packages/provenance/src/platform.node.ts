// The Node built-ins (and the PostgreSQL driver) this package loads, in one place. Browser builds
// replace this file with platform.browser.ts (tsup.base.ts browserBuild), so no `node:` import and
// no `pg` reaches a browser bundle. Loaded on first use: the package also runs in browsers.
export const nodeFs = (): Promise<typeof import('node:fs')> => import('node:fs');
export const nodeFsPromises = (): Promise<typeof import('node:fs/promises')> => import('node:fs/promises');
export const nodeOs = (): Promise<typeof import('node:os')> => import('node:os');
export const nodePath = (): Promise<typeof import('node:path')> => import('node:path');
export const nodeWorkerThreads = (): Promise<typeof import('node:worker_threads')> => import('node:worker_threads');
/** The PostgreSQL driver, for postgres:// stores. */
export const pgDriver = (): Promise<typeof import('pg')> => import('pg');
/** pg-boss, the job engine of postgres:// stores. */
export const pgBoss = (): Promise<unknown> => import('pg-boss');
