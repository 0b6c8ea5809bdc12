// The Node built-ins (and h5wasm's Node build) this package loads, in one place. Browser builds
// replace this file with platform.browser.ts (tsup.base.ts browserBuild), so no `node:` import and
// no h5wasm/node chunk reaches a browser bundle.
export const nodeFs = (): Promise<typeof import('node:fs')> => import('node:fs');
export const nodePath = (): Promise<typeof import('node:path')> => import('node:path');
/** h5wasm on the real filesystem (reads files in place, no copy into memory). */
export const h5wasmNode = (): Promise<typeof import('h5wasm')> => import(/* @vite-ignore */ 'h5wasm/node');
