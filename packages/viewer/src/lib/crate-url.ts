// Which URLs are RO-Crates: a zip or a ro-crate-metadata.json by name, and a folder URL (DANDI asset
// URLs end in '/' too, so a slash says nothing) by asking it for its ro-crate-metadata.json.

const METADATA = 'ro-crate-metadata.json';
/** Names that are files, not folders: no probe for these. */
const FILE_NAME = /\.(nwb|h5|hdf5|hdf|json|zip)$/i;

/** A crate by its name alone: a .zip or its ro-crate-metadata.json. */
function crateByName(url: string): boolean {
  return /(\.zip|ro-crate-metadata\.json)$/i.test(new URL(url).pathname);
}

/**
 * Whether `url` is an RO-Crate: by name (a .zip, a ro-crate-metadata.json), or a folder that
 * serves a ro-crate-metadata.json holding an `@graph`. Any failure of the probe means "no".
 *
 * @example
 * await isCrateUrl({ url: 'http://localhost:8000/crates/sort-1/' }); // true when …/sort-1/ro-crate-metadata.json is a crate
 */
export async function isCrateUrl(options: { url: string; fetch?: typeof fetch }): Promise<boolean> {
  const { url } = options;
  if (crateByName(url)) return true;
  const path = new URL(url).pathname;
  if (FILE_NAME.test(path)) return false;
  const base = path.endsWith('/') ? url : `${url}/`;
  try {
    const r = await (options.fetch ?? fetch)(new URL(METADATA, base).href);
    if (!r.ok) return false;
    const doc = (await r.json()) as { '@graph'?: unknown };
    return Array.isArray(doc['@graph']);
  } catch {
    return false;
  }
}
