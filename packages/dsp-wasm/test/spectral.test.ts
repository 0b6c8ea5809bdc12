import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import {
  FirFilter,
  cheby1,
  decimate,
  envelope,
  fft,
  firFilter,
  firwin,
  getWindow,
  hilbert,
  iirnotch,
  instantaneousPhase,
  kaiserord,
  sosfiltfilt,
  welch,
} from '../src/index.js';
import { dftReference } from '../src/reference/dft.js';
import { warmUpRows } from '../src/filter/filtfilt-keep-every.js';
import { sosfiltfiltEvery } from '../src/filter/sosfiltfilt.js';
import { maxErrorOverRms } from '../src/filter/precision.js';
import v from './vectors/spectral.json';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

describe('fft', () => {
  it('matches numpy for a non-power-of-two length (Bluestein) and the O(n²) DFT for many sizes', () => {
    const z = Float64Array.from(v.fft12.x);
    fft(z, 12);
    expect(maxDiff(z, v.fft12.X)).toBeLessThan(1e-12);
    for (const n of [1, 2, 3, 5, 8, 17, 64, 100, 257]) {
      const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7) + (i % 3));
      const ref = dftReference(x, n);
      const y = x.slice();
      fft(y, n);
      expect(maxDiff(y, ref)).toBeLessThan(1e-9 * n);
      fft(y, n, { inverse: true });
      expect(
        maxDiff(
          y.map((q) => q / n),
          x,
        ),
      ).toBeLessThan(1e-12 * n);
    }
  });
  it("the 'reference' backend (radix-2 in TypeScript) gives the Wasm kernel's bits, forward and inverse", () => {
    for (const n of [2, 8, 1024, 12, 100, 30000]) {
      const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011));
      for (const inverse of [false, true]) {
        const wasm = x.slice(),
          reference = x.slice();
        fft(wasm, n, { inverse });
        fft(reference, n, { inverse, backend: 'reference' });
        expect(reference).toEqual(wasm);
      }
    }
    const sig = { data: Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i / 7)), rows: 1500, cols: 2 };
    expect(envelope(sig, { backend: 'reference' })).toEqual(envelope(sig));
    expect(() => fft(new Float64Array(8), 4, { invers: true } as never)).toThrow(
      /'invers': expected no such option of fft/,
    );
    expect(() => fft(new Float64Array(8), 4, { backend: 'js' } as never)).toThrow(/'backend'/);
    expect(() => hilbert(sig, { backends: 'reference' } as never)).toThrow(/'backends'/);
  });
});

describe('hilbert / envelope / phase (vs scipy.signal.hilbert)', () => {
  it.each([
    ['odd length', v.hilbert],
    ['even length', v.hilbert100],
  ])('%s, 3 channels', (_n, c) => {
    const h = hilbert({ data: Float64Array.from(c.x), rows: c.rows, cols: c.cols });
    expect(maxDiff(h.re, c.re)).toBeLessThan(1e-12);
    expect(maxDiff(h.im, c.im)).toBeLessThan(1e-12);
    const env = envelope({ data: Float64Array.from(c.x), rows: c.rows, cols: c.cols });
    expect(
      maxDiff(
        env.data,
        c.re.map((r, i) => Math.hypot(r, c.im[i])),
      ),
    ).toBeLessThan(1e-12);
    const ph = instantaneousPhase(Float64Array.from({ length: c.rows }, (_, r) => c.x[r * c.cols]));
    expect(
      maxDiff(
        ph,
        Array.from({ length: c.rows }, (_, r) => Math.atan2(c.im[r * c.cols], c.re[r * c.cols])),
      ),
    ).toBeLessThan(1e-12);
  });
});

describe('FIR design', () => {
  it.each(v.firwin.map((c) => [`${c.numtaps} taps ${JSON.stringify(c.cutoff)} ${JSON.stringify(c.opts)}`, c] as const))(
    'firwin %s',
    (_n, c) => {
      const taps = firwin(c.numtaps, c.cutoff, c.opts as never);
      expect(maxDiff(taps, c.taps)).toBeLessThan(1e-13);
    },
  );
  it('kaiserord matches scipy', () => {
    for (const c of v.kaiserord) {
      const r = kaiserord(c.ripple, c.width);
      expect(r.numtaps).toBe(c.numtaps);
      expect(r.beta).toBeCloseTo(c.beta, 12);
    }
  });
  it('rejects bad designs', () => {
    expect(() => firwin(30, 0.3, { pass_zero: false })).toThrow(/odd number/);
    expect(() => firwin(31, 1.2)).toThrow(/'cutoff'/);
    expect(() => firwin(31, [0.5, 0.2])).toThrow(/increasing/);
    expect(() => kaiserord(5, 0.1)).toThrow(/'ripple'/);
    expect(() => firFilter([1, 2], new Float64Array(4))).toThrow(/odd number of taps/);
  });
});

describe('firFilter (FFT overlap-save) and FirFilter (streaming)', () => {
  const x = Float64Array.from(v.hilbert.x);
  const m = { data: x, rows: v.hilbert.rows, cols: v.hilbert.cols };
  it("equals scipy's fftconvolve(mode='same') and the direct-sum reference", () => {
    const y = firFilter(v.fftconvolve_same.taps, m);
    expect(maxDiff(y.data, v.fftconvolve_same.y)).toBeLessThan(1e-12);
    const r = firFilter(v.fftconvolve_same.taps, m, { backend: 'reference' });
    expect(maxDiff(y.data, r.data)).toBeLessThan(1e-12);
  });

  it('decimates in the same pass, and long filters on long signals match the reference', () => {
    const taps = firwin(301, 0.05);
    const rows = 5000,
      cols = 5;
    const d = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.001) * 10 + ((i * 31) % 7));
    for (const q of [1, 7, 30]) {
      const y = firFilter(taps, { data: d, rows, cols }, { decimate: q });
      const r = firFilter(taps, { data: d, rows, cols }, { decimate: q, backend: 'reference' });
      expect(y.rows).toBe(Math.ceil(rows / q));
      expect(y.data).toBeInstanceOf(Float32Array);
      expect(maxDiff(y.data, r.data)).toBeLessThan(1e-4);
    }
  });

  it('recordings longer than one kernel call (2^21 input samples) join seamlessly', () => {
    const taps = firwin(41, 0.2);
    const rows = (1 << 20) + 4321,
      cols = 3;
    const d = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.013) + ((i * 17) % 5) - 2);
    for (const q of [1, 4]) {
      const y = firFilter(taps, { data: d, rows, cols }, { decimate: q });
      const r = firFilter(taps, { data: d, rows, cols }, { decimate: q, backend: 'reference' });
      expect(maxDiff(y.data, r.data)).toBeLessThan(1e-12);
    }
  });

  it('streams: any chunking, with decimation, equals one call', () => {
    const taps = firwin(51, 0.1);
    const rows = 700,
      cols = 3;
    const d = Float64Array.from({ length: rows * cols }, (_, i) => Math.cos(i * 0.02) + (i % 5));
    for (const q of [1, 4]) {
      const whole = firFilter(taps, { data: d, rows, cols }, { decimate: q }).data;
      for (const sizes of [[700], [1, 699], [10, 10, 300, 380], [25, 1, 1, 673]]) {
        const f = new FirFilter<Float64Array>(taps, cols, { decimate: q });
        const parts: number[] = [];
        let r0 = 0;
        for (const n of sizes) {
          parts.push(...f.process({ data: d.subarray(r0 * cols, (r0 + n) * cols), rows: n, cols }).data);
          r0 += n;
        }
        parts.push(...f.flush().data);
        expect(maxDiff(parts, whole)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('decimate, cheby1, iirnotch (vs scipy)', () => {
  const d = v.decimate;
  const x = { data: Float64Array.from(d.x), rows: d.rows, cols: d.cols };
  it('cheby1 sections', () => expect(maxDiff(cheby1(8, 0.05, 0.08), d['cheby1_8_0.08'])).toBeLessThan(1e-12));
  it('iir zero-phase and causal', () => {
    expect(maxDiff(decimate(x, 10).data, d.iir10)).toBeLessThan(1e-9);
    expect(maxDiff(decimate(x, 10, { zeroPhase: false }).data, d.iir10_causal)).toBeLessThan(1e-9);
  });
  it('fir', () => expect(maxDiff(decimate(x, 5, { ftype: 'fir' }).data, d.fir5)).toBeLessThan(1e-12));
  it('iir zero-phase keeps every q-th row of sosfiltfilt, across many blocks and odd lengths', () => {
    // The backward pass computes the cascade's zeros only on the kept rows (assembly/sos-poles.ts):
    // the same filter to rounding. Block edges need not fall on a multiple of q. All three fit one
    // segment (filtfilt-keep-every.ts), which starts its backward pass at the true end.
    for (const [rows, cols, q] of [
      [50001, 3, 7],
      [20000, 64, 10],
      [4099, 1, 13],
    ]) {
      const data = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 101) / 50);
      const sos = cheby1(8, 0.05, 0.8 / q);
      const y = decimate({ data, rows, cols }, q).data;
      const full = sosfiltfilt(sos, { data, rows, cols }).data;
      const kept = Math.ceil(rows / q);
      expect(y.length).toBe(kept * cols);
      const want = Float64Array.from(
        { length: kept * cols },
        (_, i) => full[Math.floor(i / cols) * q * cols + (i % cols)],
      );
      expect(maxErrorOverRms(y, want)).toBeLessThan(1e-13);
      // the TypeScript reference of the kernel gives its bits
      const reference = sosfiltfiltEvery(sos, { data, rows, cols }, { backend: 'reference' }, q);
      expect(Array.from(reference).every((v, i) => Object.is(v, y[i]))).toBe(true);
    }
  });
  it('iir zero-phase on recordings longer than a segment: every q-th row of sosfiltfilt within 1e-12 of RMS', () => {
    // Segments of 16 MiB: 64 float64 channels give 32768 rows, so 100003 rows take 3 segments, each
    // backward pass but the last starting warmUpRows late from an approximate state.
    const sos = cheby1(8, 0.05, 0.08);
    const warm = warmUpRows(sos);
    expect(warm).toBeGreaterThan(1000);
    expect(warm).toBeLessThan(20000);
    expect(warmUpRows([1, 0, 0, 1, -2.1, 1.1])).toBe(Infinity); // unstable: one segment
    const rows = 100003,
      cols = 64,
      q = 10;
    expect(rows).toBeGreaterThan(2 * ((1 << 24) / (8 * cols)) + warm);
    const data = Float64Array.from(
      { length: rows * cols },
      (_, i) => Math.sin(i * 0.0037) * 40 + ((i * 7919) % 101) / 5,
    );
    for (const d of [data, Float32Array.from(data)]) {
      const x = { data: d, rows, cols };
      const y = decimate(x, q).data;
      const full = sosfiltfilt(sos, x, { precision: 'float64' }).data;
      let worst = 0,
        ss = 0;
      for (let j = 0; j < Math.ceil(rows / q); j++)
        for (let c = 0; c < cols; c++) {
          const want = full[j * q * cols + c];
          worst = Math.max(worst, Math.abs(y[j * cols + c] - want));
          ss += want * want;
        }
      const rms = Math.sqrt(ss / (Math.ceil(rows / q) * cols));
      // float64: the warm-up's error (~1e-22) is far below rounding; float32 data: at most one float32 ulp.
      expect(worst / rms).toBeLessThan(d instanceof Float64Array ? 1e-12 : 1e-6);
    }
  });
  it('iirnotch', () => {
    const n = iirnotch(60, 30, { fs: 30000 });
    expect(maxDiff(n.b, v.iirnotch.b)).toBeLessThan(1e-15);
    expect(maxDiff(n.a, v.iirnotch.a)).toBeLessThan(1e-15);
    expect(() => iirnotch(20000, 30, { fs: 30000 })).toThrow(ParameterError);
    expect(() => iirnotch(60, 30, { Fs: 30000 } as never)).toThrow(/'Fs'/);
  });
});

describe('welch (vs scipy.signal.welch)', () => {
  const w = v.welch;
  const x = { data: Float64Array.from(w.x), rows: w.rows, cols: w.cols };
  it('defaults (hann, density, mean)', () => {
    const r = welch(x, { fs: 1000, nperseg: 256 });
    expect(maxDiff(r.f, w.f)).toBeLessThan(1e-12);
    expect(maxDiff(r.pxx, w.p)).toBeLessThan(1e-12);
  });
  it('hamming, linear detrend, spectrum scaling, median average, odd overlap', () => {
    const r = welch(x, {
      fs: 1000,
      nperseg: 200,
      noverlap: 50,
      window: 'hamming',
      detrend: 'linear',
      scaling: 'spectrum',
      average: 'median',
    });
    expect(maxDiff(r.f, w.f2)).toBeLessThan(1e-12);
    expect(maxDiff(r.pxx, w.p2)).toBeLessThan(1e-12);
  });
  it('the kernel path (power-of-two nperseg, mean) equals the O(n²) DFT definition on odd channel counts', () => {
    // 3 channels: one packed pair and one lone channel; float32 in; linear detrend; 'spectrum' scaling.
    const rows = 700,
      cols = 3,
      nperseg = 64,
      noverlap = 16;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) * 3 + (i % 7) - 0.002 * i);
    const r = welch({ data, rows, cols }, { fs: 500, nperseg, noverlap, detrend: 'linear', scaling: 'spectrum' });
    const win = getWindow('hann', nperseg, { periodic: true });
    const s1 = win.reduce((a, b) => a + b, 0);
    const step = nperseg - noverlap,
      nseg = Math.floor((rows - noverlap) / step);
    const nfreq = nperseg / 2 + 1;
    let worst = 0,
      peak = 0;
    for (let c = 0; c < cols; c++) {
      const sum = new Float64Array(nfreq);
      for (let s = 0; s < nseg; s++) {
        const seg = Array.from({ length: nperseg }, (_, i) => data[(s * step + i) * cols + c]);
        const t = Array.from({ length: nperseg }, (_, i) => i - (nperseg - 1) / 2);
        const mean = seg.reduce((a, b) => a + b, 0) / nperseg;
        const slope = seg.reduce((a, v, i) => a + v * t[i], 0) / t.reduce((a, v) => a + v * v, 0);
        const z = new Float64Array(2 * nperseg);
        seg.forEach((v, i) => (z[2 * i] = (v - mean - slope * t[i]) * win[i]));
        const X = dftReference(z, nperseg);
        for (let k = 0; k < nfreq; k++) sum[k] += X[2 * k] ** 2 + X[2 * k + 1] ** 2;
      }
      for (let k = 0; k < nfreq; k++) {
        const expected = ((k === 0 || k === nfreq - 1 ? 1 : 2) * sum[k]) / nseg / (s1 * s1);
        worst = Math.max(worst, Math.abs(r.pxx[k * cols + c] - expected));
        peak = Math.max(peak, expected);
      }
    }
    expect(worst / peak).toBeLessThan(1e-12);
  });
  it('rejects bad parameters', () => {
    expect(() => welch(x, { nperseg: 100, noverlap: 100 })).toThrow(/'noverlap'/);
    expect(() => welch(x, { fs: 0 })).toThrow(/'fs'/);
  });
});
