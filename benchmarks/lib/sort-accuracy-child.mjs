// One hard-regime sorting in a fresh process: node sort-accuracy-child.mjs <regime> <seed>
// Sorts the simulator's regime (sortingRegime), or with `tetrode-fixture` each tetrode of the bundled
// tetrode-session.nwb, with sortGroup, scores it against the truth (SpikeForest accuracy) and
// curates it with the default rules (autoCurate on qualityMetrics, then labelCollisions).
// Prints { units, unmerged, merged, refused, leftApart, accepted, acceptedUnmerged, trueUnits, fragments,
// candidates, collisions, accuracy[], accuracyUnmerged[], rates[], cpuSeconds } as JSON
// (merged: units joined by autoMerge; refused / leftApart: its candidate pairs whose merge was refused
// (joined unit contaminated or with two amplitude modes) / left apart for any reason; fragments:
// sorted units that are a piece of a true unit matched elsewhere; candidates: pairs mergeCandidates
// flags; collisions: units labelled noise as two units' synchronous spikes), and a diagnosis: per
// true unit its match, accuracy and label; per accepted unit with no true match, why it was
// accepted (split of a true unit, a collision of two, or noise).
import { readFileSync } from 'node:fs';
import { searchSorted } from '@spyglass-wasm/core';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { simulateRecording, sortingRegime } from '@spyglass-wasm/sim';
import {
  autoCurate,
  autoMerge,
  compareToTruth,
  DEFAULT_CURATION_RULES,
  frontEnd,
  labelCollisions,
  mergeCandidates,
  neighboursWithin,
  noiseLevels,
  probeMerge,
  qualityMetrics,
  sortGroup,
  startCuration,
} from '@spyglass-wasm/spike-sort';

/**
 * The detectability rule, sorter-independent (SpikeForest's SNR): a true unit is detectable when the
 * peak of its average waveform, on 300–6000 Hz band-passed data at its true spike times, is at least
 * DETECTABLE_SNR MAD noise levels on its best channel, and it fires at least DETECTABLE_SPIKES spikes.
 */
const DETECTABLE_SNR = 5;
const DETECTABLE_SPIKES = 20;

const [regime, seedArg] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const recordings = regime === 'tetrode-fixture' ? await fixtureGroups() : [simulated(regime, Number(seedArg))];
const results = recordings.map(sortAndScore);
const used = process.cpuUsage(cpu0);
const sum = (key) => results.reduce((n, r) => n + r[key], 0);
const all = (key) => results.flatMap((r) => r[key]);
console.log(
  JSON.stringify({
    units: sum('units'),
    unmerged: sum('unmerged'),
    merged: sum('merged'),
    refused: sum('refused'),
    leftApart: sum('leftApart'),
    accepted: sum('accepted'),
    acceptedUnmerged: sum('acceptedUnmerged'),
    trueUnits: sum('trueUnits'),
    fragments: sum('fragments'),
    candidates: sum('candidates'),
    collisions: sum('collisions'),
    accuracy: all('accuracy'),
    accuracyUnmerged: all('accuracyUnmerged'),
    diagnosis: all('diagnosis'),
    acceptedMatch: all('acceptedMatch'),
    detectable: all('detectable'),
    truthSnr: all('truthSnr'),
    rates: all('rates'),
    cpuSeconds: (used.user + used.system) / 1e6,
  }),
);

/** One simulated regime (sortingRegime): a group with its truth; probes get 25 µm pitch neighbours. */
function simulated(name, seed) {
  const spec = sortingRegime(name, { seed });
  const rec = simulateRecording(spec);
  return {
    name,
    data: rec.data,
    rows: rec.rows,
    channels: rec.channels,
    fs: rec.fs,
    seconds: spec.seconds,
    truth: rec.units.map((u) => u.spikeTimes),
  };
}

/** The bundled tetrode session (pynwb-written, 10 units on two tetrodes, 30 s): one group per tetrode. */
async function fixtureGroups() {
  const fixture = (n) => new URL(`../../packages/nwb-io/test/fixtures/${n}`, import.meta.url);
  const truth = JSON.parse(readFileSync(fixture('tetrode-session.truth.json'), 'utf8'));
  const nwb = await openNwb(fixture('tetrode-session.nwb').pathname);
  const names = nwb.electrodes().groupNames;
  const raw = nwb.series('e-series').read({ scale: 'microvolts' });
  nwb.close();
  return ['tetrode0', 'tetrode1'].map((name, g) => {
    const chans = names.flatMap((n, i) => (n === name ? [i] : []));
    const data = new Float32Array(raw.rows * chans.length);
    for (let t = 0; t < raw.rows; t++)
      chans.forEach((c, j) => (data[t * chans.length + j] = raw.data[t * raw.cols + c]));
    return {
      name,
      data,
      rows: raw.rows,
      channels: chans.length,
      fs: truth.fs,
      seconds: raw.rows / truth.fs,
      truth: truth.units.filter((u) => u.tetrode === g).map((u) => Float64Array.from(u.spike_times)),
    };
  });
}

/** Sorts one group as sortGroup does, its merge step run apart so merges can be counted, and scores it. */
function sortAndScore(rec) {
  const probe = rec.channels > 4;
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
  const {
    sorting,
    groups,
    candidates: apart,
  } = autoMerge(unmerged, {
    fs: rec.fs,
    duration: rec.seconds,
    ...probeMerge(rec.channels),
    ...(probe ? { neighbours } : {}),
  });
  const truth = rec.truth;
  const detect = truthDetectability(rec, probe);
  const sortedTimes = sorting.units.map((u) => Float64Array.from(u.samples, (s) => s / rec.fs));
  const scores = compareToTruth(truth, sortedTimes);
  // Over-split fragments: sorted units not matched to a true unit whose spikes are mostly (≥ 50 %)
  // one true unit's (that unit is then in two or more pieces).
  const matched = new Set(scores.map((s) => s.sortedUnit));
  const fragments = sortedTimes.filter(
    (t, j) => !matched.has(j) && truth.some((u) => compareToTruth([u], [t])[0].tp >= 0.5 * t.length),
  ).length;
  const candidates = mergeCandidates(
    sorting.units.map((u) => u.template),
    sortedTimes,
    { duration: rec.seconds },
  ).length;
  const metrics = qualityMetrics(sorting, { fs: rec.fs, duration: rec.seconds });
  const { labels } = labelCollisions(autoCurate(startCuration(sortedTimes), metrics), sorting.units);
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
      unit: `true ${s.trueUnit} (${(truth[s.trueUnit].length / rec.seconds).toFixed(1)} Hz)`,
      'true snr': round(detect[s.trueUnit].snr),
      'spikes crossing': `${detect[s.trueUnit].crossing}/${detect[s.trueUnit].spikes}`,
      detectable: detect[s.trueUnit].detectable ? 'yes' : 'no',
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
      return [
        {
          unit: `sorted ${j}`,
          'true snr': '',
          'spikes crossing': '',
          detectable: '',
          match: '',
          accuracy: '',
          ...metricsOf(j),
          why,
        },
      ];
    }),
  ];
  const curated = (s, times) =>
    labelCollisions(autoCurate(startCuration(times), qualityMetrics(s, { fs: rec.fs, duration: rec.seconds })), s.units)
      .labels;
  const unmergedTimes = unmerged.units.map((u) => Float64Array.from(u.samples, (x) => x / rec.fs));
  return {
    units: sorting.units.length,
    unmerged: unmerged.units.length,
    merged: groups.reduce((n, g) => n + g.length - 1, 0),
    refused: apart.filter((c) => c.reason === 'merged contamination' || c.reason === 'amplitude modes').length,
    leftApart: apart.length,
    accepted: labels.filter((l) => l === 'accept').length,
    acceptedUnmerged: curated(unmerged, unmergedTimes).filter((l) => l === 'accept').length,
    trueUnits: truth.length,
    fragments,
    candidates,
    collisions: sorting.units.filter((u) => u.collisionOf).length,
    accuracy: scores.map((s) => s.accuracy),
    accuracyUnmerged: compareToTruth(truth, unmergedTimes).map((s) => s.accuracy),
    diagnosis: diagnosis.map((d) => (recordings.length > 1 ? { ...d, unit: `${rec.name} ${d.unit}` } : d)),
    acceptedMatch: scores.map((s) => s.sortedUnit >= 0 && labels[s.sortedUnit] === 'accept'),
    rates: truth.map((u) => u.length / rec.seconds),
    detectable: detect.map((d) => d.detectable),
    truthSnr: detect.map((d) => round(d.snr)),
  };
}

function round(v) {
  return Math.round(v * 100) / 100;
}

/**
 * Per true unit: its SpikeForest SNR and spike count, whether the rule calls it detectable, and how
 * many of its spikes cross the sorter's threshold (4 MAD, within 0.3 ms, on the sorter's band).
 */
function truthDetectability(rec, probe) {
  const raw = { data: rec.data.slice(), rows: rec.rows, cols: rec.channels };
  const sf = frontEnd({ ...raw, data: rec.data.slice() }, rec.fs, { band: [300, 6000] });
  const sfNoise = noiseLevels(sf);
  const sorter = frontEnd(raw, rec.fs, probe ? { band: [300, 6000] } : {});
  const sorterNoise = noiseLevels(sorter);
  const C = rec.channels,
    half = Math.round(rec.fs / 1000),
    near = Math.round(0.0003 * rec.fs);
  return rec.truth.map((times) => {
    const mean = new Float64Array((2 * half + 1) * C);
    let n = 0,
      crossing = 0;
    for (const t of times) {
      const k = Math.round(t * rec.fs);
      if (k - half < 0 || k + half >= rec.rows) continue;
      n++;
      for (let d = -half; d <= half; d++)
        for (let c = 0; c < C; c++) mean[(d + half) * C + c] += sf.data[(k + d) * C + c];
      let lowest = 0;
      for (let d = -near; d <= near; d++)
        for (let c = 0; c < C; c++) lowest = Math.min(lowest, sorter.data[(k + d) * C + c] / sorterNoise[c]);
      if (lowest <= -4) crossing++;
    }
    let snr = 0;
    mean.forEach((v, j) => (snr = Math.max(snr, Math.abs(v / (n || 1)) / sfNoise[j % C])));
    return {
      snr,
      spikes: times.length,
      crossing,
      detectable: snr >= DETECTABLE_SNR && times.length >= DETECTABLE_SPIKES,
    };
  });
}
