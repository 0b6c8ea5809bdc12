// The page address says what is open and where: ?url=…&view=…&path=…&t=…&dur=… (and for traces
// &ch=…&bp=…&car=…, see lib/trace-params.ts), so a link reopens the same file at the same place.

/** A query parameter of the page address. */
export function getParam(key: string): string | undefined {
  return new URLSearchParams(location.search).get(key) ?? undefined;
}

/** Sets (or with undefined, removes) query parameters without reloading or adding history. */
export function setParams(values: Record<string, string | number | undefined>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}${location.hash}`);
}
