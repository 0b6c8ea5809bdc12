import { describe, expect, it } from 'vitest';
import { simulatePlaceSession } from '@spyglass-wasm/sim';
import {
  decodeClusterless,
  decodeSortedSpikes,
  decodingError,
  fitClusterless,
  fitSortedSpikes,
} from '@spyglass-wasm/decoding';

describe('decoding the place-cell simulator', () => {
  // 8 min of training, 50 cells (the fixture has 12 min and 40 cells with narrower fields).
  const s = simulatePlaceSession({ seed: 11, seconds: 540, nUnits: 50 });
  const input = { position: s.position.data, positionTimes: s.times, interval: [0, 480] as [number, number] };

  it('sorted spikes on a 1-D track: median error while running <= 3 cm', () => {
    const model = fitSortedSpikes(
      input,
      s.units.map((u) => u.spikeTimes),
    );
    const r = decodeSortedSpikes(
      model,
      s.units.map((u) => u.spikeTimes),
      { start: 480, stop: 540 },
    );
    const e = decodingError(r.time, r.map, s.times, s.position);
    console.log(`sim sorted: MAP median ${e.medianRunning.toFixed(2)} / mean ${e.meanRunning.toFixed(2)} cm running`);
    expect(e.medianRunning).toBeLessThanOrEqual(3);
  });

  it('clusterless tetrode marks on a 1-D track: median error while running <= 3 cm', () => {
    const model = fitClusterless(input, s.tetrodes);
    const r = decodeClusterless(model, s.tetrodes, { start: 480, stop: 510 });
    const e = decodingError(r.time, r.map, s.times, s.position);
    console.log(
      `sim clusterless: MAP median ${e.medianRunning.toFixed(2)} / mean ${e.meanRunning.toFixed(2)} cm running`,
    );
    expect(e.medianRunning).toBeLessThanOrEqual(3);
  });

  it('sorted spikes in a 2-D arena decode in 2-D', () => {
    const a = simulatePlaceSession({
      seed: 12,
      seconds: 600,
      environment: 'arena',
      lengthCm: 60,
      nUnits: 60,
      fieldSdCm: [5, 8],
    });
    const model = fitSortedSpikes(
      { position: a.position, positionTimes: a.times, interval: [0, 540] },
      a.units.map((u) => u.spikeTimes),
    );
    expect(model.env.dims).toBe(2);
    const r = decodeSortedSpikes(
      model,
      a.units.map((u) => u.spikeTimes),
      { start: 540, stop: 570, binSize: 0.02, movementVar: 2 },
    );
    const e = decodingError(r.time, r.map, a.times, a.position);
    console.log(
      `sim 2-D arena (20 ms bins): MAP median ${e.medianRunning.toFixed(2)} / mean ${e.meanRunning.toFixed(2)} cm running`,
    );
    expect(e.medianRunning).toBeLessThan(6);
  });
});
