// The backward pass of decimate's zero-phase filter, with the cascade's poles and zeros apart: the
// poles (each section's 1 / (1 + a1 z⁻¹ + a2 z⁻²), direct form: y = v − (a1·y₁ + a2·y₂), so the
// chain through the sections waits on one subtraction per section) run over every row, last row first,
// but the zeros (one FIR of ntaps = 2·nsec + 1 taps, the sections' numerators multiplied) only on
// the rows that are kept, since the output is wanted only there. Half the arithmetic of the full
// sections per row. Rows [0, rows) of x (rows × cols, f64 or f32 data, f64 arithmetic), in place:
// a kept row (r + phase) % q == 0 receives its output; the other rows are left as they were.
//
// coef: nsec × (a1, a2) then ntaps × b, each value splatted twice (f64x2).
// state: nsec × 2 × colsP f64 (the last two outputs of each section, alternating slots, so a row
//        stores one value per section, not two), then ntaps × colsP f64: a ring of the last ntaps
//        pole outputs. `done`: rows filtered since the state was set (which slot and ring
//        position come next), carried by the caller from call to call.

@inline function poles2(c: usize, nsec: i32, v: v128, z: usize, zstep: usize, parity: usize): v128 {
  // this row's output overwrites y[n-2] (slot `parity`); y[n-1] is in the other slot
  const older = parity * zstep,
    newer = (parity ^ 1) * zstep;
  for (let s = 0; s < nsec; s++) {
    const y = f64x2.sub(v, f64x2.add(f64x2.mul(v128.load(c), v128.load(z + newer)), f64x2.mul(v128.load(c, 16), v128.load(z + older))));
    v128.store(z + older, y);
    v = y;
    c += 32;
    z += zstep << 1;
  }
  return v;
}

@inline function zeros2(b: usize, ntaps: i32, ring: usize, pos: i32, zstep: usize): v128 {
  let acc = f64x2.splat(0);
  let slot = pos;
  for (let k = 0; k < ntaps; k++) {
    acc = f64x2.add(acc, f64x2.mul(v128.load(b + (<usize>k << 4)), v128.load(ring + <usize>slot * zstep)));
    slot = slot + 1 == ntaps ? 0 : slot + 1;
  }
  return acc;
}

@inline function polesKeep<T>(
  coef: usize,
  nsec: i32,
  x: usize,
  rows: i32,
  cols: i32,
  state: usize,
  done: i32,
  phase: i32,
  q: i32,
): void {
  const esize = <usize>sizeof<T>();
  const colsP = (cols + 1) & ~1;
  const zstep = <usize>colsP << 3;
  const ntaps = 2 * nsec + 1;
  const b = coef + (<usize>nsec << 5);
  const ring = state + (<usize>nsec << 1) * zstep;
  const rowBytes = <usize>cols * esize;
  let pos = (ntaps - (done % ntaps)) % ntaps;
  let parity = <usize>(done & 1);
  for (let r = rows - 1; r >= 0; r--) {
    const p = x + <usize>r * rowBytes;
    const keep = (r + phase) % q == 0;
    const w = ring + <usize>pos * zstep;
    let ch = 0;
    for (; ch + 8 <= cols; ch += 8) {
      // Eight channels at once, the coefficients loaded once per section: four independent
      // recurrences keep the multipliers busy while each waits on its own latency.
      const at = p + <usize>ch * esize;
      let v0: v128, v1: v128, v2: v128, v3: v128;
      if (sizeof<T>() == 8) {
        v0 = v128.load(at);
        v1 = v128.load(at, 16);
        v2 = v128.load(at, 32);
        v3 = v128.load(at, 48);
      } else {
        const lo = v128.load(at), hi = v128.load(at, 16);
        v0 = f64x2.promote_low_f32x4(lo);
        v1 = f64x2.promote_low_f32x4(i32x4.shuffle(lo, lo, 2, 3, 0, 1));
        v2 = f64x2.promote_low_f32x4(hi);
        v3 = f64x2.promote_low_f32x4(i32x4.shuffle(hi, hi, 2, 3, 0, 1));
      }
      const off = <usize>ch << 3;
      let z = state + off;
      let c = coef;
      const older = parity * zstep,
        newer = (parity ^ 1) * zstep;
      for (let s = 0; s < nsec; s++) {
        const a1 = v128.load(c), a2 = v128.load(c, 16);
        const zn = z + newer,
          zz = z + older;
        const p0 = v128.load(zn), p1 = v128.load(zn, 16), p2 = v128.load(zn, 32), p3 = v128.load(zn, 48);
        v0 = f64x2.sub(v0, f64x2.add(f64x2.mul(a1, p0), f64x2.mul(a2, v128.load(zz))));
        v1 = f64x2.sub(v1, f64x2.add(f64x2.mul(a1, p1), f64x2.mul(a2, v128.load(zz, 16))));
        v2 = f64x2.sub(v2, f64x2.add(f64x2.mul(a1, p2), f64x2.mul(a2, v128.load(zz, 32))));
        v3 = f64x2.sub(v3, f64x2.add(f64x2.mul(a1, p3), f64x2.mul(a2, v128.load(zz, 48))));
        v128.store(zz, v0);
        v128.store(zz, v1, 16);
        v128.store(zz, v2, 32);
        v128.store(zz, v3, 48);
        c += 32;
        z += zstep << 1;
      }
      v128.store(w + off, v0);
      v128.store(w + off, v1, 16);
      v128.store(w + off, v2, 32);
      v128.store(w + off, v3, 48);
      if (keep) {
        // the zeros: one pass over the ring's slots, each tap's coefficient loaded once
        let y0 = f64x2.splat(0), y1 = f64x2.splat(0), y2 = f64x2.splat(0), y3 = f64x2.splat(0);
        let slot = pos;
        for (let k = 0; k < ntaps; k++) {
          const bk = v128.load(b + (<usize>k << 4));
          const rs = ring + off + <usize>slot * zstep;
          y0 = f64x2.add(y0, f64x2.mul(bk, v128.load(rs)));
          y1 = f64x2.add(y1, f64x2.mul(bk, v128.load(rs, 16)));
          y2 = f64x2.add(y2, f64x2.mul(bk, v128.load(rs, 32)));
          y3 = f64x2.add(y3, f64x2.mul(bk, v128.load(rs, 48)));
          slot = slot + 1 == ntaps ? 0 : slot + 1;
        }
        if (sizeof<T>() == 8) {
          v128.store(at, y0);
          v128.store(at, y1, 16);
          v128.store(at, y2, 32);
          v128.store(at, y3, 48);
        } else {
          v128.store(at, i32x4.shuffle(f32x4.demote_f64x2_zero(y0), f32x4.demote_f64x2_zero(y1), 0, 1, 4, 5));
          v128.store(at, i32x4.shuffle(f32x4.demote_f64x2_zero(y2), f32x4.demote_f64x2_zero(y3), 0, 1, 4, 5), 16);
        }
      }
    }
    for (; ch + 2 <= cols; ch += 2) {
      const at = p + <usize>ch * esize;
      const v: v128 = sizeof<T>() == 8 ? v128.load(at) : f64x2.promote_low_f32x4(v128.load64_zero(at));
      const off = <usize>ch << 3;
      v128.store(w + off, poles2(coef, nsec, v, state + off, zstep, parity));
      if (keep) {
        const y = zeros2(b, ntaps, ring + off, pos, zstep);
        if (sizeof<T>() == 8) v128.store(at, y);
        else v128.store64_lane(at, f32x4.demote_f64x2_zero(y), 0);
      }
    }
    if (ch < cols) {
      // An odd last channel runs in a lane pair of its own (the state is padded to even columns).
      const at = p + <usize>ch * esize;
      const v = f64x2.splat(sizeof<T>() == 8 ? load<f64>(at) : <f64>load<f32>(at));
      const off = <usize>ch << 3;
      v128.store(w + off, poles2(coef, nsec, v, state + off, zstep, parity));
      if (keep) {
        const y = f64x2.extract_lane(zeros2(b, ntaps, ring + off, pos, zstep), 0);
        if (sizeof<T>() == 8) store<f64>(at, y);
        else store<f32>(at, <f32>y);
      }
    }
    pos = pos == 0 ? ntaps - 1 : pos - 1;
    parity ^= 1;
  }
}

export function sosPolesKeepF64(
  coef: usize,
  nsec: i32,
  x: usize,
  rows: i32,
  cols: i32,
  state: usize,
  done: i32,
  phase: i32,
  q: i32,
): void {
  polesKeep<f64>(coef, nsec, x, rows, cols, state, done, phase, q);
}

export function sosPolesKeepF32(
  coef: usize,
  nsec: i32,
  x: usize,
  rows: i32,
  cols: i32,
  state: usize,
  done: i32,
  phase: i32,
  q: i32,
): void {
  polesKeep<f32>(coef, nsec, x, rows, cols, state, done, phase, q);
}
