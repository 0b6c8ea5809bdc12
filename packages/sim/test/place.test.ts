import { describe, expect, it } from 'vitest';
import { simulatePlaceSession } from '@spyglass-wasm/sim';

describe('simulatePlaceSession', () => {
  it('is reproducible from its seed and runs laps on the track', () => {
    const a = simulatePlaceSession({ seed: 3, seconds: 120, nUnits: 10 });
    const b = simulatePlaceSession({ seed: 3, seconds: 120, nUnits: 10 });
    expect(a.units[4].spikeTimes).toEqual(b.units[4].spikeTimes);
    expect(a.position.rows).toBe(3600);
    const x = a.position.data;
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThanOrEqual(200);
    expect(Math.max(...x)).toBeGreaterThan(195); // reaches both ends
  });

  it('fires mostly inside each place field at about the set peak rate', () => {
    const s = simulatePlaceSession({ seed: 4, seconds: 600, nUnits: 8, baselineHz: 0 });
    for (const u of s.units) {
      // Spike positions cluster around the centre within ~the field width.
      const pos = Array.from(u.spikeTimes, (t) => s.position.data[Math.min(s.position.rows - 1, Math.round(t * 30))]);
      const mean = pos.reduce((p, q) => p + q, 0) / pos.length;
      const sd = Math.sqrt(pos.reduce((p, q) => p + (q - mean) ** 2, 0) / pos.length);
      expect(Math.abs(mean - u.center[0])).toBeLessThan(Math.max(3, u.sdCm)); // fields cut by the track ends shift
      expect(sd).toBeLessThan(u.sdCm * 1.5);
    }
  });

  it('gives every tetrode spike a 4-channel mark near its unit amplitude', () => {
    const s = simulatePlaceSession({ seed: 5, seconds: 60, nUnits: 8, markNoiseUv: 10 });
    const t = s.tetrodes[1];
    expect(t.marks.cols).toBe(4);
    expect(t.marks.rows).toBe(t.times.length);
    for (let i = 1; i < t.times.length; i++) expect(t.times[i]).toBeGreaterThanOrEqual(t.times[i - 1]);
    let sq = 0;
    for (let i = 0; i < t.marks.rows; i++)
      for (let c = 0; c < 4; c++) sq += (t.marks.data[i * 4 + c] - s.units[t.unit[i]].amplitudes[c]) ** 2;
    expect(Math.sqrt(sq / (t.marks.rows * 4))).toBeCloseTo(10, 0);
  });

  it('wanders a 2-D arena inside its walls', () => {
    const s = simulatePlaceSession({ seed: 6, seconds: 60, environment: 'arena', lengthCm: 80 });
    expect(s.position.cols).toBe(2);
    for (const v of s.position.data) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(80);
    }
  });
});
