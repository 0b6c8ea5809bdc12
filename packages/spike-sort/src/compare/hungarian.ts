/**
 * Maximum-weight assignment of rows to columns (Hungarian algorithm, O(n³)) on a rows × cols
 * weight matrix. Returns for each row its column, or −1.
 */
export function hungarianMax(weights: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const n = Math.max(rows, cols);
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, weights[i]);
  // Minimise cost = max − weight on a square matrix (padding costs max, i.e. weight 0).
  const cost = (i: number, j: number) => (i < rows && j < cols ? max - weights[i * cols + j] : max);
  const u = new Float64Array(n + 1),
    v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1),
    way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity,
        j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const out = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= n; j++)
    if (p[j] - 1 < rows && j - 1 < cols && weights[(p[j] - 1) * cols + (j - 1)] > 0) out[p[j] - 1] = j - 1;
  return out;
}
