import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { simulateReplayDay, type ReplayRipple, type ReplayUnit } from '@spyglass-wasm/sim';

/** Spearman-like rank correlation of (spike time, field centre) over the spikes of an event. */
function orderCorrelation(r: ReplayRipple, units: ReplayUnit[]): { rho: number; spikes: number } {
  const pairs: [number, number][] = [];
  for (const u of units) for (const t of u.spikeTimes) if (t >= r.start && t < r.end) pairs.push([t, u.centerCm]);
  const rank = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const out = new Array<number>(v.length);
    order.forEach(([, i], k) => (out[i] = k));
    return out;
  };
  const a = rank(pairs.map((p) => p[0])),
    b = rank(pairs.map((p) => p[1]));
  const m = (pairs.length - 1) / 2;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < pairs.length; i++)
    ((sab += (a[i] - m) * (b[i] - m)), (saa += (a[i] - m) ** 2), (sbb += (b[i] - m) ** 2));
  return { rho: sab / Math.sqrt(saa * sbb), spikes: pairs.length };
}

describe('simulateReplayDay', () => {
  const day = simulateReplayDay({ seed: 2 });
  const { ripples } = day.truth;

  it('is reproducible from its seed', () => {
    const again = simulateReplayDay({ seed: 2 });
    expect(again.truth.ripples).toEqual(ripples);
    expect(again.units[7].spikeTimes).toEqual(day.units[7].spikeTimes);
    expect(simulateReplayDay({ seed: 3 }).truth.ripples).not.toEqual(ripples);
  });

  it('has the epochs sleep1 / run1 / sleep2 back to back with their tags', () => {
    expect(day.epochs.map((e) => [e.name, e.start, e.stop, e.tags])).toEqual([
      ['sleep1', 0, 60, ['sleep1', 'rest_box']],
      ['run1', 60, 180, ['run1', 'linear_track']],
      ['sleep2', 180, 240, ['sleep2', 'rest_box']],
    ]);
  });

  it('puts ripples only in sleep, most carrying a replay at 5-10 m/s, forward and reverse, some none', () => {
    const sleeps = day.epochs.filter((e) => e.kind === 'sleep');
    expect(ripples.length).toBeGreaterThan(30);
    for (const r of ripples) {
      const e = sleeps.find((s) => r.start >= s.start && r.end <= s.stop);
      expect(e?.name).toBe(r.epoch);
    }
    const replays = ripples.filter((r) => r.replay);
    expect(replays.length).toBeGreaterThan(0.5 * ripples.length);
    expect(replays.length).toBeLessThan(ripples.length);
    expect(new Set(replays.map((r) => r.replay!.direction))).toEqual(new Set(['forward', 'reverse']));
    for (const r of replays) {
      const { start_position_cm: a, end_position_cm: b, direction } = r.replay!;
      const speedMps = Math.abs(b - a) / 100 / (r.end - r.start);
      expect(speedMps).toBeGreaterThanOrEqual(5 - 1e-9);
      expect(speedMps).toBeLessThanOrEqual(10 + 1e-9);
      expect(direction === 'forward').toBe(b > a);
      for (const p of [a, b]) expect(p >= 0 && p <= day.trackLengthCm).toBe(true);
    }
  });

  it('fires the place cells in field order along each replay, and at random otherwise', () => {
    // Short sweeps also catch the edges of fields beyond their ends, and background spikes fall
    // in: the order is clear in every event (|rho| > 0.45) and sharp in most (median > 0.8).
    const signed: number[] = [];
    for (const r of ripples.filter((x) => x.replay)) {
      const { rho, spikes } = orderCorrelation(r, day.units);
      expect(spikes).toBeGreaterThanOrEqual(8);
      signed.push(r.replay!.direction === 'forward' ? rho : -rho);
    }
    expect(Math.min(...signed)).toBeGreaterThan(0.45);
    expect(signed.sort((a, b) => a - b)[signed.length >> 1]).toBeGreaterThan(0.8);
    const random = ripples.filter((r) => !r.replay).map((r) => orderCorrelation(r, day.units));
    const meanAbs = random.reduce((s, c) => s + Math.abs(c.rho), 0) / random.length;
    expect(meanAbs).toBeLessThan(0.3);
  });

  it('fires the place cells in their fields while running', () => {
    const run = day.epochs[1];
    const { times, trackPositionCm } = day.truth.position;
    for (const u of day.units.slice(0, 10)) {
      const at = Array.from(u.spikeTimes)
        .filter((t) => t >= run.start && t < run.stop)
        .map((t) => trackPositionCm[Math.round(t * 30)]);
      const near = at.filter((x) => Math.abs(x - u.centerCm) < 3 * u.sdCm).length;
      expect(near / at.length).toBeGreaterThan(0.6);
    }
    expect(times.length).toBe(240 * 30);
    expect(Number.isNaN(trackPositionCm[30 * 30])).toBe(true); // asleep in the rest box
  });

  it('renders a window of the day on tetrodes: the same spikes with waveforms', () => {
    const short = simulateReplayDay({ seed: 2, nUnits: 12, raw: { start: 5, seconds: 3 } });
    const rec = short.recording!;
    expect(rec.startTime).toBe(5);
    expect(rec.rows).toBe(90000);
    expect(rec.channels).toBe(16);
    const u = short.units.reduce((a, b) => (b.amplitude > a.amplitude ? b : a));
    const c = 4 * u.tetrode + u.gains.indexOf(1);
    const inside = Array.from(u.spikeTimes).filter((t) => t > 5.01 && t < 7.99);
    expect(inside.length).toBeGreaterThan(0);
    const mean =
      inside.reduce((s, t) => s + rec.data[(Math.round(t * rec.fs) - 5 * rec.fs) * rec.channels + c], 0) /
      inside.length;
    expect(mean).toBeLessThan(-0.6 * u.amplitude);
  });

  it('throws a ParameterError naming the option on bad input', () => {
    expect(() => simulateReplayDay({ sweepSpeedMps: [10, 5] })).toThrow(ParameterError);
    expect(() => simulateReplayDay({ epochs: [{ name: 'x', kind: 'nap' as 'sleep', seconds: 10 }] })).toThrow(
      /epochs\[0\]\.kind/,
    );
    expect(() => simulateReplayDay({ raw: { seconds: 1e6 } })).toThrow(/raw.seconds/);
  });
});
