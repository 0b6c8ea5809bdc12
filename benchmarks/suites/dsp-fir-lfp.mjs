// FIR filtering side by side with scipy in one run, 64 channels of float32 at 30 kHz, rounds
// interleaved (lib/interleave.mjs): lfp() (Kaiser FIR 400/425 Hz, 120 dB, 9367 taps, zero phase,
// decimated to 1 kHz in the same pass) against scipy.signal.fftconvolve(mode='same', axes=0)[::30],
// and firFilter with a 201-tap band-pass at full rate against the same scipy call. BENCH_LONG=1
// adds oaconvolve (slower than fftconvolve here) and 60 s instead of 20 s.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { firFilter, firwin, lfp, lfpDesign } from '@spyglass-wasm/dsp-wasm';
import { benchLong, benchSignal, findScipy, maxAbsOverRms, versusBaseline } from '../lib/harness.mjs';
import { interleave, startPython } from '../lib/interleave.mjs';

export const name = 'dsp-fir-lfp';

const fs = 30000;
const cols = 64;
const seconds = Number(process.env.BENCH_FIR_SECONDS ?? (benchLong ? 60 : 20));
const rows = fs * seconds;

export async function run() {
  const data = benchSignal(rows, cols);
  const x = { data, rows, cols };
  const design = lfpDesign({ fs });
  const band = firwin(201, [300, 6000], { fs, pass_zero: false });
  const samples = rows * cols;
  const ourLfp = {
    name: `wasm lfp(x, { fs }) (${design.taps.length} taps, q = ${design.q})`,
    run: () => lfp(x, { fs }),
  };
  const ourFir = { name: 'wasm firFilter(201 taps, x) (zero phase)', run: () => firFilter(band, x) };
  let lfpRows, firRows;
  const accuracy = [];
  const notes = [];
  const scipy = findScipy();
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-fir-'));
    const py = startPython(scipy.python);
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      writeFileSync(join(dir, 'lfp.f64'), Buffer.from(design.taps.buffer));
      writeFileSync(join(dir, 'band.f64'), Buffer.from(band.buffer));
      const acc = 2 * fs;
      await py.exec(`
import numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
h = np.fromfile(d + '/lfp.f64')[:, None]
b = np.fromfile(d + '/band.f64')[:, None]
xs = x[:${acc}].astype(np.float64)
sig.fftconvolve(xs, h, mode='same', axes=0)[::${design.q}].tofile(d + '/lfp_ref.f64')
sig.fftconvolve(xs, b, mode='same', axes=0).tofile(d + '/band_ref.f64')
`);
      const v = scipy.version;
      const sLfp = `scipy ${v} fftconvolve(mode='same')[::${design.q}]`;
      const sFir = `scipy ${v} fftconvolve(mode='same')`;
      const extra = benchLong
        ? [
            {
              name: `scipy ${v} oaconvolve(mode='same')[::${design.q}]`,
              python: `sig.oaconvolve(x, h, mode='same', axes=0)[::${design.q}]`,
            },
            { name: `scipy ${v} oaconvolve(mode='same')`, python: "sig.oaconvolve(x, b, mode='same', axes=0)" },
          ]
        : [];
      const t = await interleave(
        [
          ourLfp,
          { name: sLfp, python: `sig.fftconvolve(x, h, mode='same', axes=0)[::${design.q}]` },
          ourFir,
          { name: sFir, python: "sig.fftconvolve(x, b, mode='same', axes=0)" },
          ...extra,
        ],
        { py },
      );
      lfpRows = [
        { impl: ourLfp.name, seconds: t[ourLfp.name].seconds, ratio: t.ratio(ourLfp.name, sLfp) },
        { impl: sLfp, seconds: t[sLfp].seconds },
      ];
      firRows = [
        { impl: ourFir.name, seconds: t[ourFir.name].seconds, ratio: t.ratio(ourFir.name, sFir) },
        { impl: sFir, seconds: t[sFir].seconds },
      ];
      if (benchLong) {
        lfpRows.push({ impl: extra[0].name, seconds: t[extra[0].name].seconds });
        firRows.push({ impl: extra[1].name, seconds: t[extra[1].name].seconds });
      }
      const read = (f) => new Float64Array(readFileSync(join(dir, f)).buffer.slice(0));
      const sub = { data: data.slice(0, acc * cols), rows: acc, cols };
      const f64 = { precision: 'float64' };
      accuracy.push({
        output: `lfp default call (float32 arithmetic) vs float64, all ${seconds} s`,
        'max|diff|/RMS': maxAbsOverRms(
          lfp(x, { fs }).data.data,
          firFilter(design.taps, x, { decimate: design.q, ...f64 }).data,
        ),
        goal: 1e-4,
      });
      accuracy.push({
        output: "lfp (float64: 2 s is below the float32 trial's minimum) vs fftconvolve[::q], 2 s",
        'max|diff|/RMS': maxAbsOverRms(lfp(sub, { fs }).data.data, read('lfp_ref.f64')),
        goal: 1e-6,
      });
      accuracy.push({
        output: `firFilter default call (float32 arithmetic) vs float64, all ${seconds} s`,
        'max|diff|/RMS': maxAbsOverRms(firFilter(band, x).data, firFilter(band, x, f64).data),
        goal: 1e-4,
      });
      accuracy.push({
        output: "firFilter, precision: 'float64', vs fftconvolve, 2 s",
        'max|diff|/RMS': maxAbsOverRms(firFilter(band, sub, f64).data, read('band_ref.f64')),
        goal: 1e-6,
      });
    } finally {
      py.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const t = await interleave([ourLfp, ourFir]);
    lfpRows = [{ impl: ourLfp.name, seconds: t[ourLfp.name].seconds }];
    firRows = [{ impl: ourFir.name, seconds: t[ourFir.name].seconds }];
    notes.push('scipy baseline skipped: no python3 with numpy and scipy (apt-get install python3-scipy)');
  }
  for (const table of [lfpRows, firRows]) {
    const best = Math.min(...table.filter((r) => r.impl.startsWith('scipy')).map((r) => r.seconds));
    for (const r of table) {
      r['Msamples/s'] = samples / r.seconds / 1e6;
      r['x fftconvolve'] = Number.isFinite(best) ? (r.ratio ?? best / r.seconds) : 'n/a';
    }
  }
  const strip = (rs) => rs.map(({ ratio: _, ...r }) => r);
  return {
    tables: [
      { title: `LFP (30 kHz -> 1 kHz), ${cols} ch × ${seconds} s float32`, rows: strip(lfpRows) },
      { title: `zero-phase FIR, 201-tap band-pass, ${cols} ch × ${seconds} s float32`, rows: strip(firRows) },
      ...(accuracy.length
        ? [{ title: 'accuracy (vs scipy in float64, and the default float32 arithmetic vs float64)', rows: accuracy }]
        : []),
    ],
    notes,
    summary: [
      ...versusBaseline(`lfp ${cols} ch`, lfpRows, (impl) => impl.startsWith('scipy'), { [ourLfp.name]: '>= 5x' }),
      ...versusBaseline(`firFilter ${cols} ch`, firRows, (impl) => impl.startsWith('scipy'), {
        [ourFir.name]: '>= 5x',
      }),
    ],
  };
}
