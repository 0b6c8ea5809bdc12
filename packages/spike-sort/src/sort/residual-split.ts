import { maxOf } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import { splitBranches, type BranchSplitOptions } from '../cluster/branch-split.js';

export interface ResplitOptions {
  components: number;
  seed: number;
  /** Fewest spikes a new piece keeps (default 20); a smaller one goes back to its unit's largest piece. */
  minPiece?: number;
  /** Pieces of one unit whose mean waveforms are at least this alike (cosine) are one unit again (default 0.85). */
  alike?: number;
  /** ... and so are pieces less alike than this (default 0.5): see resplitMatched. */
  unlike?: number;
}

/**
 * A second look at each unit, on the spikes template matching gave it: `splitBranches` on their
 * whitened waveforms (rows of `points`, one per label). Learning clusters detections, where a unit
 * of few spikes, or one of similar channel gains, can sit inside a neighbour's cluster; matched
 * spikes are gathered by the unit's template, and the intruder can then stand apart. A split is kept
 * only where it separates different but related waveforms: pieces of one unit at least `alike`
 * similar (one neuron's spikes cut by amplitude or noise) are joined again, and so are pieces less
 * than `unlike` similar: a unit hidden in another's cluster resembles it (else clustering would have
 * set it apart), while spikes quite unlike their template are what matching fits badly (collisions,
 * noise) and were that unit's before. Pieces of fewer than `minPiece`
 * spikes (too few to be a unit, often collisions) go back to their unit's largest piece. `split`:
 * that splitBranches, when it was computed elsewhere (`resplitBranches` gives its options).
 */
export function resplitMatched(
  points: Matrix<Float32Array>,
  labels: Int32Array,
  options: ResplitOptions,
  split = splitBranches(points, labels, resplitBranches(options)),
): Int32Array {
  const minPiece = options.minPiece ?? 20;
  const alike = options.alike ?? 0.85,
    unlike = options.unlike ?? 0.5;
  const dim = points.cols;
  // each piece's unit (splitBranches renumbers, but a piece holds spikes of one unit only)
  const parentOf = new Map<number, number>();
  split.forEach((l, i) => l >= 0 && parentOf.set(l, labels[i]));
  const pieces = new Map<number, number[]>();
  for (const [piece, parent] of parentOf) pieces.set(parent, [...(pieces.get(parent) ?? []), piece]);
  const means = new Map<number, Float64Array>(),
    counts = new Map<number, number>();
  split.forEach((l, i) => {
    if (l < 0 || (pieces.get(parentOf.get(l)!)?.length ?? 0) < 2) return;
    const mean = means.get(l) ?? (means.set(l, new Float64Array(dim)), means.get(l)!);
    for (let j = 0; j < dim; j++) mean[j] += points.data[i * dim + j];
    counts.set(l, (counts.get(l) ?? 0) + 1);
  });
  const join = new Map<number, number>();
  const root = (l: number): number => (join.has(l) ? root(join.get(l)!) : l);
  for (const group of pieces.values()) {
    if (group.length < 2) continue;
    const bySize = group.slice().sort((a, b) => counts.get(b)! - counts.get(a)!);
    for (const p of bySize.slice(1)) if (counts.get(p)! < minPiece) join.set(p, bySize[0]);
    const big = bySize.filter((p) => counts.get(p)! >= minPiece);
    for (let a = 0; a < big.length; a++)
      for (let b = a + 1; b < big.length; b++)
        if (root(big[a]) !== root(big[b])) {
          const c = cosine(means.get(big[a])!, means.get(big[b])!);
          if (c >= alike || c < unlike) join.set(root(big[b]), root(big[a]));
        }
  }
  // the unit's own label for its largest piece, new labels after every old one for the rest
  let next = maxOf(labels, -1) + 1;
  const relabel = new Map<number, number>();
  for (const [parent, group] of pieces) {
    const roots = [...new Set(group.map(root))].sort((a, b) => counts.get(b)! - counts.get(a)!);
    roots.forEach((r, i) => relabel.set(r, i === 0 ? parent : next++));
  }
  return split.map((l) => (l < 0 ? l : relabel.get(root(l))!));
}

/** The options of resplitMatched's splitBranches. */
export function resplitBranches(options: ResplitOptions): BranchSplitOptions {
  return { components: options.components, seed: options.seed };
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return ab / Math.sqrt(aa * bb || 1);
}
