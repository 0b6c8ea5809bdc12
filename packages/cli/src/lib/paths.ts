import { ParameterError } from '@spyglass-wasm/core';

/** `p` against the working directory, unless it is absolute. */
export function resolvePath(cwd: string, p: string): string {
  return p.startsWith('/') ? p : `${cwd}/${p}`;
}

/**
 * Checks that an input names a readable regular file, with one line naming the option and the
 * path when it does not (a folder, a FIFO or device, a missing or unreadable file).
 */
export async function checkInputFile(path: string, option = 'FILE'): Promise<void> {
  const { access, stat, constants } = await import('node:fs/promises');
  const s = await stat(path).catch(() => undefined);
  if (!s) throw new ParameterError(option, 'an existing NWB file', `${path} (no such file)`);
  if (s.isDirectory()) throw new ParameterError(option, 'an NWB file, not a folder', path);
  if (!s.isFile()) throw new ParameterError(option, 'a regular NWB file (not a FIFO, socket or device)', path);
  await access(path, constants.R_OK).catch(() => {
    throw new ParameterError(option, 'a file this user can read', `${path} (permission denied)`);
  });
}

/**
 * Checks an output file path before any work: its folder exists, it is not a folder, it is never
 * one of the run's inputs (same real path or same inode, so links and `./x` spellings are caught),
 * and an existing file is replaced only with `force`.
 */
export async function checkOutputFile(
  out: string,
  options: { inputs: readonly string[]; force?: boolean; option?: string },
): Promise<void> {
  const { realpath, stat } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const option = options.option ?? '--out';
  const folder = dirname(out);
  const dir = await stat(folder).catch(() => undefined);
  if (!dir) throw new ParameterError(option, 'a path in an existing folder', `${out} (no folder ${folder})`);
  if (!dir.isDirectory()) throw new ParameterError(option, 'a path in a folder', `${out} (${folder} is not a folder)`);
  const existing = await stat(out).catch(() => undefined);
  if (!existing) return;
  if (existing.isDirectory()) throw new ParameterError(option, 'a file path, not a folder', out);
  const outReal = await realpath(out);
  for (const input of options.inputs) {
    const s = await stat(input).catch(() => undefined);
    if (!s) continue;
    if ((await realpath(input)) === outReal || (s.ino === existing.ino && s.dev === existing.dev)) {
      throw new ParameterError(option, 'a new file, never an input of the run', `${out} (it is the input ${input})`);
    }
  }
  if (!options.force)
    throw new ParameterError(option, 'a path that does not exist yet (--force replaces it)', `${out} (exists)`);
}

/**
 * Checks an output folder (e.g. for `export`): it may exist only empty, or with `force`, in which
 * case what it holds is listed in the error so nothing is replaced unknowingly.
 */
export async function checkOutputFolder(
  dir: string,
  options: { force?: boolean; option?: string } = {},
): Promise<void> {
  const { readdir, stat } = await import('node:fs/promises');
  const option = options.option ?? '--out';
  const s = await stat(dir).catch(() => undefined);
  if (!s) return;
  if (!s.isDirectory()) throw new ParameterError(option, 'a folder', `${dir} (a file)`);
  const entries = await readdir(dir);
  if (entries.length && !options.force) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
    throw new ParameterError(
      option,
      'an empty or new folder (--force writes into it, replacing files of the same name)',
      `${dir} holds ${shown}`,
    );
  }
}
