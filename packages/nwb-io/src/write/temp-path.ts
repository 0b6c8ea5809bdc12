/** A sibling name to write under before renaming to `path`, so a crash never leaves a half file there. */
export function temporaryPath(path: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  return `${dir}.${base}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.partial`;
}
