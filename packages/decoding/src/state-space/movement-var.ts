import type { Matrix } from '@spyglass-wasm/core';
import { interpolatePosition } from '../environment/kde.js';

/**
 * The random walk's variance (cm² per time step) estimated from the animal's own movement: the
 * variance of position change over one decoding bin, averaged across dimensions (as
 * replay_trajectory_classification's estimate_movement_var). Position is resampled to the bin first.
 * At 2 ms bins a running rat moves ~0.05 cm per step (variance ~0.004 cm²), far below a 2 cm grid:
 * such a walk is effectively the identity and decoding locks up, which is why the presets
 * default to the field's 6 cm²; use the estimate with coarser time bins or finer position bins.
 *
 * @example
 * const movementVar = estimateMovementVar(positionTimes, position, 0.002);
 */
export function estimateMovementVar(times: Float64Array, position: Matrix<Float64Array>, binSize: number): number {
  const n = Math.floor((times[times.length - 1] - times[0]) / binSize);
  const at = Float64Array.from({ length: n }, (_, i) => times[0] + i * binSize);
  const p = interpolatePosition(times, position, at);
  const d = p.cols;
  let total = 0;
  for (let k = 0; k < d; k++) {
    let s = 0,
      s2 = 0,
      m = 0;
    for (let i = 1; i < n; i++) {
      const v = p.data[i * d + k] - p.data[(i - 1) * d + k];
      if (!Number.isFinite(v)) continue;
      s += v;
      s2 += v * v;
      m++;
    }
    total += m > 1 ? (s2 - (s * s) / m) / (m - 1) : 0;
  }
  return total / d;
}
