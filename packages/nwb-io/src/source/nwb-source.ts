/**
 * Where an NWB file comes from: a filesystem path (Node), an http(s) URL (read lazily with Range
 * requests), its bytes, or a Blob/File (browsers, read in a worker).
 */
export type NwbSource = string | URL | Uint8Array | ArrayBuffer | Blob;

/** Whether a source is a remote URL. */
export function isUrlSource(source: NwbSource): source is URL | string {
  return source instanceof URL || (typeof source === 'string' && /^https?:\/\//.test(source));
}

/** A human-readable name of a source, for error messages. */
export function sourceName(source: NwbSource, name?: string): string {
  if (name) return name;
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return (source as File).name ?? 'blob';
  return 'bytes';
}
