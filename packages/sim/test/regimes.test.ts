import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { shapedWaveform, simulateRecording, simulateStream, sortingRegime, SORTING_REGIMES } from '@spyglass-wasm/sim';

/** Row of the largest absolute sample of a channel within ±1 ms of time t (s), and that value. */
function peakNear(rec: { data: Float32Array; channels: number; fs: number }, channel: number, t: number): number {
  let best = 0;
  const c0 = Math.round(t * rec.fs);
  for (let k = c0 - 30; k <= c0 + 30; k++) best = Math.max(best, Math.abs(rec.data[k * rec.channels + channel]));
  return best;
}

describe('simulateRecording regimes', () => {
  it('leaves the default recording as it was when no regime is on (empty regimes, uniform shapes)', () => {
    const spec = { seed: 4, seconds: 2, units: 5, channels: 8 };
    const plain = simulateRecording(spec);
    expect(simulateRecording({ ...spec, regimes: {} }).data).toEqual(plain.data);
    expect(simulateRecording({ ...spec, regimes: { shapes: 'uniform' } }).data).toEqual(plain.data);
  });

  it('varied shapes change waveforms, not spike trains, gains or amplitudes; widths differ between units and grow away from the unit', () => {
    const spec = { seed: 2, seconds: 5, units: 6, channels: 8 };
    const plain = simulateRecording(spec),
      varied = simulateRecording({ ...spec, regimes: { shapes: 'varied' } });
    varied.units.forEach((u, i) => {
      expect(u.spikeTimes).toEqual(plain.units[i].spikeTimes);
      expect(u.gains).toEqual(plain.units[i].gains);
      const s = u.shape!;
      const best = u.gains.indexOf(1);
      expect(s.channelWidths[best]).toBe(1);
      u.gains.forEach((g, c) => expect(s.channelWidths[c]).toBeCloseTo(1 + 0.5 * (1 - g), 12));
      const trough = Math.min(...Array.from({ length: 201 }, (_, k) => shapedWaveform(s, best, (k - 100) * 1e-5)));
      expect(trough).toBeCloseTo(-1, 3);
    });
    expect(new Set(varied.units.map((u) => u.shape!.troughWidth)).size).toBe(6);
    expect(varied.data).not.toEqual(plain.data);
  });

  it('bursts: spikes within a burst decay by the factor and keep the refractory period', () => {
    const rec = simulateRecording({
      seed: 1,
      seconds: 30,
      units: 4,
      amplitudes: [200, 200, 200, 200],
      noiseUv: 0.5,
      regimes: { bursts: { fraction: 0.5, probability: 0.5, decay: 0.7 } },
    });
    const [a, , c] = rec.units;
    expect(a.spikeScales).toBeDefined();
    expect(c.spikeScales).toBeUndefined(); // only the first half of the units burst
    const scales = a.spikeScales!;
    let decays = 0;
    for (let i = 1; i < scales.length; i++) {
      expect(a.spikeTimes[i] - a.spikeTimes[i - 1]).toBeGreaterThanOrEqual(0.002);
      if (scales[i] < 1) {
        expect(scales[i]).toBeCloseTo(scales[i - 1] * 0.7, 5);
        expect(a.spikeTimes[i] - a.spikeTimes[i - 1]).toBeLessThanOrEqual(0.006 + 1e-12);
        decays++;
      }
    }
    expect(decays).toBeGreaterThan(10);
    // the recorded amplitude follows the scale: a burst's third spike is about 0.49 of its first
    const alone = (t: number) => rec.units.slice(1).every((u) => u.spikeTimes.every((s) => Math.abs(s - t) > 0.002));
    const i = Array.from(scales).findIndex(
      (s, k) => k >= 2 && Math.abs(s - 0.49) < 1e-6 && alone(a.spikeTimes[k]) && alone(a.spikeTimes[k - 2]),
    );
    const best = a.gains.indexOf(1);
    expect(peakNear(rec, best, a.spikeTimes[i]) / peakNear(rec, best, a.spikeTimes[i - 2])).toBeCloseTo(0.49, 1);
  });

  it('synchrony puts a share of each unit’s spikes within ±0.5 ms of its nearest neighbour’s', () => {
    const coincident = (a: Float64Array, b: Float64Array) =>
      Array.from(a).filter((t) => b.some((s) => Math.abs(s - t) <= 0.0005)).length / a.length;
    const spec = { seed: 3, seconds: 60, units: 3, channels: 8, regimes: { depthsUm: [50, 60, 150] } };
    const base = simulateRecording(spec),
      sync = simulateRecording({ ...spec, regimes: { ...spec.regimes, synchrony: 0.3 } });
    expect(coincident(base.units[1].spikeTimes, base.units[0].spikeTimes)).toBeLessThan(0.05);
    expect(coincident(sync.units[1].spikeTimes, sync.units[0].spikeTimes)).toBeGreaterThan(0.2);
    expect(sync.units[1].depthUm).toBe(60);
  });

  it('drift moves a unit across the probe: its largest channel changes over the session', () => {
    const rec = simulateRecording({
      seed: 1,
      seconds: 10,
      units: 1,
      channels: 32,
      amplitudes: [300],
      noiseUv: 1,
      regimes: { depthsUm: [400], driftUm: 50 },
    });
    const u = rec.units[0];
    expect(u.driftUmPerS).toBe(5);
    const peakChannel = (t: number) => {
      const vals = Array.from({ length: 32 }, (_, c) => peakNear(rec, c, t));
      return vals.indexOf(Math.max(...vals));
    };
    expect(peakChannel(u.spikeTimes[0])).toBe(16); // 400 µm
    expect(peakChannel(u.spikeTimes.at(-1)!)).toBeLessThanOrEqual(15); // ≈ 350 µm from the probe
  });

  it('draws rates log-uniformly within rateRangeHz; the stream renders the same regimes', () => {
    const spec = {
      seed: 5,
      seconds: 200,
      units: 12,
      regimes: { rateRangeHz: [0.1, 40] as [number, number], shapes: 'varied' as const },
    };
    const rec = simulateRecording(spec);
    const rates = rec.units.map((u) => u.spikeTimes.length / 200);
    expect(Math.min(...rates)).toBeLessThan(1);
    expect(Math.max(...rates)).toBeGreaterThan(5);
    for (const r of rates) expect(r).toBeLessThan(45);
    const stream = simulateStream(spec);
    expect(stream.units.map((u) => u.shape)).toEqual(rec.units.map((u) => u.shape));
    expect(stream.read(0, 100).rows).toBe(100);
  });

  it('every named sorting regime is seeded and reproducible', () => {
    for (const name of SORTING_REGIMES) {
      const spec = { ...sortingRegime(name, { seed: 7 }), seconds: 1 };
      expect(simulateRecording(spec).data).toEqual(simulateRecording(spec).data);
    }
  });

  it('refuses unknown or misplaced regime options, naming them', () => {
    expect(() => simulateRecording({ seed: 1, seconds: 1, units: 2, regimes: { drift: 3 } as never })).toThrow(
      /drift.*no such option/,
    );
    expect(() => simulateRecording({ seed: 1, seconds: 1, units: 2, regimes: { driftUm: 3 } })).toThrow(ParameterError);
    expect(() => simulateRecording({ seed: 1, seconds: 1, units: 2, channels: 8, regimes: { depthsUm: [1] } })).toThrow(
      /depthsUm/,
    );
    expect(() => simulateRecording({ seed: 1, seconds: 1, units: 2, regimes: { bursts: { decay: 2 } } })).toThrow(
      /bursts\.decay/,
    );
    expect(() => simulateRecording({ seed: 1, seconds: 1, units: 2, regimes: { rateRangeHz: [5, 1] } })).toThrow(
      /rateRangeHz/,
    );
    expect(() => sortingRegime('noisy' as never, { seed: 1 })).toThrow(/sorting regime/);
  });
});
