// decimate(x, 10) on 64 channels of float32 at 30 kHz, IIR (Chebyshev I, order 8, zero phase:
// sosfiltfilt) and FIR (Hamming, 201 taps), against scipy.signal.decimate(x, 10, axis=0) on the
// same data in the same run, rounds interleaved (lib/interleave.mjs). 20 s by default, 60 s with
// BENCH_LONG=1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { decimate } from '@spyglass-wasm/dsp-wasm';
import { benchLong, benchSignal, findScipy, maxAbsOverRms, versusBaseline } from '../lib/harness.mjs';
import { interleave, startPython } from '../lib/interleave.mjs';

export const name = 'dsp-decimate';

const fs = 30000;
const cols = 64;
const q = 10;
const seconds = Number(process.env.BENCH_DECIMATE_SECONDS ?? (benchLong ? 60 : 20));
const rows = fs * seconds;

export async function run() {
  const data = benchSignal(rows, cols);
  const x = { data, rows, cols };
  const samples = rows * cols;
  const iir = { name: `wasm decimate(x, ${q}) (iir, default call)`, run: () => decimate(x, q) };
  const fir = { name: `wasm decimate(x, ${q}, { ftype: 'fir' })`, run: () => decimate(x, q, { ftype: 'fir' }) };
  const accuracy = [];
  const notes = [];
  const scipy = findScipy();
  let table;
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-dec-'));
    const py = startPython(scipy.python);
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      const acc = 2 * fs;
      await py.exec(`
import numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
xs = x[:${acc}].astype(np.float64)
sig.decimate(xs, ${q}, axis=0).tofile(d + '/iir.f64')
sig.decimate(xs, ${q}, ftype='fir', axis=0).tofile(d + '/fir.f64')
`);
      const sIir = `scipy ${scipy.version} decimate(x, ${q}, axis=0)`;
      const sFir = `scipy ${scipy.version} decimate(x, ${q}, ftype='fir', axis=0)`;
      const t = await interleave(
        [
          iir,
          { name: sIir, python: `sig.decimate(x, ${q}, axis=0)` },
          fir,
          { name: sFir, python: `sig.decimate(x, ${q}, ftype='fir', axis=0)` },
        ],
        { py },
      );
      table = [
        { impl: iir.name, seconds: t[iir.name].seconds, ratio: t.ratio(iir.name, sIir) },
        { impl: sIir, seconds: t[sIir].seconds },
        { impl: fir.name, seconds: t[fir.name].seconds, ratio: t.ratio(fir.name, sFir) },
        { impl: sFir, seconds: t[sFir].seconds },
      ];
      const read = (f) => new Float64Array(readFileSync(join(dir, f)).buffer.slice(0));
      const sub = { data: Float64Array.from(data.subarray(0, acc * cols)), rows: acc, cols };
      accuracy.push({
        output: 'iir, Float64Array data, 2 s',
        'max|diff|/RMS': maxAbsOverRms(decimate(sub, q).data, read('iir.f64')),
        goal: 1e-9,
      });
      accuracy.push({
        output: 'fir, Float64Array data, 2 s',
        'max|diff|/RMS': maxAbsOverRms(decimate(sub, q, { ftype: 'fir' }).data, read('fir.f64')),
        goal: 1e-9,
      });
      const sub32 = { data: data.slice(0, acc * cols), rows: acc, cols };
      accuracy.push({
        output: 'iir, Float32Array data, 2 s (too short for float32: float64)',
        'max|diff|/RMS': maxAbsOverRms(decimate(sub32, q).data, read('iir.f64')),
        goal: 1e-6,
      });
      // The default call on the whole recording may take float32 arithmetic (or 'mixed': forward
      // pass only); against the same data in float64, the float32 budget.
      accuracy.push({
        output: `iir, Float32Array data (default call), ${seconds} s, vs float64`,
        'max|diff|/RMS': maxAbsOverRms(
          decimate(x, q).data,
          decimate({ data: Float64Array.from(data), rows, cols }, q).data,
        ),
        goal: 1e-4,
      });
    } finally {
      py.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const t = await interleave([iir, fir]);
    table = [iir, fir].map((e) => ({ impl: e.name, seconds: t[e.name].seconds }));
    notes.push('scipy baseline skipped: no python3 with numpy and scipy (apt-get install python3-scipy)');
  }
  // Each wasm row against the scipy row of the same filter type.
  const scipyOf = (r) =>
    table.find((s) => s.impl.startsWith('scipy') && s.impl.includes('fir') === r.impl.includes('fir'));
  for (const r of table) {
    r['Msamples/s'] = samples / r.seconds / 1e6;
    r['x scipy'] = scipyOf(r) ? (r.ratio ?? scipyOf(r).seconds / r.seconds) : 'n/a';
  }
  return {
    tables: [
      {
        title: `decimate by ${q}, ${cols} ch × ${seconds} s float32 at 30 kHz`,
        rows: table.map(({ ratio: _, ...r }) => r),
      },
      ...(accuracy.length ? [{ title: 'accuracy vs scipy', rows: accuracy }] : []),
    ],
    notes,
    summary: [
      ...versusBaseline(
        `decimate ${cols} ch (iir)`,
        table.filter((r) => !r.impl.includes('fir')),
        (impl) => impl.startsWith('scipy'),
        { [iir.name]: '>= 5x' },
      ),
      ...versusBaseline(
        `decimate ${cols} ch (fir)`,
        table.filter((r) => r.impl.includes('fir')),
        (impl) => impl.startsWith('scipy'),
        { [fir.name]: '>= 5x' },
      ),
    ],
  };
}
