// The spectral kernels side by side with numpy/scipy in one run: fft (radix-2 Wasm kernel for
// powers of two, Bluestein on it for other lengths) against numpy.fft.fft, and welch on 64
// channels × 5 min of 1 kHz LFP (10 min with BENCH_LONG=1) against scipy.signal.welch(x, fs,
// nperseg=1024, axis=0).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fft, welch } from '@spyglass-wasm/dsp-wasm';
import {
  benchLong,
  benchSignal,
  findScipy,
  maxAbsOverRms,
  runPython,
  timeIt,
  versusBaseline,
} from '../lib/harness.mjs';

export const name = 'dsp-fft-welch';

const sizes = [4096, 65536, 1 << 20, 30000, 100000];
const fs = 1000;
const cols = 64;
const seconds = Number(process.env.BENCH_WELCH_SECONDS ?? (benchLong ? 600 : 300));
const rows = fs * seconds;

function complexSignal(n) {
  const z = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) z[i] = Math.sin(i * 0.37) + Math.cos(i * 0.011);
  return z;
}

export async function run() {
  const fftRows = [];
  for (const n of sizes) {
    const z = complexSignal(n);
    const repeat = Math.max(1, Math.round(2 ** 22 / n));
    const t = await timeIt(() => {
      for (let k = 0; k < repeat; k++) fft(z.slice(), n);
    });
    fftRows.push({ n, 'wasm ms': (t / repeat) * 1e3 });
  }
  const data = benchSignal(rows, cols, { noise: 30, slow: 100 });
  const welchRows = [
    {
      impl: 'wasm welch(x, { fs, nperseg: 1024 })',
      seconds: await timeIt(() => welch({ data, rows, cols }, { fs, nperseg: 1024 })),
    },
  ];
  const accuracy = [];
  const notes = [];
  const scipy = findScipy();
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-fft-'));
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      const res = runPython(
        scipy.python,
        `
import json, time, numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
def t(f, n=3):
    ts = []
    for i in range(n):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[n // 2]
ffts = {}
for n in ${JSON.stringify(sizes)}:
    i = np.arange(2 * n)
    v = np.sin(i * 0.37) + np.cos(i * 0.011)
    z = v[0::2] + 1j * v[1::2]
    rep = max(1, round(2**22 / n))
    ffts[n] = t(lambda: [np.fft.fft(z) for _ in range(rep)]) / rep * 1e3
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
tw = t(lambda: sig.welch(x, fs=${fs}, nperseg=1024, axis=0))
sig.welch(x, fs=${fs}, nperseg=1024, axis=0)[1].astype(np.float64).tofile(d + '/pxx.f64')
print(json.dumps({'fft': ffts, 'welch': tw, 'numpy': np.__version__}))
`,
      );
      for (const r of fftRows) {
        r[`numpy ${res.numpy} ms`] = res.fft[r.n];
        r['x numpy'] = res.fft[r.n] / r['wasm ms'];
      }
      welchRows.push({ impl: `scipy ${scipy.version} welch(x, fs, nperseg=1024, axis=0)`, seconds: res.welch });
      const pxx = new Float64Array(readFileSync(join(dir, 'pxx.f64')).buffer.slice(0));
      accuracy.push({
        output: 'welch pxx vs scipy (which computes float32 data in float32)',
        'max|diff|/RMS': maxAbsOverRms(welch({ data, rows, cols }, { fs, nperseg: 1024 }).pxx, pxx),
        goal: 1e-4,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    notes.push('numpy/scipy baseline skipped: no python3 with numpy and scipy (apt-get install python3-scipy)');
  }
  const base = welchRows.find((r) => r.impl.startsWith('scipy'));
  for (const r of welchRows) {
    r['Msamples/s'] = (rows * cols) / r.seconds / 1e6;
    r['x scipy'] = base ? base.seconds / r.seconds : 'n/a';
  }
  return {
    tables: [
      { title: 'fft of n complex values (one transform)', rows: fftRows },
      { title: `welch, ${cols} ch × ${seconds} s float32 at ${fs} Hz, nperseg 1024`, rows: welchRows },
      ...(accuracy.length ? [{ title: 'accuracy vs scipy', rows: accuracy }] : []),
    ],
    notes,
    summary: versusBaseline(`welch ${cols} ch`, welchRows, (impl) => impl.startsWith('scipy')),
  };
}
