/**
 * A static file server on 127.0.0.1 answering Range requests; `fail` paths answer 500, `redirect`
 * paths answer 302 to the path they map to.
 */
export function serveFiles(
  root: string,
  options?: { fail?: string[]; redirect?: Record<string, string> },
): Promise<{
  url: string;
  /** Requests answered and bytes sent so far. */
  stats: { readonly requests: number; readonly bytes: number };
  close(): Promise<number>;
}>;
