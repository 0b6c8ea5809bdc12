// One hard-regime sorting in a fresh process: node sort-accuracy-child.mjs <regime> <seed>
// Sorts the simulator's regime (sortingRegime) with sortGroup, scores it against the truth
// (SpikeForest accuracy) and curates it with the default rules (autoCurate on qualityMetrics, then
// labelCollisions).
// Prints { units, unmerged, merged, accepted, trueUnits, fragments, candidates, collisions, accuracy[], rates[],
// cpuSeconds } as JSON
// (fragments: sorted units that are a piece of a true unit matched elsewhere; candidates: pairs
// mergeCandidates flags; collisions: units labelled noise as two units' synchronous spikes), and
// a diagnosis: per true unit its match, accuracy and label; per accepted unit with no true match,
// why it was accepted (split of a true unit, a collision of two, or noise).
import { searchSorted } from '@spyglass-wasm/core';
import { simulateRecording, sortingRegime } from '@spyglass-wasm/sim';
import {
  autoCurate,
  autoMerge,
  compareToTruth,
  DEFAULT_CURATION_RULES,
  labelCollisions,
  mergeCandidates,
  neighboursWithin,
  qualityMetrics,
  sortGroup,
  startCuration,
} from '@spyglass-wasm/spike-sort';

const [regime, seedArg] = process.argv.slice(2);
const spec = sortingRegime(regime, { seed: Number(seedArg) });
const rec = simulateRecording(spec);
const probe = rec.channels > 4;
const cpu0 = process.cpuUsage();
// sortGroup's own merge step, run apart so the merges can be counted (the same result)
const neighbours = neighboursWithin(
  {
    data: Float64Array.from({ length: 2 * rec.channels }, (_, i) => (i % 2) * 25 * (i >> 1)),
    rows: rec.channels,
    cols: 2,
  },
  { radius: 100 },
);
const unmerged = sortGroup(
  { data: rec.data, rows: rec.rows, cols: rec.channels },
  { fs: rec.fs, autoMerge: false, ...(probe ? { band: [300, 6000], neighbours } : {}) },
);
const { sorting, groups } = autoMerge(unmerged, {
  fs: rec.fs,
  duration: spec.seconds,
  pieces: probe,
  ...(probe ? { neighbours } : {}),
});
const used = process.cpuUsage(cpu0);
const sortedTimes = sorting.units.map((u) => Float64Array.from(u.samples, (s) => s / rec.fs));
const scores = compareToTruth(
  rec.units.map((u) => u.spikeTimes),
  sortedTimes,
);
// Over-split fragments: sorted units not matched to a true unit whose spikes are mostly (≥ 50 %)
// one true unit's (that unit is then in two or more pieces).
const matched = new Set(scores.map((s) => s.sortedUnit));
const fragments = sortedTimes.filter(
  (t, j) => !matched.has(j) && rec.units.some((u) => compareToTruth([u.spikeTimes], [t])[0].tp >= 0.5 * t.length),
).length;
const candidates = mergeCandidates(
  sorting.units.map((u) => u.template),
  sortedTimes,
  { duration: spec.seconds },
).length;
const metrics = qualityMetrics(sorting, { fs: rec.fs, duration: spec.seconds });
const { labels } = labelCollisions(autoCurate(startCuration(sortedTimes), metrics), sorting.units);
const truth = rec.units.map((u) => u.spikeTimes);
// Fraction of a sorted unit's spikes within 1 ms of a true unit's (wider than the scoring's 0.4 ms:
// what template subtraction leaves behind sits off the true time).
const near = (t, u) => {
  let n = 0;
  for (const x of t) {
    const s = truth[u],
      i = searchSorted(s, x - 0.001);
    if (i < s.length && s[i] <= x + 0.001) n++;
  }
  return n / (t.length || 1);
};
// The rule that labelled a unit (noise rules first, as autoCurate), or its collision.
const ruleOf = (j) => {
  if (sorting.units[j].collisionOf) return `collision of ${sorting.units[j].collisionOf.join(' and ')}`;
  const rules = [...DEFAULT_CURATION_RULES].sort((a, b) => (b.label === 'noise') - (a.label === 'noise'));
  const r = rules.find(
    (r) => autoCurate(startCuration([sortedTimes[j]]), [metrics[j]], { rules: [r] }).labels[0] !== 'accept',
  );
  return r ? (r.test ? `${r.label}: ISI test` : `${r.label}: ${r.metric} ${round(metrics[j][r.metric])}`) : '';
};
const metricsOf = (j) => ({
  label: labels[j],
  spikes: sortedTimes[j].length,
  snr: round(sorting.units[j].snr),
  isi: `${metrics[j].isiViolationsCount} (${round(metrics[j].isiViolationsRatio)})`,
  noiseOverlap: round(metrics[j].nnNoiseOverlap),
});
const diagnosis = [
  ...scores.map((s) => ({
    unit: `true ${s.trueUnit} (${(truth[s.trueUnit].length / spec.seconds).toFixed(1)} Hz)`,
    match: s.sortedUnit,
    accuracy: round(s.accuracy),
    ...(s.sortedUnit >= 0
      ? metricsOf(s.sortedUnit)
      : { label: 'missed', spikes: '', snr: '', isi: '', noiseOverlap: '' }),
    why: s.sortedUnit >= 0 ? ruleOf(s.sortedUnit) : 'no sorted unit',
  })),
  ...sortedTimes.flatMap((t, j) => {
    if (matched.has(j) || labels[j] !== 'accept') return [];
    const f = truth.map((_, u) => near(t, u));
    const order = f.map((_, u) => u).sort((a, b) => f[b] - f[a]);
    const [a, b] = order;
    const why = sorting.units[j].collisionOf
      ? 'collision (labelled)'
      : f[a] >= 0.5 && b !== undefined && f[b] >= 0.3
        ? `collision of ${a} and ${b} (${round(f[a])}, ${round(f[b])})`
        : f[a] >= 0.5
          ? `split of ${a} (${round(f[a])} of its spikes)`
          : `noise (${round(1 - f[a])} of its spikes on no true unit)`;
    return [{ unit: `sorted ${j}`, match: '', accuracy: '', ...metricsOf(j), why }];
  }),
];
console.log(
  JSON.stringify({
    units: sorting.units.length,
    unmerged: unmerged.units.length,
    merged: groups.reduce((n, g) => n + g.length - 1, 0),
    accepted: labels.filter((l) => l === 'accept').length,
    trueUnits: rec.units.length,
    fragments,
    candidates,
    collisions: sorting.units.filter((u) => u.collisionOf).length,
    accuracy: scores.map((s) => s.accuracy),
    diagnosis,
    acceptedMatch: scores.map((s) => s.sortedUnit >= 0 && labels[s.sortedUnit] === 'accept'),
    rates: rec.units.map((u) => u.spikeTimes.length / spec.seconds),
    cpuSeconds: (used.user + used.system) / 1e6,
  }),
);

function round(v) {
  return Math.round(v * 100) / 100;
}
