// Ripple detection (dsp-wasm events), the Wasm FFT kernel against its TypeScript reference in the
// same run: the FFT alone (a power of two, and the recording's length), then Kay's consensus trace
// and the Kay and Karlsson detectors on ripple-band LFP (4 channels of a tetrode at 1 kHz, 150-250
// Hz band, 80 ms ripples every ~2 s) with the envelope FFTs on backend 'wasm' and on 'reference'
// (the same radix-2 butterflies in TypeScript, the same bits).
import { bandFilter, fft, karlssonRippleDetector, kayConsensusTrace, kayRippleDetector } from '@spyglass-wasm/dsp-wasm';
import { createRng } from '@spyglass-wasm/sim';
import { benchLong, timeIt, versus } from '../lib/harness.mjs';

export const name = 'dsp-ripple-detection';

const fs = 1000;
const cols = 4;
const seconds = Number(process.env.BENCH_DETECT_SECONDS ?? (benchLong ? 600 : 120)); // 600 s with BENCH_LONG=1
const rows = fs * seconds;

/** Seeded LFP (µV): noise plus a 180 Hz ripple of 80 ms on every channel at random times ~2 s apart. */
function lfpWithRipples() {
  const rng = createRng(7);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 30 * rng.normal();
  const ripples = [];
  for (let t = 1 + rng.uniform(); t < seconds - 1; t += 1 + 2 * rng.uniform()) ripples.push(t);
  for (const t of ripples)
    for (let r = Math.round((t - 0.04) * fs); r < Math.round((t + 0.04) * fs); r++) {
      const a = 120 * Math.sin((Math.PI * (r / fs - t + 0.04)) / 0.08) * Math.sin(2 * Math.PI * 180 * (r / fs));
      for (let c = 0; c < cols; c++) data[r * cols + c] += a;
    }
  return { x: { data, rows, cols }, ripples };
}

export async function run() {
  const { x, ripples } = lfpWithRipples();
  const band = bandFilter(x, { fs, band: 'ripple' });
  const options = { fs };
  const z = Float64Array.from({ length: 2 * rows }, (_, i) => Math.sin(i * 0.37));
  const pow2 = 1 << Math.ceil(Math.log2(rows));
  const zPow2 = Float64Array.from({ length: 2 * pow2 }, (_, i) => Math.sin(i * 0.37));
  const cases = [
    // the kernel alone: one radix-2 transform, and one of the recording's length (Bluestein on it)
    [`fft n ${pow2} (radix-2)`, (backend) => fft(zPow2.slice(), pow2, { backend })],
    [`fft n ${rows} (Bluestein)`, (backend) => fft(z.slice(), rows, { backend })],
    ['Kay consensus trace', (backend) => kayConsensusTrace(band, [[0, rows]], { fs, sigma: 0.004, backend })],
    ['kayRippleDetector', (backend) => kayRippleDetector(band, { ...options, backend })],
    ['karlssonRippleDetector', (backend) => karlssonRippleDetector(band, { ...options, backend })],
  ];
  const rowsOut = [];
  for (const [step, call] of cases) {
    const wasm = await timeIt(() => call('wasm'));
    const reference = await timeIt(() => call('reference'), { repeat: 1 });
    rowsOut.push({ step, 'wasm s': wasm, 'typescript s': reference, speedup: reference / wasm });
  }
  // both backends find the same events, near the simulated ripples
  const same =
    JSON.stringify(kayRippleDetector(band, options)) ===
    JSON.stringify(kayRippleDetector(band, { ...options, backend: 'reference' }));
  const events = kayRippleDetector(band, options);
  const found = ripples.filter((t) => events.some((e) => e.start <= t && t <= e.end)).length;
  return {
    summary: rowsOut.map((r) =>
      versus(
        `ripple detection: ${r.step}, ${cols} ch x ${seconds} s`,
        r['wasm s'],
        'TypeScript reference',
        r['typescript s'],
      ),
    ),
    tables: [
      {
        title: `ripple detection, ${cols} ch x ${seconds} s at ${fs} Hz, envelope FFT Wasm vs TypeScript`,
        rows: rowsOut,
      },
    ],
    notes: [
      `Kay events: ${events.length}; ${found} of ${ripples.length} simulated ripples inside one; ` +
        `same events on both backends: ${same ? 'yes' : 'NO'}`,
    ],
  };
}
