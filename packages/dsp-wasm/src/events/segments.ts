/** A run of consecutive true samples: first and last sample index (inclusive). */
export interface Segment {
  first: number;
  last: number;
}

/** Runs of consecutive `true` in `mask`. */
export function trueSegments(mask: ArrayLike<boolean>): Segment[] {
  const out: Segment[] = [];
  let start = -1;
  for (let i = 0; i <= mask.length; i++) {
    const on = i < mask.length && mask[i];
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      out.push({ first: start, last: i - 1 });
      start = -1;
    }
  }
  return out;
}
