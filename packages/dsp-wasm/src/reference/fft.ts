/**
 * Plain TypeScript radix-2 FFT with the kernel's math (assembly/fft.ts): the same bit reversal,
 * butterflies and twiddle table (`fftTwiddles`: [wr, wr, −wi, wi] per entry), each product
 * rounded as the kernel's f64x2 lanes round it, so both give the same bits. In place on n
 * interleaved complex values, n a power of two.
 */
export function radix2Reference(data: Float64Array, n: number, tw: Float64Array): void {
  for (let i = 0, j = 0; i < n - 1; i++) {
    if (i < j) {
      const re = data[2 * i],
        im = data[2 * i + 1];
      data[2 * i] = data[2 * j];
      data[2 * i + 1] = data[2 * j + 1];
      data[2 * j] = re;
      data[2 * j + 1] = im;
    }
    let m = n >> 1;
    while (m >= 1 && j >= m) {
      j -= m;
      m >>= 1;
    }
    j += m;
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1,
      step = 4 * (n / size);
    for (let start = 0; start < n; start += size)
      for (let k = 0, w = 0; k < half; k++, w += step) {
        const a = 2 * (start + k),
          b = a + 2 * half;
        const br = data[b],
          bi = data[b + 1];
        const tr = tw[w] * br + tw[w + 2] * bi,
          ti = tw[w + 1] * bi + tw[w + 3] * br;
        const ar = data[a],
          ai = data[a + 1];
        data[a] = ar + tr;
        data[a + 1] = ai + ti;
        data[b] = ar - tr;
        data[b + 1] = ai - ti;
      }
  }
}
