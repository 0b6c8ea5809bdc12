import type { GuardTrip } from './guard.js';

/**
 * One line for any failure under a read: an HDF5 error stack (h5wasm's throwing handler puts the
 * whole HDF5-DIAG dump in the message) becomes its innermost message; what the guard refused is
 * said plainly; JavaScript and WebAssembly failures keep their name and first line.
 */
export function describeFailure(err: unknown, trip?: GuardTrip): string {
  if (trip?.kind === 'external')
    return `HDF5 tried to open '${trip.detail}' outside the file (external link, external storage or virtual dataset), refused: pass { allowExternal: true } to allow it`;
  if (trip?.kind === 'global-heap') return trip.detail;
  if (trip?.kind === 'read-budget')
    return `reads of a bounded size (stopped after ${trip.detail}: a looping structure)`;
  const message = err instanceof Error ? err.message : String(err);
  if (/HDF5-DIAG/.test(message)) return `HDF5: ${innermostHdf5Message(message)}`;
  const name = err instanceof Error ? err.name : 'Error';
  const first = message.split('\n')[0].trim();
  if (/^Aborted\(/.test(first)) return `h5wasm aborted (${first})`;
  return `${name}: ${first}`.slice(0, 300);
}

/** "#012: /…/H5HG.c line 239 in H5HG__protect(): unable to protect global heap" -> its message. */
function innermostHdf5Message(stack: string): string {
  const frames = [...stack.matchAll(/#\d+: .* in (\w+)\(\): (.*)/g)];
  const last = frames[frames.length - 1];
  if (!last)
    return (
      stack
        .split('\n')
        .find((l) => l.trim() && !/HDF5-DIAG/.test(l))
        ?.trim() ?? 'an error'
    );
  return `${last[2].trim()} (${last[1]})`;
}
