/** A half-open range [start, end). */
export interface Range {
  start: number;
  end: number;
}

/**
 * Splits `n` items (channels or rows) into at most `parts` contiguous ranges of near-equal size,
 * none empty. Used to share a (time × channels) job across workers.
 */
export function splitRange(n: number, parts: number): Range[] {
  const k = Math.max(1, Math.min(parts, n));
  const out: Range[] = [];
  for (let i = 0; i < k; i++) {
    const start = Math.floor((i * n) / k);
    const end = Math.floor(((i + 1) * n) / k);
    if (end > start) out.push({ start, end });
  }
  return out;
}
