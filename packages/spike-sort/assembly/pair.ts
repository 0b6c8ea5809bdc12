// Isosplit's pair test in Wasm: two clusters' points (rows of x, n x d float32, picked by `rows`)
// projected on the line between their centroids. Both kernels do the float64 arithmetic of the
// JavaScript loops they replace in the same order, so the projections are the same to the bit.

/**
 * sumP[j] += x[row, j] over the picked rows whose side is 0, sumQ[j] over the others (both d
 * float64, zeroed by the caller). Four j at a time (f32x4 promoted to two f64x2): every sum still
 * adds the rows in their order.
 */
export function pairSums(x: usize, d: i32, rows: usize, side: usize, n: i32, sumP: usize, sumQ: usize): void {
  const quads = d >> 2;
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>load<i32>(rows + (<usize>i << 2)) * <usize>d << 2);
    const sum = load<i32>(side + (<usize>i << 2)) == 0 ? sumP : sumQ;
    for (let q = 0; q < quads; q++) {
      const v = v128.load(row + (<usize>q << 4));
      const at = sum + (<usize>q << 5);
      v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v)));
      const high = v128.shuffle<f32>(v, v, 2, 3, 0, 1);
      v128.store(at + 16, f64x2.add(v128.load(at + 16), f64x2.promote_low_f32x4(high)));
    }
    for (let j = quads << 2; j < d; j++) {
      const at = sum + (<usize>j << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(row + (<usize>j << 2)));
    }
  }
}

/**
 * out[i] = Σ_j (x[rows[i], j] − centre[j]) · dir[j] / norm, the sum in j order. Four rows run
 * together (independent sums sharing each load of centre and dir).
 */
export function projectOnLine(x: usize, d: i32, rows: usize, n: i32, centre: usize, dir: usize, norm: f64, out: usize): void {
  const stride = <usize>d << 2;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = x + <usize>load<i32>(rows + (<usize>i << 2)) * stride,
      r1 = x + <usize>load<i32>(rows + (<usize>(i + 1) << 2)) * stride,
      r2 = x + <usize>load<i32>(rows + (<usize>(i + 2) << 2)) * stride,
      r3 = x + <usize>load<i32>(rows + (<usize>(i + 3) << 2)) * stride;
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (let j = 0; j < d; j++) {
      const c = load<f64>(centre + (<usize>j << 3)), w = load<f64>(dir + (<usize>j << 3));
      const o = <usize>j << 2;
      s0 += (<f64>load<f32>(r0 + o) - c) * w;
      s1 += (<f64>load<f32>(r1 + o) - c) * w;
      s2 += (<f64>load<f32>(r2 + o) - c) * w;
      s3 += (<f64>load<f32>(r3 + o) - c) * w;
    }
    const at = out + (<usize>i << 3);
    store<f64>(at, s0 / norm);
    store<f64>(at, s1 / norm, 8);
    store<f64>(at, s2 / norm, 16);
    store<f64>(at, s3 / norm, 24);
  }
  for (; i < n; i++) {
    const r = x + <usize>load<i32>(rows + (<usize>i << 2)) * stride;
    let s: f64 = 0;
    for (let j = 0; j < d; j++)
      s += (<f64>load<f32>(r + (<usize>j << 2)) - load<f64>(centre + (<usize>j << 3))) * load<f64>(dir + (<usize>j << 3));
    store<f64>(out + (<usize>i << 3), s / norm);
  }
}
