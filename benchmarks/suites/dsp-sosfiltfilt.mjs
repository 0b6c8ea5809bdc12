// Bandpass sosfiltfilt (butter 4, 300–6000 Hz, 30 kHz) on 64 channels × 60 s of float32:
// Wasm vs the TypeScript reference vs scipy.signal.sosfiltfilt on the same data, and the worker
// pool's scaling on 1, 2 and all cores.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { butter, createFilterPool, sosfiltfilt, sosfiltfiltParallel } from '@spyglass-wasm/dsp-wasm';
import { createRng } from '@spyglass-wasm/sim';
import { findScipy, runPython, timeIt } from '../lib/harness.mjs';

export const name = 'dsp-sosfiltfilt';

const fs = 30000;
const cols = 64;
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rows = fs * seconds;

function makeData(n) {
  const rng = createRng(2024);
  const data = new Float32Array(n * cols);
  for (let i = 0; i < data.length; i++) data[i] = 20 * rng.normal() + 50 * Math.sin((i / cols) * 0.002);
  return data;
}

function maxAbsOverRms(a, b) {
  let worst = 0, ss = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    ss += b[i] * b[i];
  }
  return worst / Math.sqrt(ss / a.length);
}

export async function run() {
  const sos = butter(4, [300, 6000], { btype: 'bandpass', fs });
  const data = makeData(rows);
  const x = { data, rows, cols };
  const samples = rows * cols;
  const notes = [];
  const tables = [];

  const tWasm = await timeIt(() => sosfiltfilt(sos, x), { repeat: 3 });
  const tWasm32 = await timeIt(() => sosfiltfilt(sos, x, { precision: 'float32' }), { repeat: 3 });
  const out = new Float32Array(data.length);
  const tWasmOut = await timeIt(() => sosfiltfilt(sos, x, { out }), { repeat: 3 });
  const tWasm32Out = await timeIt(() => sosfiltfilt(sos, x, { precision: 'float32', out }), { repeat: 3 });
  const tRef = await timeIt(() => sosfiltfilt(sos, x, { backend: 'reference' }), { repeat: 1, warmup: 0 });
  const rowsOut = [
    { impl: 'wasm float64 arithmetic (default)', seconds: tWasm, 'Msamples/s': samples / tWasm / 1e6 },
    { impl: "wasm float32 arithmetic (precision: 'float32')", seconds: tWasm32, 'Msamples/s': samples / tWasm32 / 1e6 },
    { impl: 'wasm float64 arithmetic, into a reused out array', seconds: tWasmOut, 'Msamples/s': samples / tWasmOut / 1e6 },
    { impl: "wasm float32 arithmetic, into a reused out array", seconds: tWasm32Out, 'Msamples/s': samples / tWasm32Out / 1e6 },
    { impl: 'TypeScript reference', seconds: tRef, 'Msamples/s': samples / tRef / 1e6 },
  ];

  // scipy on the same data (and the accuracy of both dtypes on a 2 s slice).
  const scipy = findScipy();
  const accuracy = [];
  if (scipy) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-sff-'));
    try {
      writeFileSync(join(dir, 'x.f32'), Buffer.from(data.buffer));
      writeFileSync(join(dir, 'sos.f64'), Buffer.from(sos.buffer));
      const accRows = 2 * fs;
      const res = runPython(scipy.python, `
import json, time, numpy as np, scipy.signal as sig
d = ${JSON.stringify(dir)}
x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(${rows}, ${cols})
sos = np.fromfile(d + '/sos.f64').reshape(-1, 6)
times = []
for i in range(3):
    t0 = time.perf_counter(); sig.sosfiltfilt(sos, x, axis=0); times.append(time.perf_counter() - t0)
sig.sosfiltfilt(sos, x[:${accRows}].astype(np.float64), axis=0).tofile(d + '/y.f64')
print(json.dumps({'seconds': sorted(times)[1]}))
`);
      rowsOut.push({ impl: `scipy ${scipy.version} sosfiltfilt (1 thread)`, seconds: res.seconds, 'Msamples/s': samples / res.seconds / 1e6 });
      const yRef = new Float64Array(readFileSync(join(dir, 'y.f64')).buffer.slice(0));
      const sub32 = { data: data.slice(0, accRows * cols), rows: accRows, cols };
      const sub64 = { data: Float64Array.from(sub32.data), rows: accRows, cols };
      accuracy.push({ dtype: 'float32', 'max|wasm-scipy|/RMS': maxAbsOverRms(sosfiltfilt(sos, sub32).data, yRef), goal: 1e-4 });
      accuracy.push({ dtype: "float32, precision 'float32'", 'max|wasm-scipy|/RMS': maxAbsOverRms(sosfiltfilt(sos, sub32, { precision: 'float32' }).data, yRef), goal: 1e-4 });
      accuracy.push({ dtype: 'float64', 'max|wasm-scipy|/RMS': maxAbsOverRms(sosfiltfilt(sos, sub64).data, yRef), goal: 1e-9 });
      notes.push(
        `wasm vs scipy's sosfiltfilt throughput (goal >= 5x): float64 arithmetic ${(res.seconds / tWasm).toFixed(2)}x ` +
          `(${(res.seconds / tWasmOut).toFixed(2)}x into a reused out array); float32 arithmetic on float32 data ` +
          `${(res.seconds / tWasm32).toFixed(2)}x (${(res.seconds / tWasm32Out).toFixed(2)}x into a reused out array)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    notes.push('scipy baseline skipped: no python3 with numpy and scipy on this machine (apt-get install python3-scipy)');
  }
  for (const r of rowsOut) r['x scipy'] = rowsOut.find((q) => q.impl.startsWith('scipy')) ? rowsOut.find((q) => q.impl.startsWith('scipy')).seconds / r.seconds : 'n/a';
  tables.push({ title: `butter(4, [300, 6000]) sosfiltfilt, ${cols} ch × ${seconds} s float32`, rows: rowsOut });
  if (accuracy.length) tables.push({ title: 'accuracy vs scipy (2 s slice)', rows: accuracy });

  // Worker-pool scaling (split by channel blocks).
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const scaling = [];
  for (const size of [...new Set([1, 2, cores])]) {
    const pool = await createFilterPool({ size });
    try {
      const t = await timeIt(() => sosfiltfiltParallel(sos, x, { pool }), { repeat: 3 });
      scaling.push({ workers: size, seconds: t, 'Msamples/s': samples / t / 1e6, speedup: tWasm / t });
    } finally {
      await pool.terminate();
    }
  }
  tables.push({ title: 'worker pool scaling (vs 1-thread wasm in the main thread)', rows: scaling });
  return { tables, notes };
}
