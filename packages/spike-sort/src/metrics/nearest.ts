/**
 * The `m` rows of `points` (· × k) nearest to row i among `candidates` (i itself excluded), nearest
 * first; equal distances keep the candidates' order.
 */
export function nearestRows(
  points: Float32Array,
  k: number,
  i: number,
  candidates: ArrayLike<number>,
  m: number,
): Int32Array {
  const bestD = new Float64Array(m).fill(Infinity),
    bestJ = new Int32Array(m).fill(-1);
  for (let q = 0; q < candidates.length; q++) {
    const j = candidates[q];
    if (j === i) continue;
    let s = 0;
    for (let c = 0; c < k; c++) s += (points[i * k + c] - points[j * k + c]) ** 2;
    if (s >= bestD[m - 1]) continue;
    // insert into the sorted list of the m nearest so far
    let at = m - 1;
    while (at > 0 && bestD[at - 1] > s) {
      bestD[at] = bestD[at - 1];
      bestJ[at] = bestJ[at - 1];
      at--;
    }
    bestD[at] = s;
    bestJ[at] = j;
  }
  return bestJ;
}
