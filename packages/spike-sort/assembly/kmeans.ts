// k-means' assignment step: each of n float32 rows of d to its nearest of k float64 centres
// (squared distance summed in j order, the first centre winning a tie, as the JavaScript loop did).

/** Writes each row's nearest centre into labels (int32); returns how many labels changed. */
export function assignNearest(x: usize, n: i32, d: i32, centers: usize, k: i32, labels: usize): i32 {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>i * <usize>d << 2);
    let best = 0;
    let bd = Infinity;
    for (let c = 0; c < k; c++) {
      const centre = centers + (<usize>c * <usize>d << 3);
      let s: f64 = 0;
      for (let j = 0; j < d; j++) {
        const v = <f64>load<f32>(row + (<usize>j << 2)) - load<f64>(centre + (<usize>j << 3));
        s += v * v;
      }
      if (s < bd) {
        bd = s;
        best = c;
      }
    }
    const at = labels + (<usize>i << 2);
    if (load<i32>(at) != best) changed++;
    store<i32>(at, best);
  }
  return changed;
}
