// decimate(x, 10) on 64 channels of float32 at 30 kHz, IIR (Chebyshev I, order 8, zero phase:
// sosfiltfilt) and FIR (Hamming, 201 taps), against scipy.signal.decimate(x, 10, axis=0) on the
// same data in the same run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { decimate } from '@spyglass-wasm/dsp-wasm';
import { benchSignal, findScipy, maxAbsOverRms, runPython, timeIt, versusBaseline } from '../lib/harness.mjs';

export const name = 'dsp-decimate';

const fs = 30000;
const cols = 64;
const q = 10;
const seconds = Number(process.env.BENCH_DECIMATE_SECONDS ?? 20);
const rows = fs * seconds;

export async function run() {
  const data = benchSignal(rows, cols);
  const x = { data, rows, cols };
  const samples = rows * cols;
  const table = [
    { impl: `wasm decimate(x, ${q}) (iir, default call)`, seconds: await timeIt(() => decimate(x, q)) },
    { impl: `wasm decimate(x, ${q}, { ftype: 'fir' })`, seconds: await timeIt(() => decimate(x, q, { ftype: 'fir' })) },
  ];
  const accuracy = [];
  const notes = [];
  const scipy = findScipy();
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-dec-'));
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      const acc = 2 * fs;
      const res = runPython(
        scipy.python,
        `
import json, time, numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
def t(f, n=3):
    ts = []
    for i in range(n):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[n // 2]
out = {'iir': t(lambda: sig.decimate(x, ${q}, axis=0)), 'fir': t(lambda: sig.decimate(x, ${q}, ftype='fir', axis=0))}
xs = x[:${acc}].astype(np.float64)
sig.decimate(xs, ${q}, axis=0).tofile(d + '/iir.f64')
sig.decimate(xs, ${q}, ftype='fir', axis=0).tofile(d + '/fir.f64')
print(json.dumps(out))
`,
      );
      table.splice(1, 0, { impl: `scipy ${scipy.version} decimate(x, ${q}, axis=0)`, seconds: res.iir });
      table.push({ impl: `scipy ${scipy.version} decimate(x, ${q}, ftype='fir', axis=0)`, seconds: res.fir });
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    notes.push('scipy baseline skipped: no python3 with numpy and scipy (apt-get install python3-scipy)');
  }
  // Each wasm row against the scipy row of the same filter type.
  const scipyOf = (r) =>
    table.find((s) => s.impl.startsWith('scipy') && s.impl.includes('fir') === r.impl.includes('fir'));
  for (const r of table) {
    r['Msamples/s'] = samples / r.seconds / 1e6;
    r['x scipy'] = scipyOf(r) ? scipyOf(r).seconds / r.seconds : 'n/a';
  }
  return {
    tables: [
      { title: `decimate by ${q}, ${cols} ch × ${seconds} s float32 at 30 kHz`, rows: table },
      ...(accuracy.length ? [{ title: 'accuracy vs scipy', rows: accuracy }] : []),
    ],
    notes,
    summary: [
      ...versusBaseline(
        `decimate ${cols} ch (iir)`,
        table.filter((r) => !r.impl.includes('fir')),
        (impl) => impl.startsWith('scipy'),
      ),
      ...versusBaseline(
        `decimate ${cols} ch (fir)`,
        table.filter((r) => r.impl.includes('fir')),
        (impl) => impl.startsWith('scipy'),
      ),
    ],
  };
}
