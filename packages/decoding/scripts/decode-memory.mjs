// Peak RSS of the process and CPU of the decode (from the decode call on) over a decoded span, each
// case in a fresh process:
//   node --expose-gc packages/decoding/scripts/decode-memory.mjs <case> <seconds> [repo root]
//   clusterless  decodeClusterless(inChunks) on simulated marks (20 units, two 4-feature groups)
//   join | stats the decode step's error bookkeeping over a sorted inChunks decode: the chunks'
//                decodingError parts kept and joined (joinDecodingErrors), or added to DecodingErrorStats
// [repo root] (default: this checkout) picks the build whose dist/ is measured, e.g. main's.
import { fileURLToPath } from 'node:url';

const [what, secondsArg, rootArg] = process.argv.slice(2);
const root = rootArg ?? fileURLToPath(new URL('../../..', import.meta.url));
const dist = (pkg) => import(`${root}/packages/${pkg}/dist/index.js`);
const [{ simulatePlaceSession }, { createRng }, d] = await Promise.all([dist('sim'), dist('core'), dist('decoding')]);
const span = Number(secondsArg);
if (!['clusterless', 'join', 'stats'].includes(what) || !(span > 0))
  throw new Error('usage: decode-memory.mjs clusterless|join|stats <decoded seconds> [repo root]');
let cpu0; // when the decode starts
let out;
if (what === 'clusterless') {
  const s = simulatePlaceSession({ seed: 9, seconds: 120 + span, nUnits: 20 });
  const rng = createRng(3);
  const groups = [0, 1].map((g) => {
    const times = [],
      marks = [];
    s.units.forEach((u, i) => {
      if (i % 2 !== g) return;
      for (const t of u.spikeTimes) {
        times.push(t);
        for (let j = 0; j < 4; j++) marks.push(40 + ((7 * i * (j + 1)) % 60) + 3 * rng.normal());
      }
    });
    const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
    const data = Float64Array.from(order.flatMap((i) => marks.slice(4 * i, 4 * i + 4)));
    return { times: Float64Array.from(order, (i) => times[i]), marks: { data, rows: order.length, cols: 4 } };
  });
  const model = d.fitClusterless({ position: s.position, positionTimes: s.times, interval: [0, 120] }, groups);
  cpu0 = process.cpuUsage();
  const r = d.decodeClusterless(model, groups, { start: 120, stop: 120 + span, inChunks: true });
  let bins = 0;
  for (const c of r.chunks) bins += c.time.length;
  out = { bins, positionBins: r.env.nBins, logMarginal: r.logMarginal };
} else {
  const s = simulatePlaceSession({ seed: 4, seconds: 60 + span, nUnits: 20 });
  const spikes = s.units.map((u) => u.spikeTimes);
  const model = d.fitSortedSpikes({ position: s.position, positionTimes: s.times, interval: [0, 60] }, spikes);
  cpu0 = process.cpuUsage();
  const r = d.decodeSortedSpikes(model, spikes, { start: 60, stop: 60 + span, inChunks: true });
  const parts = [],
    stats = what === 'stats' ? new d.DecodingErrorStats(r.bins.nTime) : undefined;
  for (const c of r.chunks)
    for (const m of [c.map, c.mean]) {
      const e = d.decodingError(c.time, m, s.times, s.position);
      if (stats) stats.add(e);
      else parts.push(e);
    }
  const e = stats ? stats.summary() : d.joinDecodingErrors(parts);
  out = { bins: r.bins.nTime, median: e.median, mean: e.mean };
}
const cpu = process.cpuUsage(cpu0);
const peakMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(
  JSON.stringify({ case: what, seconds: span, peakMB, cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), ...out }),
);
