import { checkNumber } from '@spyglass-wasm/core';
import { hungarianMax } from './hungarian.js';

/** Agreement of one true unit with its matched sorted unit (SpikeForest / SpikeInterface metrics). */
export interface UnitScore {
  trueUnit: number;
  /** Index of the matched sorted unit, or −1. */
  sortedUnit: number;
  tp: number;
  fn: number;
  fp: number;
  /** tp / (tp + fn + fp). */
  accuracy: number;
  /** tp / (tp + fp). */
  precision: number;
  /** tp / (tp + fn). */
  recall: number;
}

/**
 * Scores a sorting against ground truth: spikes match when within `tolerance` seconds (default
 * 0.4 ms), each true unit is assigned one sorted unit by the Hungarian algorithm on match counts,
 * and accuracy = tp / (tp + fn + fp), as SpikeForest.
 */
export function compareToTruth(
  truth: readonly ArrayLike<number>[],
  sorted: readonly ArrayLike<number>[],
  options: { tolerance?: number } = {},
): UnitScore[] {
  const tol = checkNumber('tolerance', options.tolerance ?? 0.0004, { min: 0 });
  const rows = truth.length,
    cols = sorted.length;
  const matches = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) matches[i * cols + j] = countMatches(truth[i], sorted[j], tol);
  const assign = hungarianMax(matches, rows, cols);
  return truth.map((t, i) => {
    const j = assign[i];
    const tp = j >= 0 ? matches[i * cols + j] : 0;
    const fn = t.length - tp;
    const fp = j >= 0 ? sorted[j].length - tp : 0;
    return {
      trueUnit: i,
      sortedUnit: j,
      tp,
      fn,
      fp,
      accuracy: tp / (tp + fn + fp || 1),
      precision: tp / (tp + fp || 1),
      recall: tp / (tp + fn || 1),
    };
  });
}

/** Number of one-to-one matches within tol between two sorted spike-time lists (greedy in time). */
function countMatches(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): number {
  let i = 0,
    j = 0,
    m = 0;
  while (i < a.length && j < b.length) {
    const d = a[i] - b[j];
    if (Math.abs(d) <= tol) {
      m++;
      i++;
      j++;
    } else if (d < 0) i++;
    else j++;
  }
  return m;
}
