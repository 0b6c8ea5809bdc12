// Float32 arithmetic for the polyphase FIR of fir.ts, for Float32Array data: one v128 holds two
// complex values, (re, im) of channels (a, a + 1) and of (a + 2, a + 3), so one f32x4 butterfly
// transforms four real channels where the float64 kernel transforms two. The four channels are one
// 16-byte load from a row (no shuffling in or out). Same transforms as fft.ts (DIF forward, DIT
// inverse, spectra in bit-reversed order between), with twiddles and spectra as
// [wr, wr, wr, wr] and [−wi, wi, −wi, wi] (32 bytes each, like the float64 tables).

@inline function cmul4(w: usize, b: v128): v128 {
  const swapped = i32x4.shuffle(b, b, 1, 0, 3, 2);
  return f32x4.add(f32x4.mul(v128.load(w), b), f32x4.mul(v128.load(w, 16), swapped));
}

@inline function pairStage4(data: usize, n: i32): void {
  for (let p = data, end = data + (<usize>n << 4); p < end; p += 32) {
    const a = v128.load(p), b = v128.load(p, 16);
    v128.store(p, f32x4.add(a, b));
    v128.store(p, f32x4.sub(a, b), 16);
  }
}

@inline function ditStage4(data: usize, n: i32, tw: usize, size: i32): void {
  const half = size >> 1;
  const step = <usize>(n / size) << 5;
  for (let start = 0; start < n; start += size) {
    let pa = data + (<usize>start << 4);
    let pb = pa + (<usize>half << 4);
    let w = tw;
    for (let k = 0; k < half; k++) {
      const a = v128.load(pa);
      const t = cmul4(w, v128.load(pb));
      v128.store(pa, f32x4.add(a, t));
      v128.store(pb, f32x4.sub(a, t));
      pa += 16;
      pb += 16;
      w += step;
    }
  }
}

@inline function ditStage2x4(data: usize, n: i32, tw: usize, size: i32): void {
  const quarter = <usize>(size >> 2) << 4;
  const step = <usize>(n / size) << 5;
  const stepHalf = step << 1;
  for (let start = 0; start < n; start += size) {
    let p = data + (<usize>start << 4);
    let w = tw, wh = tw;
    const wq = tw + (quarter >> 4) * step;
    for (let k: usize = 0; k < quarter; k += 16) {
      const a = v128.load(p), b = v128.load(p + quarter);
      const c = v128.load(p + 2 * quarter), d = v128.load(p + 3 * quarter);
      const tb = cmul4(wh, b), td = cmul4(wh, d);
      const a1 = f32x4.add(a, tb), b1 = f32x4.sub(a, tb);
      const c1 = f32x4.add(c, td), d1 = f32x4.sub(c, td);
      const tc = cmul4(w, c1), tdd = cmul4(wq + (k >> 4) * step, d1);
      v128.store(p, f32x4.add(a1, tc));
      v128.store(p + 2 * quarter, f32x4.sub(a1, tc));
      v128.store(p + quarter, f32x4.add(b1, tdd));
      v128.store(p + 3 * quarter, f32x4.sub(b1, tdd));
      p += 16;
      w += step;
      wh += stepHalf;
    }
  }
}

function ditStages4(data: usize, n: i32, tw: usize): void {
  pairStage4(data, n);
  let size = 4;
  for (; size * 2 <= n; size <<= 2) ditStage2x4(data, n, tw, size * 2);
  if (size == n) ditStage4(data, n, tw, size);
}

@inline function difStage4(data: usize, n: i32, tw: usize, size: i32): void {
  const half = size >> 1;
  const step = <usize>(n / size) << 5;
  for (let start = 0; start < n; start += size) {
    let pa = data + (<usize>start << 4);
    let pb = pa + (<usize>half << 4);
    let w = tw;
    for (let k = 0; k < half; k++) {
      const a = v128.load(pa), b = v128.load(pb);
      v128.store(pa, f32x4.add(a, b));
      v128.store(pb, cmul4(w, f32x4.sub(a, b)));
      pa += 16;
      pb += 16;
      w += step;
    }
  }
}

@inline function difStage2x4(data: usize, n: i32, tw: usize, size: i32): void {
  const quarter = <usize>(size >> 2) << 4;
  const step = <usize>(n / size) << 5;
  const stepHalf = step << 1;
  for (let start = 0; start < n; start += size) {
    let p = data + (<usize>start << 4);
    let w = tw, wh = tw;
    const wq = tw + (quarter >> 4) * step;
    for (let k: usize = 0; k < quarter; k += 16) {
      const a = v128.load(p), b = v128.load(p + quarter);
      const c = v128.load(p + 2 * quarter), d = v128.load(p + 3 * quarter);
      const a1 = f32x4.add(a, c), c1 = cmul4(w, f32x4.sub(a, c));
      const b1 = f32x4.add(b, d), d1 = cmul4(wq + (k >> 4) * step, f32x4.sub(b, d));
      v128.store(p, f32x4.add(a1, b1));
      v128.store(p + quarter, cmul4(wh, f32x4.sub(a1, b1)));
      v128.store(p + 2 * quarter, f32x4.add(c1, d1));
      v128.store(p + 3 * quarter, cmul4(wh, f32x4.sub(c1, d1)));
      p += 16;
      w += step;
      wh += stepHalf;
    }
  }
}

function difStages4(data: usize, n: i32, tw: usize): void {
  let size = n;
  for (; size >= 8; size >>= 2) difStage2x4(data, n, tw, size);
  if (size == 4) difStage4(data, n, tw, size);
  pairStage4(data, n);
}

/** acc[i] (+)= data[i] · spec[i] for n values. */
function cmulSpec4(data: usize, acc: usize, spec: usize, n: i32, add: i32): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (<usize>i << 4);
    const v = cmul4(spec + (<usize>i << 5), v128.load(data + (<usize>i << 4)));
    v128.store(p, add ? f32x4.add(v128.load(p), v) : v);
  }
}

/** Channels a … a + 4·ng − 1 (ng groups of four; the last group may be short) of rows row0 + i·q into ng buffers. */
@inline function gather4(
  x: usize, rows: i32, cols: i32, a: i32, ng: i32, row0: i32, q: i32, nfft: i32, buf: usize,
): void {
  const lo = row0 < 0 ? min(nfft, (q - 1 - row0) / q) : 0;
  const hi = row0 >= rows ? lo : max(lo, min(nfft, (rows - 1 - row0) / q + 1));
  const bufBytes = <usize>nfft << 4;
  for (let g: usize = 0; g < <usize>ng; g++) {
    memory.fill(buf + g * bufBytes, 0, <usize>lo << 4);
    memory.fill(buf + g * bufBytes + (<usize>hi << 4), 0, <usize>(nfft - hi) << 4);
  }
  const stride = (<usize>q * <usize>cols) << 2;
  const p0 = x + ((<usize>(row0 + lo * q) * <usize>cols + <usize>a) << 2);
  const full = a + 4 * ng <= cols;
  if (full && ng == 4) {
    let p = p0, d = buf + (<usize>lo << 4);
    for (let i = lo; i < hi; i++, p += stride, d += 16) {
      v128.store(d, v128.load(p));
      v128.store(d + bufBytes, v128.load(p, 16));
      v128.store(d + 2 * bufBytes, v128.load(p, 32));
      v128.store(d + 3 * bufBytes, v128.load(p, 48));
    }
    return;
  }
  // the channels at the right edge, one value at a time (missing ones stay zero)
  const have = cols - a;
  for (let g = 0; g < ng; g++) {
    let p = p0 + (<usize>(4 * g) << 2), d = buf + <usize>g * bufBytes + (<usize>lo << 4);
    const m = min(4, have - 4 * g);
    for (let i = lo; i < hi; i++, p += stride, d += 16) {
      v128.store(d, f32x4.splat(0));
      for (let c = 0; c < m; c++) store<f32>(d + (<usize>c << 2), load<f32>(p + (<usize>c << 2)));
    }
  }
}

/** firPolyphase of fir.ts for float32 data in float32 arithmetic; buf, acc: 4 · nfft · 16 bytes each. */
export function firPolyphase32(
  x: usize,
  rows: i32,
  cols: i32,
  spec: usize,
  nfft: i32,
  q: i32,
  ntapsP: i32,
  base: i32,
  count: i32,
  tw: usize,
  twInv: usize,
  buf: usize,
  acc: usize,
  out: usize,
): void {
  const valid = nfft - (ntapsP - 1);
  const specBytes = <usize>nfft << 5;
  const bufBytes = <usize>nfft << 4;
  const dstStep = <usize>cols << 2;
  for (let j0 = 0; j0 < count; j0 += valid) {
    const nOut = min(valid, count - j0);
    for (let a0 = 0; a0 < cols; a0 += 16) {
      const ng = min(4, (cols - a0 + 3) >> 2); // groups of four channels in this pass
      for (let r = 0; r < q; r++) {
        const row0 = base - r + (j0 - ntapsP + 1) * q;
        gather4(x, rows, cols, a0, ng, row0, q, nfft, buf);
        for (let g = 0; g < ng; g++) {
          const b = buf + <usize>g * bufBytes;
          difStages4(b, nfft, tw);
          cmulSpec4(b, acc + <usize>g * bufBytes, spec + <usize>r * specBytes, nfft, r);
        }
      }
      for (let g = 0; g < ng; g++) {
        const a = a0 + 4 * g;
        const m = min(4, cols - a);
        const ag = acc + <usize>g * bufBytes;
        ditStages4(ag, nfft, twInv);
        let src = ag + (<usize>(ntapsP - 1) << 4);
        let dst = out + ((<usize>j0 * <usize>cols + <usize>a) << 2);
        if (m == 4) {
          for (let t = 0; t < nOut; t++, src += 16, dst += dstStep) v128.store(dst, v128.load(src));
        } else {
          for (let t = 0; t < nOut; t++, src += 16, dst += dstStep)
            for (let c = 0; c < m; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
        }
      }
    }
  }
}
