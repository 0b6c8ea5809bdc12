// Karlsson's detector in bounded memory: KarlssonStream (each channel thresholded with its runs
// carried from sample to sample, candidates merged, statistics from the largest z, samples kept only
// as far back as an open run reaches) against the plain whole-array rule (events-reference.ts) bit
// for bit: random channels whose candidates overlap, missing samples, a time gap, unknown speed,
// every speed rule. Then detectRipplesInWindows (Karlsson) against the channels' traces assembled
// from the same windows and that rule, the path before it streamed: events across window edges,
// a recording gap, unknown speed, running, an odd number of channels, any trace budget.
import { createRng } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { windowedSession } from './ripple-lfp.js';
import { bandFilter, detectRipplesInWindows, peakFrequency, type DetectedEvent } from '../src/index.js';
import { blockGap, blocksWithin, minimumSampleCount, validBlocks } from '../src/events/blocks.js';
import { defaultTraceBudget } from '../src/events/windowed.js';
import { gaussianSmooth, smoothedEnvelopeWindow } from '../src/events/consensus.js';
import { eventSettings, normalize, traceMoments, type EventThresholds } from '../src/events/detect-events.js';
import { KarlssonStream } from '../src/events/karlsson-stream.js';
import { Moments } from '../src/events/moments.js';
import { karlssonChannels } from '../src/events/ripple-detectors.js';
import { referenceCandidates, referenceKarlsson, referenceMerge, speedRuleCases } from './events-reference.js';

describe('KarlssonStream', () => {
  // channels sharing a slow common component (so their candidates overlap and chain) plus their own
  // noise; missing samples, a time gap at 20 s, speed sometimes unknown and sometimes high
  const rng = createRng(5);
  const n = 40_000,
    fs = 1000,
    cols = 3;
  const common = gaussianSmooth(
    Float64Array.from({ length: n }, () => Math.abs(rng.normal()) ** 3),
    0.02,
    fs,
  );
  const traces = Array.from({ length: cols }, (_, c) => {
    const own = gaussianSmooth(
      Float64Array.from({ length: n }, () => Math.abs(rng.normal()) ** 3),
      0.008,
      fs,
    );
    return own.map((v, i) => (c === 2 && i % 7919 < 40 ? NaN : v + 0.7 * common[i]));
  });
  // a 3.2 s plateau on channel 0: one above-mean run far longer than the samples the stream starts with
  for (let i = 10_400; i < 13_600; i++) traces[0][i] += 2;
  const time = Float64Array.from({ length: n }, (_, i) => i / fs + (i >= 20_000 ? 1 : 0));
  const speed = Float64Array.from({ length: n }, (_, i) => (i % 5000 < 300 ? NaN : 4 * Math.abs(Math.sin(i / 700))));
  const valid = Uint8Array.from({ length: n }, (_, i) =>
    Number.isFinite(speed[i]) && traces.every((t) => Number.isFinite(t[i])) ? 1 : 0,
  );
  const blocks = validBlocks(valid, time);
  for (const t of traces) for (let i = 0; i < n; i++) if (!valid[i]) t[i] = NaN;

  function streamed(o: EventThresholds): DetectedEvent[] {
    const s = eventSettings(o);
    const stats = traces.map((t) => traceMoments(t, valid, 0, o, new Moments()).stats());
    const stream = new KarlssonStream(cols, s, minimumSampleCount(time, s.minimumDuration), Boolean(o.speed));
    const z = new Float64Array(cols);
    for (const [a, b] of blocks) {
      for (let i = a; i < b; i++) {
        for (let c = 0; c < cols; c++) z[c] = (traces[c][i] - stats[c].mean) / stats[c].std;
        stream.sample(i, z, time[i], o.speed ? o.speed[i] : NaN);
      }
      stream.endBlock(b);
    }
    return stream.events();
  }

  const cases = speedRuleCases(speed, time);
  it.each(cases)('gives the whole-array rule’s events bit for bit (%s)', (_, o) => {
    const options = { minimumDuration: 0.01, zscoreThreshold: 1.5, fs, ...o };
    const s = eventSettings(options);
    const reference = referenceKarlsson(traces, time, valid, blocks, s, options);
    expect(reference.length).toBeGreaterThan(20);
    // candidates of different channels merged into one, and one over 3 s
    const nMin = minimumSampleCount(time, s.minimumDuration);
    const found = traces.flatMap((t) => referenceCandidates(normalize(t, valid, options), blocks, nMin, s.threshold));
    const merged = referenceMerge(found);
    expect(found.length - merged.length).toBeGreaterThan(10);
    expect(merged.some(([a, b]) => b - a > 3000)).toBe(true);
    expect(streamed(options)).toEqual(reference);
    // the whole-array detector's channels (thresholdBlocks, mergeRanges, finishEvents) too
    const channels = karlssonChannels(time, valid, blocks, s, options);
    for (const t of traces) channels.add(t);
    expect(channels.events()).toEqual(reference);
  });
});

describe('detectRipplesInWindows (Karlsson) in two passes', () => {
  const { fs, rows, cols, windowRows, lfp, time, speed, band, common, reader, margin } = windowedSession(3, 23);

  /** The path before: each channel's windows assembled into one trace, then the whole-array rule. */
  function assembled(o: EventThresholds & { speed?: Float64Array }): DetectedEvent[] {
    const filtered = bandFilter({ data: lfp, rows, cols }, { fs, ...band, precision: 'float64' });
    const valid = new Uint8Array(rows);
    const traces = Array.from({ length: cols }, () => new Float64Array(rows));
    const maxStep = blockGap(time);
    for (let start = 0; start < rows; start += windowRows) {
      const stop = Math.min(rows, start + windowRows);
      const lo = Math.max(0, start - margin),
        hi = Math.min(rows, stop + margin);
      const span = { data: filtered.data.subarray(lo * cols, hi * cols), rows: hi - lo, cols };
      const ok = Uint8Array.from({ length: hi - lo }, (_, r) => {
        for (let c = 0; c < cols; c++) if (!Number.isFinite(span.data[r * cols + c])) return 0;
        return !o.speed || Number.isFinite(o.speed[lo + r]) ? 1 : 0;
      });
      valid.set(ok.subarray(start - lo, stop - lo), start);
      const blocks = blocksWithin(ok, time, lo, maxStep);
      for (let c0 = 0; c0 < cols; c0 += 2)
        smoothedEnvelopeWindow({ span, lo, start, stop, blocks }, c0, Math.min(2, cols - c0), {
          fs,
          sigma: 0.004,
        }).forEach((t, k) => traces[c0 + k].set(t, start));
    }
    const blocks = validBlocks(valid, time);
    const options = { ...common, ...o, time };
    const events = referenceKarlsson(traces, time, valid, blocks, eventSettings(options), options);
    for (const e of events) e.peakFrequency = peakFrequency(filtered, time, blocks, e.peakIndex);
    return events;
  }

  const windowed = (o: object) =>
    detectRipplesInWindows(reader, { ...common, detector: 'karlsson', band, windowRows, time, ...o });

  it('gives the assembled traces’ events bit for bit, events across window edges', async () => {
    const reference = assembled({ speed });
    expect(reference.length).toBeGreaterThan(100);
    const crossing = reference.filter(
      (e) => Math.floor(e.startIndex / windowRows) !== Math.floor(e.endIndex / windowRows),
    );
    expect(crossing.length).toBeGreaterThan(4);
    expect(await windowed({ speed })).toEqual(reference);
    // every speed rule, and without speed (close events dropped)
    const all = { speed, speedRule: 'all' as const, speedThreshold: 1.5 };
    expect(await windowed(all)).toEqual(assembled(all));
    const mean = { speed, speedRule: 'mean' as const, speedThreshold: 1.2 };
    expect(await windowed(mean)).toEqual(assembled(mean));
    expect(await windowed({ closeEventThreshold: 0.3 })).toEqual(assembled({ closeEventThreshold: 0.3 }));
  }, 120_000);

  it('gives the same events from readers and whatever its trace budget', async () => {
    const reference = await windowed({ speed });
    const readers = {
      time: undefined,
      readTime: (a: number, b: number) => time.slice(a, b),
      readSpeed: (a: number, b: number) => speed.slice(a, b),
    };
    expect(await windowed(readers)).toEqual(reference);
    expect(await windowed({ speed, traceBudget: 0 })).toEqual(reference);
    const windows = Math.ceil(rows / windowRows);
    expect(await windowed({ speed, traceBudget: 8 * cols * windowRows * Math.floor(windows / 2) })).toEqual(reference);
  }, 120_000);

  it('keeps by default as many rows of its traces as Kay of its one, within 256 MiB; reads again only beyond', async () => {
    // 8 M rows (2.2 h at 1 kHz) of every trace: Kay's one, Karlsson's one per channel, bounded in bytes
    expect(defaultTraceBudget(1)).toBe(8 * 2 ** 23);
    expect(defaultTraceBudget(4)).toBe(4 * defaultTraceBudget(1));
    expect(defaultTraceBudget(128)).toBe(256 * 2 ** 20);
    const windows = Math.ceil(rows / windowRows);
    const run = async (traceBudget?: number) => {
      let read = 0;
      const counted = { rows, cols, read: (a: number, b: number) => ((read += b - a), lfp.slice(a * cols, b * cols)) };
      const o = { ...common, detector: 'karlsson' as const, band, windowRows, time, speed, traceBudget };
      return { events: await detectRipplesInWindows(counted, o), read };
    };
    const [byDefault, none, half] = [await run(), await run(0), await run(8 * cols * windowRows * (windows >> 1))];
    expect(none.events).toEqual(byDefault.events);
    expect(half.events).toEqual(byDefault.events);
    // a second pass reads every window again with its margins; half a budget, about half of that
    const perPass = none.read - byDefault.read;
    expect(perPass).toBeGreaterThan(rows);
    expect(Math.abs(half.read - byDefault.read - perPass / 2)).toBeLessThan((2 * perPass) / windows);
  }, 120_000);
});
