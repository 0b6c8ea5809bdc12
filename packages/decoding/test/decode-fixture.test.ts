import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeClusterless,
  decodeSortedSpikes,
  decodingError,
  fitClusterless,
  fitSortedSpikes,
} from '@spyglass-wasm/decoding';
import { loadLinearTrack, truthMarks } from './fixture.js';

// linear-track-units.nwb: 15 min, 40 place cells on a 200 cm track. Encode on the first 80 %
// (0–720 s); decode a slice of the rest in 2 ms bins (the full 180 s figure is in the bench).
let d: Awaited<ReturnType<typeof loadLinearTrack>>;
const truth = () => ({ data: d.x, rows: d.x.length, cols: 1 });
beforeAll(async () => {
  d = await loadLinearTrack();
});

describe('decoding the linear-track fixture (train 0–720 s)', () => {
  it('sorted spikes: median error while running <= 3 cm (MAP), mean reported', () => {
    const model = fitSortedSpikes({ position: d.x, positionTimes: d.times, interval: [0, 720] }, d.spikeTimes);
    expect(model.env.nBins).toBeGreaterThanOrEqual(100);
    const r = decodeSortedSpikes(model, d.spikeTimes, { start: 720, stop: 780 });
    const map = decodingError(r.time, r.map, d.times, truth());
    const mean = decodingError(r.time, r.mean, d.times, truth());
    console.log(
      `sorted 720–780 s: MAP median ${map.medianRunning.toFixed(2)} / mean ${map.meanRunning.toFixed(2)} cm running; posterior mean: median ${mean.medianRunning.toFixed(2)} / mean ${mean.meanRunning.toFixed(2)} cm`,
    );
    expect(map.nRunning).toBeGreaterThan(20000);
    expect(map.medianRunning).toBeLessThanOrEqual(3);
    expect(map.meanRunning).toBeLessThan(5);
    expect(mean.medianRunning).toBeLessThan(4.5);
  });

  it('clusterless marks (truth amplitude × gains + 15 µV noise): median error while running <= 3 cm', () => {
    const groups = truthMarks(d.truth, 15);
    const model = fitClusterless({ position: d.x, positionTimes: d.times, interval: [0, 720] }, groups);
    const r = decodeClusterless(model, groups, { start: 720, stop: 750 });
    const map = decodingError(r.time, r.map, d.times, truth());
    const mean = decodingError(r.time, r.mean, d.times, truth());
    console.log(
      `clusterless 720–750 s: MAP median ${map.medianRunning.toFixed(2)} / mean ${map.meanRunning.toFixed(2)} cm running; posterior mean: median ${mean.medianRunning.toFixed(2)} / mean ${mean.meanRunning.toFixed(2)} cm`,
    );
    expect(map.medianRunning).toBeLessThanOrEqual(3);
    expect(map.meanRunning).toBeLessThan(5);
  });

  it('continuous/fragmented: the fragmented state takes some probability and the mean error shows what the median hides', () => {
    const model = fitSortedSpikes({ position: d.x, positionTimes: d.times, interval: [0, 720] }, d.spikeTimes);
    const r = decodeSortedSpikes(model, d.spikeTimes, { start: 720, stop: 760, stateSpace: 'continuous-fragmented' });
    expect(r.stateNames).toEqual(['continuous', 'fragmented']);
    let frag = 0;
    for (let t = 0; t < r.statePosterior.rows; t++) {
      const [c, f] = [r.statePosterior.data[2 * t], r.statePosterior.data[2 * t + 1]];
      expect(c + f).toBeCloseTo(1, 9);
      frag += f;
    }
    frag /= r.statePosterior.rows;
    const map = decodingError(r.time, r.map, d.times, truth());
    console.log(
      `continuous/fragmented: mean P(fragmented) ${frag.toFixed(3)}, MAP median ${map.medianRunning.toFixed(2)} / mean ${map.meanRunning.toFixed(2)} cm running`,
    );
    expect(frag).toBeGreaterThan(0.01);
    expect(frag).toBeLessThan(0.5);
    expect(map.medianRunning).toBeLessThan(4);
  });
});
