import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { simulateRestRunSession, type RawRecording, type RippleEvent } from '@spyglass-wasm/sim';

/** Bitwise equality (toEqual walks a million elements slowly). */
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Amplitude of the channel-mean signal at `freq` over [t0, t1] (single-bin DFT). */
function amplitudeAt(rec: RawRecording, t0: number, t1: number, freq: number, channels: number[]): number {
  let re = 0,
    im = 0,
    n = 0;
  for (let k = Math.ceil(t0 * rec.fs); k < t1 * rec.fs; k++, n++) {
    let v = 0;
    for (const c of channels) v += rec.data[k * rec.channels + c];
    v /= channels.length;
    re += v * Math.cos((2 * Math.PI * freq * k) / rec.fs);
    im += v * Math.sin((2 * Math.PI * freq * k) / rec.fs);
  }
  return (2 * Math.hypot(re, im)) / n;
}

describe('simulateRestRunSession', () => {
  const spikesOnly = simulateRestRunSession({ seed: 3, seconds: 300, raw: false });

  it('is reproducible from its seed', () => {
    const a = simulateRestRunSession({ seed: 5, seconds: 4, nTetrodes: 2, restSeconds: [2, 2] });
    const b = simulateRestRunSession({ seed: 5, seconds: 4, nTetrodes: 2, restSeconds: [2, 2] });
    expect(sameBytes(a.recording!.data, b.recording!.data)).toBe(true);
    expect(a.truth.units[3].spikeTimes).toEqual(b.truth.units[3].spikeTimes);
    expect(a.position.front.data).toEqual(b.position.front.data);
    expect(a.recording!.channels).toBe(8);
    expect(a.electrodeGroups.map((g) => g.channels)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it('alternates rest and run, with ripples of 30-120 ms at 150-250 Hz only during rest', () => {
    const { periods, ripples } = spikesOnly.truth;
    expect(periods[0].kind).toBe('rest');
    periods.forEach((p, i) => i > 0 && expect(p.kind).not.toBe(periods[i - 1].kind));
    expect(periods.at(-1)!.stop).toBe(300);
    const rests = periods.filter((p) => p.kind === 'rest');
    const restSeconds = rests.reduce((s, p) => s + p.stop - p.start, 0);
    // ~0.5 per second of rest, less the edges and gaps
    expect(ripples.length).toBeGreaterThan(0.25 * restSeconds);
    expect(ripples.length).toBeLessThan(0.7 * restSeconds);
    for (const r of ripples) {
      expect(rests.some((p) => r.start >= p.start && r.end <= p.stop)).toBe(true);
      expect(r.end - r.start).toBeGreaterThanOrEqual(0.03);
      expect(r.end - r.start).toBeLessThanOrEqual(0.12);
      expect(r.frequencyHz).toBeGreaterThanOrEqual(150);
      expect(r.frequencyHz).toBeLessThanOrEqual(250);
    }
  });

  it('rests still (speed 0, only tracking noise) and runs the whole track', () => {
    const { position, periods } = spikesOnly.truth;
    const kindAt = (t: number) => periods.find((p) => t >= p.start && t < p.stop)?.kind;
    let restMax = 0,
      runMax = 0,
      minX = Infinity,
      maxX = -Infinity;
    position.times.forEach((t, i) => {
      if (kindAt(t) === 'rest') restMax = Math.max(restMax, position.speed[i]);
      else runMax = Math.max(runMax, position.speed[i]);
      ((minX = Math.min(minX, position.x[i])), (maxX = Math.max(maxX, position.x[i])));
    });
    expect(restMax).toBe(0);
    expect(runMax).toBeGreaterThan(30);
    expect(maxX - minX).toBeCloseTo(200, 6);
    expect(spikesOnly.position.truth.drops.length).toBeGreaterThan(0);
    expect(spikesOnly.position.truth.swaps.length).toBeGreaterThan(0);
  });

  it('fires more during ripples', () => {
    const { units, ripples } = spikesOnly.truth;
    const inRipple = (t: number) => ripples.some((r) => t >= r.start && t < r.end);
    const rippleSeconds = ripples.reduce((s, r) => s + r.end - r.start, 0);
    let inside = 0,
      all = 0;
    for (const u of units) for (const t of u.spikeTimes) (all++, inRipple(t) && inside++);
    const rateIn = inside / rippleSeconds,
      rateOut = (all - inside) / (300 - rippleSeconds);
    expect(rateIn).toBeGreaterThan(2 * rateOut);
  });

  it('puts the ripples in the LFP of every tetrode and the units’ spikes on their tetrode', () => {
    const s = simulateRestRunSession({
      seed: 7,
      seconds: 12,
      nTetrodes: 2,
      restSeconds: [12, 12],
      ripples: { rateHz: 2 },
    });
    const rec = s.recording!;
    const ripples: RippleEvent[] = s.truth.ripples;
    expect(ripples.length).toBeGreaterThan(5);
    for (const r of ripples) {
      for (const g of s.electrodeGroups) {
        const during = amplitudeAt(rec, r.start, r.end, r.frequencyHz, g.channels);
        const before = amplitudeAt(rec, r.start - 0.15, r.start - 0.15 + (r.end - r.start), r.frequencyHz, g.channels);
        // a raised-cosine envelope averages half its peak; the tetrode's LFP gain is 0.7-1.3
        expect(during).toBeGreaterThan(0.25 * r.amplitudeUv);
        expect(during).toBeGreaterThan(4 * before);
      }
    }
    // spike-triggered average on the unit's largest channel: its trough
    const u = s.truth.units.reduce((a, b) => (b.amplitude > a.amplitude ? b : a));
    const c = 4 * u.tetrode + u.gains.indexOf(1);
    let sum = 0;
    for (const t of u.spikeTimes) sum += rec.data[Math.round(t * rec.fs) * rec.channels + c];
    expect(sum / u.spikeTimes.length).toBeLessThan(-0.7 * u.amplitude);
  });

  it('throws a ParameterError naming the option on bad input', () => {
    expect(() => simulateRestRunSession({ seconds: 0 })).toThrow(ParameterError);
    expect(() => simulateRestRunSession({ restSeconds: [5, 2], raw: false })).toThrow(/restSeconds/);
    expect(() =>
      simulateRestRunSession({ ripples: { durationMs: [30] as unknown as [number, number] }, raw: false }),
    ).toThrow(/ripples.durationMs/);
  });
});
