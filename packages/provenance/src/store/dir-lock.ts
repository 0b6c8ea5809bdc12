import { StoreError } from '@spyglass-wasm/core';

/**
 * One process at a time per embedded store folder (PGlite is single-process): an exclusive
 * lock file holding the owner's pid. A lock left by a dead process (killed run) is taken over;
 * a live owner is waited for up to `waitMs`, then a StoreError names it.
 */
export async function lockDir(dir: string, waitMs = 30_000): Promise<() => Promise<void>> {
  const { open, readFile, rm } = await import('node:fs/promises');
  const path = `${dir}/lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => void (await rm(path, { force: true }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (!owner || !alive(owner)) {
        await rm(path, { force: true }); // stale: its process is gone
        continue;
      }
      if (Date.now() > deadline) throw new StoreError(`the store at ${dir} is in use by process ${owner} (embedded stores serve one process; use --store postgres://… to share)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
