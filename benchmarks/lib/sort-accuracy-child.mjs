// One hard-regime sorting in a fresh process: node sort-accuracy-child.mjs <regime> <seed>
// Sorts the simulator's regime (sortingRegime) with sortGroup, scores it against the truth
// (SpikeForest accuracy) and curates it with the default rules (autoCurate on qualityMetrics).
// Prints { units, accepted, trueUnits, accuracy[], rates[], cpuSeconds } as JSON.
import { simulateRecording, sortingRegime } from '@spyglass-wasm/sim';
import { autoCurate, compareToTruth, neighboursWithin, qualityMetrics, sortGroup, startCuration } from '@spyglass-wasm/spike-sort';

const [regime, seedArg] = process.argv.slice(2);
const spec = sortingRegime(regime, { seed: Number(seedArg) });
const rec = simulateRecording(spec);
const probe = rec.channels > 4;
const cpu0 = process.cpuUsage();
const sorting = sortGroup({ data: rec.data, rows: rec.rows, cols: rec.channels }, {
  fs: rec.fs,
  ...(probe ? { band: [300, 6000], neighbours: neighboursWithin(Array.from({ length: rec.channels }, (_, c) => [0, 25 * c]), 100) } : {}),
});
const used = process.cpuUsage(cpu0);
const sortedTimes = sorting.units.map((u) => Float64Array.from(u.samples, (s) => s / rec.fs));
const scores = compareToTruth(rec.units.map((u) => u.spikeTimes), sortedTimes);
const { labels } = autoCurate(startCuration(sortedTimes), qualityMetrics(sorting, rec.fs, spec.seconds));
console.log(JSON.stringify({
  units: sorting.units.length,
  accepted: labels.filter((l) => l === 'accept').length,
  trueUnits: rec.units.length,
  accuracy: scores.map((s) => s.accuracy),
  acceptedMatch: scores.map((s) => s.sortedUnit >= 0 && labels[s.sortedUnit] === 'accept'),
  rates: rec.units.map((u) => u.spikeTimes.length / spec.seconds),
  cpuSeconds: (used.user + used.system) / 1e6,
}));
