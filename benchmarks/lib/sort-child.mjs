// One sorting measurement in a fresh process, so its peak RSS is its own:
//   node sort-child.mjs <whole|stream> <seconds> <channelsPerGroup> <groups>
// Prints { seconds, units, spikes, peakRssMiB } as JSON.
import { neighboursWithin, sortGroup, sortStream } from '@spyglass-wasm/spike-sort';
import { simulateStream } from '@spyglass-wasm/sim';

const [mode, secondsArg, channelsArg, groupsArg] = process.argv.slice(2);
const seconds = Number(secondsArg),
  channels = Number(channelsArg),
  groups = Number(groupsArg);
const t0 = performance.now();
let units = 0,
  spikes = 0;
for (let g = 0; g < groups; g++) {
  // A probe shank or a tetrode: its own recording (8 units on a tetrode, 6 per 8-channel shank).
  const rec = simulateStream({ seed: 100 + g, seconds, channels, units: channels <= 4 ? 8 : 6 });
  // Probe shanks: 300–6000 Hz and detection exclusion within 100 µm (25 µm pitch), as sortNwb does.
  const options =
    channels > 4
      ? {
          band: [300, 6000],
          neighbours: neighboursWithin(
            {
              data: Float64Array.from({ length: 2 * channels }, (_, i) => (i % 2) * 25 * (i >> 1)),
              rows: channels,
              cols: 2,
            },
            { radius: 100 },
          ),
        }
      : {};
  const sorting =
    mode === 'whole' ? sortGroup(rec.read(0, rec.rows), { fs: rec.fs, ...options }) : sortStream(rec, options);
  units += sorting.units.length;
  spikes += sorting.units.reduce((n, u) => n + u.samples.length, 0);
}
const elapsed = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds: elapsed, units, spikes, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
