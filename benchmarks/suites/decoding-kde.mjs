// The clusterless likelihood's mark-kernel density sums (KDE) on 16 tetrodes, the Wasm SIMD
// kernel against the TypeScript reference on the same decoding window, rounds interleaved
// (lib/interleave.mjs): a simulated 1-D track, 64 place cells, 300 s encoded, 2 ms bins.
// Also the kernel with no cutoff (every term summed, as the reference) and its agreement.
import { clusterlessLikelihood, fitClusterless, makeTimeBins } from '@spyglass-wasm/decoding';
import { simulatePlaceSession } from '@spyglass-wasm/sim';
import { versus } from '../lib/harness.mjs';
import { interleave } from '../lib/interleave.mjs';

export const name = 'decoding-kde';

const TETRODES = 16;
const WINDOW_S = Number(process.env.BENCH_KDE_SECONDS ?? 8);

export async function run() {
  const track = simulatePlaceSession({
    seed: 21,
    seconds: 300 + WINDOW_S,
    lengthCm: 303,
    nUnits: 64,
    nTetrodes: TETRODES,
  });
  const encoding = {
    position: track.position.data,
    positionTimes: track.times,
    interval: [0, 300],
    environment: { range: [[0, 304]] },
  };
  const model = fitClusterless(encoding, track.tetrodes);
  const bins = makeTimeBins(300, 300 + WINDOW_S);
  const encSpikes = model.groups.reduce((s, g) => s + g.marks.rows, 0);
  const decSpikes = track.tetrodes.reduce((s, g) => s + g.times.filter((t) => t >= 300).length, 0);
  const likelihood = (options) => () => clusterlessLikelihood(model, track.tetrodes, bins, options);
  const entries = [
    { name: 'wasm SIMD (default cutoff e^-30)', run: likelihood({}) },
    { name: 'wasm SIMD, cutoff: Infinity (every term)', run: likelihood({ cutoff: Infinity }) },
    { name: 'TypeScript reference', run: likelihood({ backend: 'reference' }) },
  ];
  const t = await interleave(entries, { rounds: Number(process.env.BENCH_ROUNDS ?? 3) });
  const ref = entries[2].name;
  const rows = entries.map((e) => ({
    impl: e.name,
    seconds: t[e.name].seconds,
    'x real time': WINDOW_S / t[e.name].seconds,
    'x reference': e.name === ref ? 1 : t.ratio(e.name, ref),
  }));
  const a = entries[1].run().data,
    b = entries[2].run().data;
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    if (Number.isFinite(b[i])) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  const what = `clusterless KDE ${TETRODES} tetrodes`;
  return {
    tables: [
      {
        title: `${what}: ${WINDOW_S} s decoded (${decSpikes} spikes) against ${encSpikes} encoding spikes, ${model.env.nBins} bins`,
        rows,
      },
    ],
    notes: [
      `cutoff: Infinity vs reference: max |Δ log-likelihood| / max(1, |ll|) = ${worst.toExponential(2)} (test: < 1e-12)`,
    ],
    summary: rows
      .filter((r) => r.impl !== ref)
      .map((r) =>
        versus(`${what}: ${r.impl}`, r.seconds, `${ref} (same window)`, t[ref].seconds, '', {
          ratio: r['x reference'],
          throughput: `${r['x real time'].toFixed(1)}x real time`,
        }),
      ),
  };
}
