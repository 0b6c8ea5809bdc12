import { median, maxOf } from '@spyglass-wasm/core';
/**
 * Removes units that echo another unit: when most of a unit's spikes sit at one fixed lag (within
 * ±window samples, spread ≤ tolerance) from the spikes of a unit with stronger detections, they
 * are a second detection of the same spikes (a weaker lobe of the filtered waveform outside the
 * detection exclusion radius), not a neuron; those spikes become −1. The weaker of the pair is
 * the echo: an echo cluster may gather echoes of several units and outnumber each of them.
 * As SpikeInterface's redundant-unit removal.
 */
export function dropEchoes(
  times: ArrayLike<number>,
  strength: ArrayLike<number>,
  labels: Int32Array,
  options: { window: number; tolerance: number; minFraction?: number },
): Int32Array {
  const minFraction = options.minFraction ?? 0.5;
  const out = labels.slice();
  const k = maxOf(out, -1) + 1;
  const members = Array.from({ length: k }, () => [] as number[]);
  const power = Array.from({ length: k }, () => [] as number[]);
  out.forEach((l, i) => {
    if (l < 0) return;
    members[l].push(times[i]);
    power[l].push(Math.abs(strength[i]));
  });
  members.forEach((m) => m.sort((a, b) => a - b));
  const typical = power.map((p) => (p.length ? median(p) : 0));
  const order = typical
    .map((m, u) => [m, u] as const)
    .sort((a, b) => b[0] - a[0])
    .map(([, u]) => u);
  const dropped = new Set<number>();
  for (const b of order.slice().reverse()) {
    for (const a of order) {
      if (a === b || dropped.has(a) || typical[a] <= typical[b]) continue;
      const lags = nearestLags(members[b], members[a], options.window);
      if (lags.length < minFraction * members[b].length) continue;
      const lag = median(lags);
      const consistent = lags.filter((l) => Math.abs(l - lag) <= options.tolerance).length;
      if (consistent >= minFraction * members[b].length) {
        dropped.add(b);
        break;
      }
    }
  }
  return dropped.size ? out.map((l) => (dropped.has(l) ? -1 : l)) : out;
}

/** For each time in `b`, the lag to the nearest time in `a` when within ±window. */
function nearestLags(b: number[], a: number[], window: number): number[] {
  const lags: number[] = [];
  let j = 0;
  for (const t of b) {
    while (j + 1 < a.length && a[j + 1] <= t) j++;
    let best = Infinity;
    for (const c of [a[j], a[j + 1]]) if (c !== undefined && Math.abs(t - c) < Math.abs(best)) best = t - c;
    if (Math.abs(best) <= window) lags.push(best);
  }
  return lags;
}
