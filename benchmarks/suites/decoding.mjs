// State-space decoding: time per second of data for the sorted-spike (1-D and 2-D) and clusterless
// likelihoods and the filter + smoother, Wasm vs the TypeScript reference, on simulated place cells.
// Scale point (issue 5): replay_trajectory_classification (numba, 2 cores) takes ~13 s for 240 s of
// 2 ms bins (152 position bins, 50 cells, continuous only) and ~66 s with continuous/fragmented.
import {
  decodeClusterless,
  decodeSortedSpikes,
  decodingError,
  fitClusterless,
  fitSortedSpikes,
} from '@spyglass-wasm/decoding';
import { simulatePlaceSession, createRng } from '@spyglass-wasm/sim';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchLong, timeIt, versus } from '../lib/harness.mjs';

export const name = 'decoding';

/** Wall seconds of one run of `fn` and the CPU seconds this process used meanwhile. */
async function timeCpu(fn) {
  const c0 = process.cpuUsage();
  const seconds = await timeIt(fn, { repeat: 1, warmup: 0 });
  const c = process.cpuUsage(c0);
  return { seconds, cpu: (c.user + c.system) / 1e6 };
}

const DECODE_S = Number(process.env.BENCH_DECODE_SECONDS ?? 240);

export async function run() {
  const notes = [];
  const rows = [];
  const accuracy = [];

  // 1-D: 50 cells on a 304 cm track → 152 bins of 2 cm; encode 300 s, decode DECODE_S s in 2 ms bins.
  const track = simulatePlaceSession({ seed: 21, seconds: 300 + DECODE_S, lengthCm: 303, nUnits: 50, nTetrodes: 12 });
  const spikes = track.units.map((u) => u.spikeTimes);
  const enc = {
    position: track.position.data,
    positionTimes: track.times,
    interval: [0, 300],
    environment: { range: [[0, 304]] },
  };
  const sorted = fitSortedSpikes(enc, spikes);
  decodeSortedSpikes(sorted, spikes, { start: 300, stop: 310 }); // warm up (Wasm compile, JIT)
  for (const stateSpace of ['continuous', 'continuous-fragmented']) {
    let result;
    const { seconds: t, cpu } = await timeCpu(() => {
      result = decodeSortedSpikes(sorted, spikes, { start: 300, stop: 300 + DECODE_S, stateSpace });
    });
    const e = decodingError(result.time, result.map, track.times, track.position);
    rows.push({
      case: `sorted 1-D ${stateSpace}`,
      impl: 'wasm',
      bins: sorted.env.nBins * (stateSpace === 'continuous' ? 1 : 2),
      'data s': DECODE_S,
      seconds: t,
      's per s of data': t / DECODE_S,
      'CPU s per s of data': cpu / DECODE_S,
      'RTC ref s (240 s)': stateSpace === 'continuous' ? 13 : 66,
      'speed-up vs RTC': (stateSpace === 'continuous' ? 13 : 66) / ((t * 240) / DECODE_S),
    });
    accuracy.push({
      case: `sorted 1-D ${stateSpace}`,
      'median err running cm': e.medianRunning,
      'mean err running cm': e.meanRunning,
    });
    result = undefined;
    // The reference's dense O(N²) filter is slow: time it on 10 s (20 s with BENCH_LONG=1), per second.
    const refS = benchLong ? 20 : 10;
    const tr = await timeIt(
      () => decodeSortedSpikes(sorted, spikes, { start: 300, stop: 300 + refS, stateSpace, backend: 'reference' }),
      { repeat: 1, warmup: 0 },
    );
    rows.push({
      case: `sorted 1-D ${stateSpace}`,
      impl: 'TypeScript reference (dense)',
      bins: sorted.env.nBins * (stateSpace === 'continuous' ? 1 : 2),
      'data s': refS,
      seconds: tr,
      's per s of data': tr / refS,
      'RTC ref s (240 s)': '',
      'speed-up vs RTC': '',
    });
  }

  // 2-D: 40 cells in a 100 cm open field, 2.5 cm bins (40 × 40 = 1600), 2 ms bins, 30 s decoded.
  const arena = simulatePlaceSession({ seed: 22, seconds: 630, environment: 'arena', lengthCm: 100, nUnits: 40 });
  const aSpikes = arena.units.map((u) => u.spikeTimes);
  const model2 = fitSortedSpikes(
    { position: arena.position, positionTimes: arena.times, interval: [0, 600], environment: { binSize: 2.5 } },
    aSpikes,
  );
  const case2 = 'sorted 2-D continuous, open field 2.5 cm bins';
  const s2 = 30;
  let r2;
  const { seconds: t2, cpu: cpu2 } = await timeCpu(() => {
    r2 = decodeSortedSpikes(model2, aSpikes, { start: 600, stop: 600 + s2 });
  });
  rows.push({
    case: case2,
    impl: 'wasm',
    bins: model2.env.nBins,
    'data s': s2,
    seconds: t2,
    's per s of data': t2 / s2,
    'CPU s per s of data': cpu2 / s2,
    'RTC ref s (240 s)': '',
    'speed-up vs RTC': '',
  });
  // the decode step's path: summaries in chunks, first first (one more filter and smoother pass)
  const chunked = await timeCpu(() => {
    for (const c of decodeSortedSpikes(model2, aSpikes, { start: 600, stop: 600 + s2, inChunks: true }).chunks) void c;
  });
  rows.push({
    case: case2,
    impl: 'wasm, inChunks (decode step)',
    bins: model2.env.nBins,
    'data s': s2,
    seconds: chunked.seconds,
    's per s of data': chunked.seconds / s2,
    'CPU s per s of data': chunked.cpu / s2,
    'RTC ref s (240 s)': '',
    'speed-up vs RTC': '',
  });
  const e2 = decodingError(r2.time, r2.map, arena.times, arena.position);
  accuracy.push({ case: case2, 'median err running cm': e2.medianRunning, 'mean err running cm': e2.meanRunning });
  const t2r = await timeIt(() => decodeSortedSpikes(model2, aSpikes, { start: 600, stop: 600.2 }), {
    repeat: 1,
    warmup: 0,
  });
  const t2ref = await timeIt(
    () => decodeSortedSpikes(model2, aSpikes, { start: 600, stop: 600.2, backend: 'reference' }),
    { repeat: 1, warmup: 0 },
  );
  rows.push({
    case: case2,
    impl: 'TypeScript reference (dense)',
    bins: model2.env.nBins,
    'data s': 0.2,
    seconds: t2ref,
    's per s of data': t2ref / 0.2,
    'RTC ref s (240 s)': '',
    'speed-up vs RTC': '',
  });
  notes.push(`2-D: wasm on the same 0.2 s took ${t2r.toFixed(3)} s (vs reference ${t2ref.toFixed(2)} s)`);

  // Clusterless: the 1-D session's 12 tetrodes (4-channel marks), 30 s decoded.
  const cl = fitClusterless(enc, track.tetrodes);
  const sc = 30;
  let rc;
  const tc = await timeIt(
    () => {
      rc = decodeClusterless(cl, track.tetrodes, { start: 300, stop: 300 + sc });
    },
    { repeat: 1, warmup: 0 },
  );
  const ec = decodingError(rc.time, rc.map, track.times, track.position);
  rows.push({
    case: 'clusterless 1-D continuous',
    impl: 'wasm',
    bins: cl.env.nBins,
    'data s': sc,
    seconds: tc,
    's per s of data': tc / sc,
    'RTC ref s (240 s)': '',
    'speed-up vs RTC': '',
  });
  accuracy.push({
    case: 'clusterless 1-D continuous',
    'median err running cm': ec.medianRunning,
    'mean err running cm': ec.meanRunning,
  });
  const scr = 3;
  const tcr = await timeIt(
    () => decodeClusterless(cl, track.tetrodes, { start: 300, stop: 300 + scr, backend: 'reference' }),
    { repeat: 1, warmup: 0 },
  );
  rows.push({
    case: 'clusterless 1-D continuous',
    impl: 'TypeScript reference',
    bins: cl.env.nBins,
    'data s': scr,
    seconds: tcr,
    's per s of data': tcr / scr,
    'RTC ref s (240 s)': '',
    'speed-up vs RTC': '',
  });
  const encSpikes = cl.groups.reduce((s, g) => s + g.marks.rows, 0);
  notes.push(`clusterless: ${encSpikes} encoding spikes on 12 tetrodes, ${(encSpikes / 300).toFixed(0)} spikes/s`);
  // The whole held-out 20 % (180 s, 2 ms bins) of the linear-track fixture, sorted and clusterless.
  const fixture = process.env.BENCH_SKIP_FIXTURE === '1' ? [] : await fixtureAccuracy(rows);
  // per second of data decoded: wasm against the TypeScript reference of the same case (this run),
  // against the Python reference's quoted time, and against real time
  const perSecond = (c, impl) => rows.find((r) => r.case === c && r.impl.startsWith(impl))?.['s per s of data'];
  const summary = [...new Set(rows.map((r) => r.case))].flatMap((c) => [
    versus(`decode ${c} (per s of data)`, perSecond(c, 'wasm'), 'TypeScript reference', perSecond(c, 'TypeScript')),
    ...(c.startsWith('sorted 1-D')
      ? [
          versus(
            `decode ${c} (per s of data)`,
            perSecond(c, 'wasm'),
            'Python reference (RTC, quoted, not run here)',
            (c.endsWith('continuous') ? 13 : 66) / 240,
          ),
        ]
      : []),
    versus(`decode ${c} (per s of data)`, perSecond(c, 'wasm'), 'real time', 1, c.includes('2-D') ? '>= 5x' : ''),
  ]);
  // in CPU seconds too, which the machine's load does not inflate
  summary.push(versus(`decode ${case2} (CPU s per s of data)`, cpu2 / s2, 'real time', 1, '>= 5x'));
  return {
    tables: [
      { title: 'accuracy on linear-track-units.nwb, train 0–720 s, decode 720–900 s (2 ms bins)', rows: fixture },
      { title: 'time per second of data decoded (2 ms bins)', rows },
      { title: 'accuracy on the simulator (MAP, acausal)', rows: accuracy },
    ],
    notes,
    summary,
  };
}

async function fixtureAccuracy(rows) {
  const path = fileURLToPath(new URL('../../packages/nwb-io/test/fixtures/linear-track-units.nwb', import.meta.url));
  const truth = JSON.parse(readFileSync(path.replace(/\.nwb$/, '.truth.json'), 'utf8'));
  const f = await openNwb(path);
  const s = f.position()[0];
  const x = Float64Array.from({ length: s.data.rows }, (_, i) => s.data.data[i * s.data.cols] * 100);
  const spikes = f.units().spikeTimes;
  f.close();
  const pos = { data: x, rows: x.length, cols: 1 };
  const enc = { position: x, positionTimes: s.timestamps, interval: [0, 720] };
  // Clusterless marks as the truth file defines the units: amplitude × channel gain + 15 µV noise.
  const rng = createRng(5);
  const groups = [0, 1, 2, 3].map((tet) => {
    const ev = [];
    truth.units.forEach((u, i) => {
      if (u.tetrode === tet) for (const t of u.spike_times) ev.push([t, i]);
    });
    ev.sort((a, b) => a[0] - b[0]);
    const marks = new Float64Array(ev.length * 4);
    ev.forEach(([, i], k) => {
      for (let c = 0; c < 4; c++)
        marks[k * 4 + c] = truth.units[i].amp_uv * truth.units[i].gains[c] + 15 * rng.normal();
    });
    return { times: Float64Array.from(ev, (e) => e[0]), marks: { data: marks, rows: ev.length, cols: 4 } };
  });
  const out = [];
  const sorted = fitSortedSpikes(enc, spikes);
  const clusterless = fitClusterless(enc, groups);
  for (const [kind, run] of [
    ['sorted', (ss) => decodeSortedSpikes(sorted, spikes, { start: 720, stop: 900, stateSpace: ss })],
    ['clusterless', (ss) => decodeClusterless(clusterless, groups, { start: 720, stop: 900, stateSpace: ss })],
  ]) {
    for (const ss of ['continuous', 'continuous-fragmented']) {
      let r;
      const t = await timeIt(
        () => {
          r = run(ss);
        },
        { repeat: 1, warmup: 0 },
      );
      rows.push({
        case: `fixture ${kind} 1-D ${ss}`,
        impl: 'wasm',
        bins: sorted.env.nBins * (ss === 'continuous' ? 1 : 2),
        'data s': 180,
        seconds: t,
        's per s of data': t / 180,
        'RTC ref s (240 s)': '',
        'speed-up vs RTC': '',
      });
      const map = decodingError(r.time, r.map, s.timestamps, pos),
        mean = decodingError(r.time, r.mean, s.timestamps, pos);
      out.push({
        case: `fixture ${kind} ${ss} (MAP)`,
        'median err running cm': map.medianRunning,
        'mean err running cm': map.meanRunning,
        'median err all cm': map.median,
        'mean err all cm': map.mean,
      });
      out.push({
        case: `fixture ${kind} ${ss} (posterior mean)`,
        'median err running cm': mean.medianRunning,
        'mean err running cm': mean.meanRunning,
        'median err all cm': mean.median,
        'mean err all cm': mean.mean,
      });
    }
  }
  return out;
}
