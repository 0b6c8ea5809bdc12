// Bandpass sosfiltfilt (butter 4, 300–6000 Hz, 30 kHz) on 64 channels × 60 s of float32: the
// default call (precision 'auto'), forced float64 and float32, the TypeScript reference, and
// scipy.signal.sosfiltfilt on the same data in the same run, rounds interleaved (lib/interleave.mjs);
// then the worker pool's scaling. 15 s by default (the ratios per sample hold; the default run
// stays within its 15 minutes), 60 s with BENCH_LONG=1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { butter, createFilterPool, sosfiltfilt, sosfiltfiltParallel } from '@spyglass-wasm/dsp-wasm';
import { benchLong, benchSignal, findScipy, maxAbsOverRms, timeIt, versusBaseline } from '../lib/harness.mjs';
import { interleave, startPython } from '../lib/interleave.mjs';

export const name = 'dsp-sosfiltfilt';

const fs = 30000;
const cols = 64;
const seconds = Number(process.env.BENCH_SECONDS ?? (benchLong ? 60 : 15));
const rows = fs * seconds;

export async function run() {
  const sos = butter(4, [300, 6000], { btype: 'bandpass', fs });
  const data = benchSignal(rows, cols);
  const x = { data, rows, cols };
  const samples = rows * cols;
  const notes = [];
  const tables = [];

  // Which arithmetic the default call took: its output equals one of the forced ones bit for bit.
  const yDefault = sosfiltfilt(sos, x).data;
  const y64 = sosfiltfilt(sos, x, { precision: 'float64' }).data;
  const y32 = sosfiltfilt(sos, x, { precision: 'float32' }).data;
  const took = yDefault.every((v, i) => Object.is(v, y32[i]))
    ? 'float32'
    : yDefault.every((v, i) => Object.is(v, y64[i]))
      ? 'float64'
      : '?';

  const out = new Float32Array(data.length);
  const ours = [
    { name: `wasm, default call (precision 'auto' -> ${took})`, run: () => sosfiltfilt(sos, x) },
    { name: "wasm, precision: 'float64'", run: () => sosfiltfilt(sos, x, { precision: 'float64' }) },
    { name: "wasm, precision: 'float32'", run: () => sosfiltfilt(sos, x, { precision: 'float32' }) },
    { name: 'wasm, default call into a reused out array', run: () => sosfiltfilt(sos, x, { out }) },
    {
      name: "wasm, precision: 'float64' into a reused out array",
      run: () => sosfiltfilt(sos, x, { out, precision: 'float64' }),
    },
  ];
  // The TypeScript reference is ~100× slower: timed once on a few seconds, scaled to the whole.
  const refSeconds = Math.min(seconds, 3);
  const refX = { data: data.subarray(0, refSeconds * fs * cols), rows: refSeconds * fs, cols };
  const refTime =
    (await timeIt(() => sosfiltfilt(sos, refX, { backend: 'reference', precision: 'float64' }), {
      repeat: 1,
      warmup: 0,
    })) *
    (seconds / refSeconds);

  const accuracy = [
    {
      output: `default call (${took}) vs wasm float64, all ${seconds} s`,
      'max|diff|/RMS': maxAbsOverRms(yDefault, y64),
      goal: 1e-4,
    },
    { output: "precision 'float32' vs wasm float64, all data", 'max|diff|/RMS': maxAbsOverRms(y32, y64), goal: 1e-4 },
  ];
  const scipy = findScipy();
  const scipyName = scipy ? `scipy ${scipy.version} sosfiltfilt (1 thread)` : null;
  let rowsOut;
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-sff-'));
    const py = startPython(scipy.python);
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      writeFileSync(join(dir, 'sos.f64'), Buffer.from(sos.buffer));
      const accRows = 2 * fs;
      await py.exec(`
import numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
sos = np.fromfile(d + '/sos.f64').reshape(-1, 6)
sig.sosfiltfilt(sos, x[:${accRows}].astype(np.float64), axis=0).tofile(d + '/y.f64')
`);
      // ours and scipy alternate round by round, so the machine's load hits both alike
      const t = await interleave([...ours, { name: scipyName, python: 'sig.sosfiltfilt(sos, x, axis=0)' }], { py });
      rowsOut = [...ours.map((e) => ({ impl: e.name, seconds: t[e.name].seconds, ratio: t.ratio(e.name, scipyName) }))];
      rowsOut.push({ impl: scipyName, seconds: t[scipyName].seconds });
      const yRef = new Float64Array(readFileSync(join(dir, 'y.f64')).buffer.slice(0));
      const sub64 = { data: Float64Array.from(data.subarray(0, accRows * cols)), rows: accRows, cols };
      accuracy.push({
        output: 'Float64Array data (float64) vs scipy, 2 s',
        'max|diff|/RMS': maxAbsOverRms(sosfiltfilt(sos, sub64).data, yRef),
        goal: 1e-9,
      });
      const sub32 = { data: data.slice(0, accRows * cols), rows: accRows, cols };
      accuracy.push({
        output: "float32 data, precision 'float64', vs scipy, 2 s",
        'max|diff|/RMS': maxAbsOverRms(sosfiltfilt(sos, sub32, { precision: 'float64' }).data, yRef),
        goal: 1e-6,
      });
    } finally {
      py.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const t = await interleave(ours);
    rowsOut = ours.map((e) => ({ impl: e.name, seconds: t[e.name].seconds }));
    notes.push(
      'scipy baseline skipped: no python3 with numpy and scipy on this machine (apt-get install python3-scipy)',
    );
  }
  rowsOut.splice(scipy ? -1 : rowsOut.length, 0, {
    impl: `TypeScript reference (float64; ${refSeconds} s, scaled)`,
    seconds: refTime,
  });
  const base = rowsOut.find((r) => r.impl.startsWith('scipy'));
  for (const r of rowsOut) {
    r['Msamples/s'] = samples / r.seconds / 1e6;
    r['x scipy'] = base ? (r.ratio ?? base.seconds / r.seconds) : 'n/a';
  }
  if (base) {
    notes.push(
      `default call ${rowsOut[0]['x scipy'].toFixed(2)}x scipy's sosfiltfilt (goal >= 5x), ` +
        `float64 ${rowsOut[1]['x scipy'].toFixed(2)}x (goal >= 2x), float32 ${rowsOut[2]['x scipy'].toFixed(2)}x ` +
        '(medians of per-round ratios, rounds interleaved)',
    );
  }
  tables.push({
    title: `butter(4, [300, 6000]) sosfiltfilt, ${cols} ch × ${seconds} s float32`,
    rows: rowsOut.map(({ ratio: _, ...r }) => r),
  });
  tables.push({ title: 'accuracy', rows: accuracy });

  // Worker-pool scaling (split by channel blocks).
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const scaling = [];
  for (const size of [...new Set([1, 2, cores])]) {
    const pool = await createFilterPool({ size });
    try {
      const t = await timeIt(() => sosfiltfiltParallel(sos, x, { pool }), { repeat: 1 });
      scaling.push({ workers: size, seconds: t, 'Msamples/s': samples / t / 1e6, speedup: rowsOut[0].seconds / t });
    } finally {
      await pool.terminate();
    }
  }
  tables.push({ title: 'worker pool scaling (vs the default call in the main thread)', rows: scaling });
  const goals = { [rowsOut[0].impl]: '>= 5x', [rowsOut[1].impl]: '>= 2x' };
  const summary = versusBaseline(`sosfiltfilt ${cols} ch`, rowsOut, (impl) => impl.startsWith('scipy'), goals);
  return { tables, notes, summary };
}
