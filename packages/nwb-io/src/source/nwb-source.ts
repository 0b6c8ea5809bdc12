/**
 * Where an NWB file comes from: a filesystem path (Node), its bytes, or a Blob/File (browsers,
 * read in a worker).
 */
export type NwbSource = string | Uint8Array | ArrayBuffer | Blob;

/** A human-readable name of a source, for error messages. */
export function sourceName(source: NwbSource, name?: string): string {
  if (name) return name;
  if (typeof source === 'string') return source;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return (source as File).name ?? 'blob';
  return 'bytes';
}
