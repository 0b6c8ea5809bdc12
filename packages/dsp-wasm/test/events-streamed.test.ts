// Kay's detector in windows holds nothing per sample of the session: exact sums for the trace's mean
// and SD (Moments), the event core fed a sample at a time (EventStream), times and speed read a
// window at a time. Each piece against what it replaces, bit for bit: EventStream against
// detectOnBlocks on random traces with missing samples and every speed rule; detectRipplesInWindows
// against the trace assembled from the same windows and the whole-array event core (its path
// before it streamed), on 105 s of 4-channel LFP with jittered times, a recording gap, unknown
// speed and running, in windows of 997 rows (events across their edges).
import { createRng, medianStep } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { windowedSession } from './ripple-lfp.js';
import { bandFilter, detectRipplesInWindows, peakFrequency, type DetectedEvent } from '../src/index.js';
import { blocksWithin, blockGap, minimumSampleCount, validBlocks } from '../src/events/blocks.js';
import { gaussianSmooth, kayConsensusWindow } from '../src/events/consensus.js';
import { EventStream, detectOnBlocks, eventSettings, type EventThresholds } from '../src/events/detect-events.js';
import { ExactSum, Moments } from '../src/events/moments.js';
import { medianStepInWindows } from '../src/events/windowed.js';
import { referenceDetect, speedRuleCases } from './events-reference.js';

describe('ExactSum and Moments', () => {
  it('sum exactly, rounded once', () => {
    const sum = (xs: number[]) => xs.reduce((s, x) => (s.add(x), s), new ExactSum()).value();
    expect(sum([1, 1e100, 1, -1e100])).toBe(2);
    expect(sum(Array(10).fill(0.1))).toBe(1); // a running float sum gives 0.9999999999999999
    expect(sum([1e16, 1, -1e16, 1e-20])).toBe(1);
    expect(sum([])).toBe(0);
  });

  it('give the same mean and SD however the values are split or ordered, within 1e-15 of the exact ones', () => {
    // multiples of 2^-10 around 1e6 (a mean far from zero, where a running sum of squares cancels):
    // exact statistics from BigInt sums of the values × 1024
    const rng = createRng(3);
    const k = Array.from({ length: 20_000 }, () => Math.round(rng.normal() * 3000 + rng.uniform() ** 8 * 1e6));
    const x = Float64Array.from(k, (v) => 1e6 + v / 1024);
    const of = (xs: ArrayLike<number>, m = new Moments()) => (Array.from(xs).forEach((v) => m.add(v)), m);
    const whole = of(x).stats();
    expect(of(x.subarray(7_001), of(x.subarray(0, 7_001))).stats()).toEqual(whole);
    expect(of(Array.from(x).reverse()).stats()).toEqual(whole);
    const n = BigInt(x.length),
      X = k.map((v) => BigInt(v) + 1_024_000_000n);
    const sum = X.reduce((s, v) => s + v, 0n),
      squares = X.reduce((s, v) => s + v * v, 0n);
    const mean = Number(sum) / 1024 / x.length;
    const variance = Number(n * squares - sum * sum) / Number(n * n) / 1024 ** 2;
    expect(Math.abs(whole.mean - mean) / mean).toBeLessThan(1e-15);
    expect(Math.abs(whole.std - Math.sqrt(variance)) / Math.sqrt(variance)).toBeLessThan(1e-15);
    expect(new Moments().stats()).toEqual({ mean: NaN, std: NaN });
  });
});

describe('EventStream', () => {
  // a smoothed random trace with runs of missing samples, a time gap, and a speed that is sometimes high
  const rng = createRng(11);
  const n = 40_000,
    fs = 1000;
  const noise = Float64Array.from({ length: n }, () => Math.abs(rng.normal()) ** 3);
  const trace = gaussianSmooth(noise, 0.01, fs);
  const time = Float64Array.from({ length: n }, (_, i) => i / fs + (i >= 20_000 ? 1 : 0));
  const speed = Float64Array.from({ length: n }, (_, i) => (i % 5000 < 300 ? NaN : 4 * Math.abs(Math.sin(i / 700))));
  const valid = Uint8Array.from({ length: n }, (_, i) => (Number.isFinite(speed[i]) ? 1 : 0));
  const blocks = validBlocks(valid, time);

  function streamed(o: EventThresholds): DetectedEvent[] {
    const s = eventSettings(o);
    const moments = new Moments();
    for (let i = 0; i < n; i++) if (valid[i] && (!o.normalizationMask || o.normalizationMask[i])) moments.add(trace[i]);
    const { mean, std } = moments.stats();
    const stream = new EventStream(s, minimumSampleCount(time, s.minimumDuration), Boolean(o.speed));
    for (const [a, b] of blocks) {
      for (let i = a; i < b; i++) stream.sample(i, (trace[i] - mean) / std, time[i], o.speed ? o.speed[i] : NaN);
      stream.endBlock(b);
    }
    return stream.events();
  }

  const cases = speedRuleCases(speed, time);
  it.each(cases)('gives detectOnBlocks’s events bit for bit (%s)', (_, o) => {
    const options = { minimumDuration: 0.01, zscoreThreshold: 1.5, ...o };
    const reference = detectOnBlocks(trace, time, valid, blocks, eventSettings(options), options);
    expect(reference.length).toBeGreaterThan(20);
    expect(streamed(options)).toEqual(reference);
    // detectOnBlocks feeds the stream too: both against the plain whole-array rules
    expect(reference).toEqual(referenceDetect(trace, time, valid, blocks, eventSettings(options), options));
  });
});

describe('detectRipplesInWindows (Kay) in two passes', () => {
  const { fs, rows, cols, windowRows, lfp, time, speed, band, common, reader, margin } = windowedSession(4, 21);

  /** The path before: each window's trace assembled into one array, then the whole-array event core. */
  function assembled(): DetectedEvent[] {
    const filtered = bandFilter({ data: lfp, rows, cols }, { fs, ...band, precision: 'float64' });
    const valid = new Uint8Array(rows),
      trace = new Float64Array(rows);
    const maxStep = blockGap(time);
    for (let start = 0; start < rows; start += windowRows) {
      const stop = Math.min(rows, start + windowRows);
      const lo = Math.max(0, start - margin),
        hi = Math.min(rows, stop + margin);
      const span = { data: filtered.data.subarray(lo * cols, hi * cols), rows: hi - lo, cols };
      const ok = Uint8Array.from({ length: hi - lo }, (_, r) => {
        for (let c = 0; c < cols; c++) if (!Number.isFinite(span.data[r * cols + c])) return 0;
        return Number.isFinite(speed[lo + r]) ? 1 : 0;
      });
      valid.set(ok.subarray(start - lo, stop - lo), start);
      const blocks = blocksWithin(ok, time, lo, maxStep);
      trace.set(kayConsensusWindow({ span, lo, start, stop, blocks }, { fs, sigma: 0.004 }), start);
    }
    const blocks = validBlocks(valid, time);
    const o = { ...common, time, speed };
    const events = detectOnBlocks(trace, time, valid, blocks, eventSettings(o), o);
    for (const e of events) e.peakFrequency = peakFrequency(filtered, time, blocks, e.peakIndex);
    return events;
  }

  it('reads the median step of its times in windows as medianStep does on the whole', async () => {
    const read = async (a: number, b: number) => time.subarray(a, b);
    for (const w of [997, 60_000, rows]) expect(await medianStepInWindows(read, rows, w)).toBe(medianStep(time));
    expect(await medianStepInWindows(read, 2, 1)).toBe(time[1] - time[0]);
  });

  it('gives the assembled trace’s events bit for bit, with times and speed read in windows', async () => {
    const reference = assembled();
    expect(reference.length).toBeGreaterThan(100);
    const crossing = reference.filter(
      (e) => Math.floor(e.startIndex / windowRows) !== Math.floor(e.endIndex / windowRows),
    );
    expect(crossing.length).toBeGreaterThan(4);
    const options = { ...common, detector: 'kay' as const, band, windowRows };
    expect(await detectRipplesInWindows(reader, { ...options, time, speed })).toEqual(reference);
    // the same from readers, which are never asked for more than a window with its margins
    let widest = 0;
    const widen = (a: number, b: number) => (widest = Math.max(widest, b - a));
    const events = await detectRipplesInWindows(reader, {
      ...options,
      readTime: (a, b) => (widen(a, b), time.slice(a, b)),
      readSpeed: (a, b, t) => {
        widen(a, b);
        if (t[0] !== time[a] || t.length !== b - a) throw new Error(`readSpeed: not the times of rows ${a}–${b}`);
        return speed.slice(a, b);
      },
    });
    expect(events).toEqual(reference);
    expect(widest).toBe(windowRows + 2 * margin);
  }, 60_000);

  it('gives the same events whatever its trace budget, reading the LFP again only beyond it', async () => {
    const options = { ...common, detector: 'kay' as const, band, windowRows, time, speed };
    const windows = Math.ceil(rows / windowRows);
    const run = async (traceBudget?: number) => {
      let read = 0;
      const counted = { rows, cols, read: (a: number, b: number) => ((read += b - a), lfp.slice(a * cols, b * cols)) };
      const events = await detectRipplesInWindows(counted, { ...options, traceBudget });
      return { events, read };
    };
    const all = await run(); // the default budget holds this session's trace
    const none = await run(0);
    const half = await run(8 * windowRows * Math.floor(windows / 2));
    expect(none.events).toEqual(all.events);
    expect(half.events).toEqual(all.events);
    // a pass reads every row, plus each window's margins and the filter's reach (~3.3 × rows at
    // these 997-row windows); beyond a budget of half the windows, about half of that again
    const perPass = none.read - all.read,
      window = perPass / windows;
    expect(perPass).toBeGreaterThan(rows + 2 * margin * (windows - 2));
    expect(perPass).toBeLessThan(4 * rows);
    expect(Math.abs(half.read - all.read - perPass / 2)).toBeLessThan(2 * window);
    await expect(run(-1)).rejects.toThrow(/traceBudget/);
  }, 60_000);

  it('refuses time with readTime, speed with readSpeed, and readers of the wrong length', async () => {
    const options = { ...common, band, windowRows: 60_000 };
    const readTime = (a: number, b: number) => time.subarray(a, b);
    await expect(detectRipplesInWindows(reader, { ...options, time, readTime })).rejects.toThrow(/readTime/);
    await expect(detectRipplesInWindows(reader, { ...options, speed, readSpeed: () => speed })).rejects.toThrow(
      /readSpeed/,
    );
    await expect(detectRipplesInWindows(reader, { ...options, readTime: () => time })).rejects.toThrow(/readTime/);
  });
});
