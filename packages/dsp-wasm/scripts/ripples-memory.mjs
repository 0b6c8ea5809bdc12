// Peak RSS and CPU of detectRipplesInWindows over a long LFP, in a fresh process per case:
//   [DETECTOR=karlsson] node packages/dsp-wasm/scripts/ripples-memory.mjs <minutes> <arrays|readers> [repo root]
// A 4-channel 1 kHz LFP (noise and a 180 Hz ripple every 0.7 s, running 20 s of every 2 min) made row by
// row as the windows ask for it, so only the detector's own memory grows with the duration. `arrays`
// passes times and speed whole (the ripples step before), `readers` a window at a time (readTime,
// readSpeed; builds before 2026-12-07 have no readers). [repo root] (default: this checkout) picks the build measured.
// TRACE_BUDGET=<bytes> sets traceBudget (0: every window band-passed again in the second pass);
// DETECTOR=karlsson runs Karlsson's detector (default kay).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [minutes, how, rootArg] = process.argv.slice(2);
const detector = process.env.DETECTOR ?? 'kay';
const root = rootArg ?? fileURLToPath(new URL('../../..', import.meta.url));
const { detectRipplesInWindows } = await import(`${root}/packages/dsp-wasm/dist/index.js`);
if (!(Number(minutes) > 0) || !['arrays', 'readers'].includes(how) || !['kay', 'karlsson'].includes(detector))
  throw new Error('usage: [DETECTOR=kay|karlsson] ripples-memory.mjs <minutes> arrays|readers [repo root]');
const fs = 1000,
  cols = 4,
  rows = Math.round(Number(minutes) * 60 * fs);
/** A fixed pseudo-random value in [-0.5, 0.5) per sample. */
function noise(i) {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 2 ** 32 - 0.5;
}
function read(a, b) {
  const out = new Float32Array((b - a) * cols);
  for (let r = a; r < b; r++) {
    const t = r / fs,
      ripple = Math.exp(-0.5 * (((t % 0.7) - 0.35) / 0.015) ** 2);
    for (let c = 0; c < cols; c++)
      out[(r - a) * cols + c] = 30 * noise(r * cols + c) + 20 * ripple * Math.sin(2 * Math.PI * 180 * t + c);
  }
  return out;
}
const timesOf = (a, b) => Float64Array.from({ length: b - a }, (_, i) => (a + i) / fs);
const speedAt = (time) => Float64Array.from(time, (t) => (t % 120 < 20 ? 20 : 1));
const options = {
  fs,
  band: { band: [150, 250], transition: 25 },
  detector,
  ...(process.env.TRACE_BUDGET ? { traceBudget: Number(process.env.TRACE_BUDGET) } : {}),
  ...(how === 'arrays'
    ? { time: timesOf(0, rows), speed: speedAt(timesOf(0, rows)) }
    : { readTime: timesOf, readSpeed: (a, b, time) => speedAt(time) }),
};
const cpu0 = process.cpuUsage();
const events = await detectRipplesInWindows({ rows, cols, read }, options);
const cpu = process.cpuUsage(cpu0);
const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  `${detector}, ${minutes} min, ${how}: ${events.length} events, peak RSS ${Math.round(Number(hwm?.[1]) / 1024)} MB, ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s; first event ${events[0]?.startIndex}, z ${events[0]?.maxZscore}, ` +
    `events' digest ${createHash('sha256').update(JSON.stringify(events)).digest('hex').slice(0, 12)}`,
);
