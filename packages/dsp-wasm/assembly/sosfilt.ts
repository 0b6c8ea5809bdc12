// Cascaded second-order sections (transposed direct form II) over a row-major (rows × cols)
// matrix, in place. One row at a time through every section, SIMD across channels, so the data
// streams through memory once per call and the filter state stays in L1.
//
// coef: nsec × 5 f64x2 splats (b0 b1 b2 a1 a2, each value twice; a0 == 1).
// state: nsec × 2 × colsPadded f64 (z0 row then z1 row per section; colsPadded = cols rounded up
//        to even), updated in place so chunks can continue where the last one stopped.
// reverse != 0 runs from the last row to the first (the backward pass of filtfilt, no copy).

@inline function section2(c: usize, v: v128, z: usize, step: usize): v128 {
  const b0 = v128.load(c), b1 = v128.load(c, 16), b2 = v128.load(c, 32);
  const a1 = v128.load(c, 48), a2 = v128.load(c, 64);
  const z0 = v128.load(z), z1 = v128.load(z + step);
  const y = f64x2.add(f64x2.mul(b0, v), z0);
  v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, v), f64x2.mul(a1, y)), z1));
  v128.store(z + step, f64x2.sub(f64x2.mul(b2, v), f64x2.mul(a2, y)));
  return y;
}

@inline function section1(c: usize, v: f64, z: usize, step: usize): f64 {
  const y = load<f64>(c) * v + load<f64>(z);
  store<f64>(z, load<f64>(c, 16) * v - load<f64>(c, 48) * y + load<f64>(z + step));
  store<f64>(z + step, load<f64>(c, 32) * v - load<f64>(c, 64) * y);
  return y;
}

@inline function rowLoop<T>(coef: usize, nsec: i32, x: usize, rows: i32, cols: i32, state: usize, reverse: i32): void {
  const esize = <usize>sizeof<T>();
  const colsP = (cols + 1) & ~1;
  const zstep = <usize>colsP << 3; // z0 row -> z1 row
  const secStride = zstep << 1;
  const rowBytes = <usize>cols * esize;
  let p = reverse ? x + <usize>(rows - 1) * rowBytes : x;
  for (let r = 0; r < rows; r++) {
    let ch = 0;
    {
      // Eight channels at once, coefficients loaded once per section: four independent
      // recurrences keep the multipliers busy while each waits on its own latency.
      for (; ch + 8 <= cols; ch += 8) {
        const q = p + <usize>ch * esize;
        let v0: v128, v1: v128, v2: v128, v3: v128;
        if (sizeof<T>() == 8) {
          v0 = v128.load(q);
          v1 = v128.load(q, 16);
          v2 = v128.load(q, 32);
          v3 = v128.load(q, 48);
        } else {
          const a = v128.load(q), b = v128.load(q, 16);
          v0 = f64x2.promote_low_f32x4(a);
          v1 = f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 0, 1));
          v2 = f64x2.promote_low_f32x4(b);
          v3 = f64x2.promote_low_f32x4(i32x4.shuffle(b, b, 2, 3, 0, 1));
        }
        let z = state + (<usize>ch << 3);
        let c = coef;
        for (let s = 0; s < nsec; s++) {
          const b0 = v128.load(c), b1 = v128.load(c, 16), b2 = v128.load(c, 32), a1 = v128.load(c, 48), a2 = v128.load(c, 64);
          const zz = z + zstep;
          const y0 = f64x2.add(f64x2.mul(b0, v0), v128.load(z));
          const y1 = f64x2.add(f64x2.mul(b0, v1), v128.load(z, 16));
          const y2 = f64x2.add(f64x2.mul(b0, v2), v128.load(z, 32));
          const y3 = f64x2.add(f64x2.mul(b0, v3), v128.load(z, 48));
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, v0), f64x2.mul(a1, y0)), v128.load(zz)));
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, v1), f64x2.mul(a1, y1)), v128.load(zz, 16)), 16);
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, v2), f64x2.mul(a1, y2)), v128.load(zz, 32)), 32);
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, v3), f64x2.mul(a1, y3)), v128.load(zz, 48)), 48);
          v128.store(zz, f64x2.sub(f64x2.mul(b2, v0), f64x2.mul(a2, y0)));
          v128.store(zz, f64x2.sub(f64x2.mul(b2, v1), f64x2.mul(a2, y1)), 16);
          v128.store(zz, f64x2.sub(f64x2.mul(b2, v2), f64x2.mul(a2, y2)), 32);
          v128.store(zz, f64x2.sub(f64x2.mul(b2, v3), f64x2.mul(a2, y3)), 48);
          v0 = y0;
          v1 = y1;
          v2 = y2;
          v3 = y3;
          c += 80;
          z += secStride;
        }
        if (sizeof<T>() == 8) {
          v128.store(q, v0);
          v128.store(q, v1, 16);
          v128.store(q, v2, 32);
          v128.store(q, v3, 48);
        } else {
          v128.store(q, i32x4.shuffle(f32x4.demote_f64x2_zero(v0), f32x4.demote_f64x2_zero(v1), 0, 1, 4, 5));
          v128.store(q, i32x4.shuffle(f32x4.demote_f64x2_zero(v2), f32x4.demote_f64x2_zero(v3), 0, 1, 4, 5), 16);
        }
      }
    }
    for (; ch + 4 <= cols; ch += 4) {
      const q = p + <usize>ch * esize;
      let va: v128, vb: v128;
      if (sizeof<T>() == 8) {
        va = v128.load(q);
        vb = v128.load(q, 16);
      } else {
        const v4 = v128.load(q);
        va = f64x2.promote_low_f32x4(v4);
        vb = f64x2.promote_low_f32x4(i32x4.shuffle(v4, v4, 2, 3, 0, 1));
      }
      let z = state + (<usize>ch << 3);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        va = section2(c, va, z, zstep);
        vb = section2(c, vb, z + 16, zstep);
        c += 80;
        z += secStride;
      }
      if (sizeof<T>() == 8) {
        v128.store(q, va);
        v128.store(q, vb, 16);
      } else {
        const lo = f32x4.demote_f64x2_zero(va);
        const hi = f32x4.demote_f64x2_zero(vb);
        v128.store(q, i32x4.shuffle(lo, hi, 0, 1, 4, 5));
      }
    }
    for (; ch + 2 <= cols; ch += 2) {
      const q = p + <usize>ch * esize;
      let v: v128 = sizeof<T>() == 8 ? v128.load(q) : f64x2.promote_low_f32x4(v128.load64_zero(q));
      let z = state + (<usize>ch << 3);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        v = section2(c, v, z, zstep);
        c += 80;
        z += secStride;
      }
      if (sizeof<T>() == 8) v128.store(q, v);
      else v128.store64_lane(q, f32x4.demote_f64x2_zero(v), 0);
    }
    for (; ch < cols; ch++) {
      const q = p + <usize>ch * esize;
      let v: f64 = sizeof<T>() == 8 ? load<f64>(q) : <f64>load<f32>(q);
      let z = state + (<usize>ch << 3);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        v = section1(c, v, z, zstep);
        c += 80;
        z += secStride;
      }
      if (sizeof<T>() == 8) store<f64>(q, v);
      else store<f32>(q, <f32>v);
    }
    p = reverse ? p - rowBytes : p + rowBytes;
  }
}

export function sosfiltF64(coef: usize, nsec: i32, x: usize, rows: i32, cols: i32, state: usize, reverse: i32): void {
  rowLoop<f64>(coef, nsec, x, rows, cols, state, reverse);
}

export function sosfiltF32(coef: usize, nsec: i32, x: usize, rows: i32, cols: i32, state: usize, reverse: i32): void {
  rowLoop<f32>(coef, nsec, x, rows, cols, state, reverse);
}

// Single-precision variant for float32 data when the caller opts into float32 arithmetic: four
// channels per f32x4 lane group, twice the f64x2 throughput. coef: nsec × 5 f32x4 splats;
// state: nsec × 2 × cols4 f32 (cols4 = cols rounded up to a multiple of 4).

@inline function section4(c: usize, v: v128, z: usize, step: usize): v128 {
  const z0 = v128.load(z), z1 = v128.load(z + step);
  const y = f32x4.add(f32x4.mul(v128.load(c), v), z0);
  v128.store(z, f32x4.add(f32x4.sub(f32x4.mul(v128.load(c, 16), v), f32x4.mul(v128.load(c, 48), y)), z1));
  v128.store(z + step, f32x4.sub(f32x4.mul(v128.load(c, 32), v), f32x4.mul(v128.load(c, 64), y)));
  return y;
}

@inline function section1f(c: usize, v: f32, z: usize, step: usize): f32 {
  const y = load<f32>(c) * v + load<f32>(z);
  store<f32>(z, load<f32>(c, 16) * v - load<f32>(c, 48) * y + load<f32>(z + step));
  store<f32>(z + step, load<f32>(c, 32) * v - load<f32>(c, 64) * y);
  return y;
}

export function sosfiltF32Single(coef: usize, nsec: i32, x: usize, rows: i32, cols: i32, state: usize, reverse: i32): void {
  const cols4 = (cols + 3) & ~3;
  const zstep = <usize>cols4 << 2;
  const secStride = zstep << 1;
  const rowBytes = <usize>cols << 2;
  let p = reverse ? x + <usize>(rows - 1) * rowBytes : x;
  for (let r = 0; r < rows; r++) {
    let ch = 0;
    for (; ch + 16 <= cols; ch += 16) {
      // Sixteen channels: four f32x4 recurrences sharing one load of the coefficients.
      const q = p + (<usize>ch << 2);
      let v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
      let z = state + (<usize>ch << 2);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        const b0 = v128.load(c), b1 = v128.load(c, 16), b2 = v128.load(c, 32), a1 = v128.load(c, 48), a2 = v128.load(c, 64);
        const zz = z + zstep;
        const y0 = f32x4.add(f32x4.mul(b0, v0), v128.load(z));
        const y1 = f32x4.add(f32x4.mul(b0, v1), v128.load(z, 16));
        const y2 = f32x4.add(f32x4.mul(b0, v2), v128.load(z, 32));
        const y3 = f32x4.add(f32x4.mul(b0, v3), v128.load(z, 48));
        v128.store(z, f32x4.add(f32x4.sub(f32x4.mul(b1, v0), f32x4.mul(a1, y0)), v128.load(zz)));
        v128.store(z, f32x4.add(f32x4.sub(f32x4.mul(b1, v1), f32x4.mul(a1, y1)), v128.load(zz, 16)), 16);
        v128.store(z, f32x4.add(f32x4.sub(f32x4.mul(b1, v2), f32x4.mul(a1, y2)), v128.load(zz, 32)), 32);
        v128.store(z, f32x4.add(f32x4.sub(f32x4.mul(b1, v3), f32x4.mul(a1, y3)), v128.load(zz, 48)), 48);
        v128.store(zz, f32x4.sub(f32x4.mul(b2, v0), f32x4.mul(a2, y0)));
        v128.store(zz, f32x4.sub(f32x4.mul(b2, v1), f32x4.mul(a2, y1)), 16);
        v128.store(zz, f32x4.sub(f32x4.mul(b2, v2), f32x4.mul(a2, y2)), 32);
        v128.store(zz, f32x4.sub(f32x4.mul(b2, v3), f32x4.mul(a2, y3)), 48);
        v0 = y0;
        v1 = y1;
        v2 = y2;
        v3 = y3;
        c += 80;
        z += secStride;
      }
      v128.store(q, v0);
      v128.store(q, v1, 16);
      v128.store(q, v2, 32);
      v128.store(q, v3, 48);
    }
    for (; ch + 8 <= cols; ch += 8) {
      const q = p + (<usize>ch << 2);
      let va = v128.load(q), vb = v128.load(q, 16);
      let z = state + (<usize>ch << 2);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        va = section4(c, va, z, zstep);
        vb = section4(c, vb, z + 16, zstep);
        c += 80;
        z += secStride;
      }
      v128.store(q, va);
      v128.store(q, vb, 16);
    }
    for (; ch + 4 <= cols; ch += 4) {
      const q = p + (<usize>ch << 2);
      let v = v128.load(q);
      let z = state + (<usize>ch << 2);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        v = section4(c, v, z, zstep);
        c += 80;
        z += secStride;
      }
      v128.store(q, v);
    }
    for (; ch < cols; ch++) {
      const q = p + (<usize>ch << 2);
      let v = load<f32>(q);
      let z = state + (<usize>ch << 2);
      let c = coef;
      for (let s = 0; s < nsec; s++) {
        v = section1f(c, v, z, zstep);
        c += 80;
        z += secStride;
      }
      store<f32>(q, v);
    }
    p = reverse ? p - rowBytes : p + rowBytes;
  }
}
