// FIR filtering side by side with scipy in one run, 64 channels of float32 at 30 kHz:
// lfp() (Kaiser FIR 400/425 Hz, 120 dB, 9367 taps, zero phase, decimated to 1 kHz in the same
// pass) against scipy.signal.fftconvolve / oaconvolve(mode='same', axes=0)[::30], and firFilter
// with a 201-tap band-pass at full rate against the same scipy calls.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { firFilter, firwin, lfp, lfpDesign } from '@spyglass-wasm/dsp-wasm';
import { benchSignal, findScipy, maxAbsOverRms, runPython, timeIt, versusBaseline } from '../lib/harness.mjs';

export const name = 'dsp-fir-lfp';

const fs = 30000;
const cols = 64;
const seconds = Number(process.env.BENCH_FIR_SECONDS ?? 20);
const rows = fs * seconds;

export async function run() {
  const data = benchSignal(rows, cols);
  const x = { data, rows, cols };
  const design = lfpDesign({ fs });
  const band = firwin(201, [300, 6000], { fs, pass_zero: false });
  const samples = rows * cols;
  const lfpRows = [
    {
      impl: `wasm lfp(x, { fs }) (${design.taps.length} taps, q = ${design.q})`,
      seconds: await timeIt(() => lfp(x, { fs }), { repeat: 3 }),
    },
  ];
  const firRows = [
    {
      impl: 'wasm firFilter(201 taps, x) (zero phase)',
      seconds: await timeIt(() => firFilter(band, x), { repeat: 3 }),
    },
  ];
  const accuracy = [];
  const notes = [];
  const scipy = findScipy();
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-fir-'));
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      writeFileSync(join(dir, 'lfp.f64'), Buffer.from(design.taps.buffer));
      writeFileSync(join(dir, 'band.f64'), Buffer.from(band.buffer));
      const acc = 2 * fs;
      const res = runPython(
        scipy.python,
        `
import json, time, numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
h = np.fromfile(d + '/lfp.f64')[:, None]
b = np.fromfile(d + '/band.f64')[:, None]
def t(f, n=3):
    ts = []
    for i in range(n):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[n // 2]
out = {
  'lfp_fft': t(lambda: sig.fftconvolve(x, h, mode='same', axes=0)[::${design.q}]),
  'lfp_oa': t(lambda: sig.oaconvolve(x, h, mode='same', axes=0)[::${design.q}], 1),
  'band_fft': t(lambda: sig.fftconvolve(x, b, mode='same', axes=0)),
  'band_oa': t(lambda: sig.oaconvolve(x, b, mode='same', axes=0)),
}
xs = x[:${acc}].astype(np.float64)
sig.fftconvolve(xs, h, mode='same', axes=0)[::${design.q}].tofile(d + '/lfp_ref.f64')
sig.fftconvolve(xs, b, mode='same', axes=0).tofile(d + '/band_ref.f64')
print(json.dumps(out))
`,
      );
      lfpRows.push({ impl: `scipy ${scipy.version} fftconvolve(mode='same')[::${design.q}]`, seconds: res.lfp_fft });
      lfpRows.push({ impl: `scipy ${scipy.version} oaconvolve(mode='same')[::${design.q}]`, seconds: res.lfp_oa });
      firRows.push({ impl: `scipy ${scipy.version} fftconvolve(mode='same')`, seconds: res.band_fft });
      firRows.push({ impl: `scipy ${scipy.version} oaconvolve(mode='same')`, seconds: res.band_oa });
      const read = (f) => new Float64Array(readFileSync(join(dir, f)).buffer.slice(0));
      const sub = { data: data.slice(0, acc * cols), rows: acc, cols };
      accuracy.push({
        output: 'lfp vs fftconvolve[::q], 2 s',
        'max|diff|/RMS': maxAbsOverRms(lfp(sub, { fs }).data.data, read('lfp_ref.f64')),
        goal: 1e-6,
      });
      accuracy.push({
        output: 'firFilter vs fftconvolve, 2 s',
        'max|diff|/RMS': maxAbsOverRms(firFilter(band, sub).data, read('band_ref.f64')),
        goal: 1e-6,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    notes.push('scipy baseline skipped: no python3 with numpy and scipy (apt-get install python3-scipy)');
  }
  for (const table of [lfpRows, firRows]) {
    const best = Math.min(...table.filter((r) => r.impl.startsWith('scipy')).map((r) => r.seconds));
    for (const r of table) {
      r['Msamples/s'] = samples / r.seconds / 1e6;
      r['x best scipy'] = Number.isFinite(best) ? best / r.seconds : 'n/a';
    }
  }
  return {
    tables: [
      { title: `LFP (30 kHz -> 1 kHz), ${cols} ch × ${seconds} s float32`, rows: lfpRows },
      { title: `zero-phase FIR, 201-tap band-pass, ${cols} ch × ${seconds} s float32`, rows: firRows },
      ...(accuracy.length ? [{ title: 'accuracy vs scipy (float64)', rows: accuracy }] : []),
    ],
    notes,
    summary: [
      ...versusBaseline(`lfp ${cols} ch`, lfpRows, (impl) => impl.startsWith('scipy')),
      ...versusBaseline(`firFilter ${cols} ch`, firRows, (impl) => impl.startsWith('scipy')),
    ],
  };
}
