// Reassignment to templates: each float32 row of n × dim to the float64 template (k × dim) nearest
// in squared distance, or with `noiseClass` to none (−1) when the zero waveform is nearer. The
// sums run in j order in float64 and a template is left once a block of 32 puts it at or beyond the
// best so far, as the JavaScript loop did: the same labels.

/** Writes next[i] for every row (`current` holds the labels so far; counts: rows per template); returns how many changed. */
export function reassignRows(
  x: usize,
  n: i32,
  dim: i32,
  templates: usize,
  k: i32,
  counts: usize,
  noiseClass: i32,
  current: usize,
  next: usize,
): i32 {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>i * <usize>dim << 2);
    const was = load<i32>(current + (<usize>i << 2));
    let best = was;
    let bestD = Infinity;
    if (noiseClass) {
      best = -1;
      bestD = 0;
      for (let j = 0; j < dim; j++) {
        const v = <f64>load<f32>(row + (<usize>j << 2));
        bestD += v * v;
      }
    }
    for (let c = 0; c < k; c++) {
      if (load<f64>(counts + (<usize>c << 3)) == 0) continue;
      const d = distanceBelow(row, templates + (<usize>c * <usize>dim << 3), dim, bestD);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    store<i32>(next + (<usize>i << 2), best);
    if (best != was) changed++;
  }
  return changed;
}

// @ts-ignore: decorator
@inline
function distanceBelow(a: usize, b: usize, dim: i32, bound: f64): f64 {
  let s: f64 = 0;
  for (let j0 = 0; j0 < dim; j0 += 32) {
    const end = min(dim, j0 + 32);
    for (let j = j0; j < end; j++) {
      const d = <f64>load<f32>(a + (<usize>j << 2)) - load<f64>(b + (<usize>j << 3));
      s += d * d;
    }
    if (s >= bound) return s;
  }
  return s;
}
