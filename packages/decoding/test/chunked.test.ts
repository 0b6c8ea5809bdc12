// Decoding runs the filter and smoother in chunks of time bins (chunkBins) and reports progress
// between chunks; the result never depends on the chunk size, bit for bit.
import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import {
  buildTransition,
  decodeSortedSpikes,
  filterSmooth,
  clusterlessLikelihood,
  clusterlessLikelihoodRows,
  decodeClusterless,
  decodingError,
  DecodingErrorStats,
  filterSmoothChunks,
  filterSmoothInOrder,
  fitClusterless,
  fitSortedSpikes,
  joinDecodingErrors,
  makeEnvironment,
  makeTimeBins,
  sortedSpikesLikelihood,
  sortedSpikesLikelihoodRows,
  stateSpacePreset,
  type DecodingChunk,
} from '@spyglass-wasm/decoding';
import { simulatePlaceSession } from '@spyglass-wasm/sim';

function randomLoglik(nTime: number, nBins: number, seed: number) {
  const rng = createRng(seed);
  return { data: Float64Array.from({ length: nTime * nBins }, () => 3 * rng.normal()), rows: nTime, cols: nBins };
}

/** Every value of two Float64Arrays has the same bits (NaN included). */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  expect(bytes(a).equals(bytes(b))).toBe(true);
}

describe('filterSmooth in chunks of time bins', () => {
  const track = makeEnvironment(
    Float64Array.from({ length: 61 }, (_, i) => i),
    { binSize: 2 },
  );
  const pts: number[] = [];
  for (let i = 0; i <= 40; i++) pts.push(i, 0, 0, i);
  const arena = makeEnvironment({ data: Float64Array.from(pts), rows: pts.length / 2, cols: 2 }, { binSize: 2.5 });

  for (const [name, env] of [
    ['1-D banded', track],
    ['2-D grid walk', arena],
  ] as const) {
    it(`gives bit-identical filtered, smoothed and log marginal whatever chunkBins (${name})`, () => {
      const tr = buildTransition(env, stateSpacePreset('continuous-fragmented', { movementVar: 6 }));
      const ll = randomLoglik(257, env.nBins, 5);
      const whole = filterSmooth(ll, tr, { chunkBins: 1_000_000 });
      for (const chunkBins of [1, 7, 64, 256, 257, 2000]) {
        const r = filterSmooth(ll, tr, { chunkBins });
        expectSameBits(r.filtered.data, whole.filtered.data);
        expectSameBits(r.smoothed!.data, whole.smoothed!.data);
        expect(Object.is(r.logMarginal, whole.logMarginal)).toBe(true);
      }
      const causal = filterSmooth(ll, tr, { chunkBins: 10, smoother: false });
      expectSameBits(causal.filtered.data, whole.filtered.data);
    });
  }

  it('hands out the same smoothed rows chunk by chunk in bounded memory, last first', () => {
    for (const [env, preset] of [
      [track, 'continuous-fragmented'],
      [arena, 'continuous'],
    ] as const) {
      const tr = buildTransition(env, stateSpacePreset(preset, { movementVar: 6 }));
      const ll = randomLoglik(257, env.nBins, 7);
      const whole = filterSmooth(ll, tr, { chunkBins: 1_000_000 });
      for (const backend of ['wasm', 'reference'] as const)
        for (const chunkBins of [1, 7, 64, 256, 257, 2000]) {
          const got = new Float64Array(whole.smoothed!.data.length);
          const starts: number[] = [];
          const r = filterSmoothChunks(ll, tr, {
            chunkBins,
            backend,
            onChunk: (start, rows) => (starts.push(start), got.set(rows, start * tr.n)),
          });
          expect(starts).toEqual([...starts].sort((a, b) => b - a));
          expect(starts.at(-1)).toBe(0);
          if (backend === 'wasm') {
            expectSameBits(got, whole.smoothed!.data);
            expect(Object.is(r.logMarginal, whole.logMarginal)).toBe(true);
          } else {
            const ref = filterSmooth(ll, tr, { backend });
            expectSameBits(got, ref.smoothed!.data);
          }
        }
    }
  });

  it('hands out the same smoothed rows in time order, first chunk first', () => {
    for (const [env, preset] of [
      [track, 'continuous-fragmented'],
      [arena, 'continuous'],
    ] as const) {
      const tr = buildTransition(env, stateSpacePreset(preset, { movementVar: 6 }));
      const ll = randomLoglik(257, env.nBins, 7);
      const whole = filterSmooth(ll, tr, { chunkBins: 1_000_000 });
      for (const backend of ['wasm', 'reference'] as const)
        for (const chunkBins of [1, 7, 64, 256, 257, 2000]) {
          const seen: number[] = [];
          const s = filterSmoothInOrder(ll, tr, { chunkBins, backend, onProgress: (f) => seen.push(f) });
          const starts: number[] = [];
          const got = new Float64Array(whole.smoothed!.data.length);
          for (const { start, rows } of s.chunks) {
            expect(start).toBe(starts.length ? starts.at(-1)! + chunkBins : 0);
            starts.push(start);
            got.set(rows, start * tr.n);
          }
          expect(starts.length).toBe(Math.ceil(257 / chunkBins));
          const ref = backend === 'wasm' ? whole : filterSmooth(ll, tr, { backend });
          expectSameBits(got, ref.smoothed!.data);
          expect(Object.is(s.logMarginal, ref.logMarginal)).toBe(true);
          for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
          expect(seen.at(-1)).toBe(1);
        }
    }
  });

  it('reports increasing progress between chunks, ending at exactly 1', () => {
    const tr = buildTransition(track, stateSpacePreset('continuous', { movementVar: 6 }));
    const seen: number[] = [];
    filterSmooth(randomLoglik(100, track.nBins, 1), tr, { chunkBins: 10, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThanOrEqual(20); // 10 filter chunks and 10 smoother chunks
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toContain(0.5); // the filter is done half way
  });

  it('refuses a chunkBins that is not a positive integer, naming it', () => {
    const tr = buildTransition(track, stateSpacePreset('continuous', { movementVar: 6 }));
    for (const chunkBins of [0, -5, 2.5, NaN])
      expect(() => filterSmooth(randomLoglik(3, track.nBins, 1), tr, { chunkBins })).toThrow(/chunkBins/);
  });
});

describe('decodeSortedSpikes in chunks', () => {
  it('is bit-identical to an unchunked decode and reports progress from inside the loop', () => {
    const s = simulatePlaceSession({ seed: 4, seconds: 120, nUnits: 20 });
    const spikes = s.units.map((u) => u.spikeTimes);
    const model = fitSortedSpikes({ position: s.position, positionTimes: s.times, interval: [0, 100] }, spikes);
    const opts = { start: 100, stop: 110, stateSpace: 'continuous-fragmented' } as const; // 5000 bins
    const whole = decodeSortedSpikes(model, spikes, { ...opts, chunkBins: 1e9 });
    const seen: number[] = [];
    const chunked = decodeSortedSpikes(model, spikes, { ...opts, chunkBins: 500, onProgress: (f) => seen.push(f) });
    expectSameBits(chunked.posterior.data, whole.posterior.data);
    expectSameBits(chunked.filtered.data, whole.filtered.data);
    expectSameBits(chunked.map.data, whole.map.data);
    expect(Object.is(chunked.logMarginal, whole.logMarginal)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(20); // 10 filter chunks, 10 smoother chunks
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(seen.at(-1)).toBe(1);
    expect(() => decodeSortedSpikes(model, spikes, { ...opts, chunkBins: 0 })).toThrow(/chunkBins/);
  });

  it('sortedSpikesLikelihoodRows reads the whole likelihood bit for bit, a chunk of rows at a time', () => {
    const s = simulatePlaceSession({ seed: 4, seconds: 120, nUnits: 20 });
    const spikes = s.units.map((u) => u.spikeTimes);
    const model = fitSortedSpikes({ position: s.position, positionTimes: s.times, interval: [0, 100] }, spikes);
    const bins = makeTimeBins(100, 104);
    for (const backend of ['wasm', 'reference'] as const) {
      const whole = sortedSpikesLikelihood(model, spikes, bins, { backend });
      const rows = sortedSpikesLikelihoodRows(model, spikes, bins, { backend });
      expect([rows.rows, rows.cols]).toEqual([whole.rows, whole.cols]);
      const got = new Float64Array(whole.data.length);
      for (let a = 0; a < rows.rows; a += 333) got.set(rows.read(a, Math.min(rows.rows, a + 333)), a * rows.cols);
      expectSameBits(got, whole.data);
    }
  });

  it('summaryOnly gives the summaries of the whole decode bit for bit (position posterior in float32)', () => {
    const s = simulatePlaceSession({ seed: 4, seconds: 120, nUnits: 20 });
    const spikes = s.units.map((u) => u.spikeTimes);
    const model = fitSortedSpikes({ position: s.position, positionTimes: s.times, interval: [0, 100] }, spikes);
    for (const stateSpace of ['continuous', 'continuous-fragmented'] as const) {
      const opts = { start: 100, stop: 106, stateSpace };
      const whole = decodeSortedSpikes(model, spikes, opts);
      const seen: number[] = [];
      const summary = decodeSortedSpikes(model, spikes, {
        ...opts,
        chunkBins: 700,
        summaryOnly: true,
        onProgress: (f) => seen.push(f),
      });
      expect('posterior' in summary).toBe(false);
      const f32 = summary.positionPosterior.data;
      expect(f32).toBeInstanceOf(Float32Array);
      expect(Buffer.from(f32.buffer).equals(Buffer.from(Float32Array.from(whole.positionPosterior.data).buffer))).toBe(
        true,
      );
      for (const k of ['map', 'mean', 'statePosterior'] as const) expectSameBits(summary[k].data, whole[k].data);
      expectSameBits(summary.time, whole.time);
      expect(Object.is(summary.logMarginal, whole.logMarginal)).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
      expect(seen.at(-1)).toBe(1);
    }
    expect(() =>
      decodeSortedSpikes(model, spikes, { start: 100, stop: 101, summaryOnly: true, smoother: false }),
    ).toThrow(/smoother/);
  });
});

describe('decoding in chunks of time bins, first first (inChunks)', () => {
  /** The chunks of a chunked decode, joined in order (checking they come in order). */
  function joined(chunks: Iterable<DecodingChunk>) {
    const parts = [...chunks];
    parts.forEach((c, i) => expect(c.start).toBe(i === 0 ? 0 : parts[i - 1].start + parts[i - 1].time.length));
    const cat = <T extends Float32Array | Float64Array>(pick: (c: DecodingChunk) => T): T => {
      const all = parts.map(pick);
      const out = new (all[0].constructor as new (n: number) => T)(all.reduce((n, a) => n + a.length, 0));
      let o = 0;
      for (const a of all) (out.set(a, o), (o += a.length));
      return out;
    };
    return {
      parts,
      positionPosterior: cat((c) => c.positionPosterior.data),
      statePosterior: cat((c) => c.statePosterior.data),
      map: cat((c) => c.map.data),
      mean: cat((c) => c.mean.data),
      time: cat((c) => c.time),
    };
  }

  it('gives summaryOnly and the whole decode bit for bit, many chunks, both state spaces', () => {
    const s = simulatePlaceSession({ seed: 4, seconds: 120, nUnits: 20 });
    const spikes = s.units.map((u) => u.spikeTimes);
    const model = fitSortedSpikes({ position: s.position, positionTimes: s.times, interval: [0, 100] }, spikes);
    for (const stateSpace of ['continuous', 'continuous-fragmented'] as const) {
      const opts = { start: 100, stop: 106, stateSpace }; // 3000 bins
      const whole = decodeSortedSpikes(model, spikes, opts);
      const summary = decodeSortedSpikes(model, spikes, { ...opts, summaryOnly: true });
      for (const chunkBins of [1, 299, 700, 3000, 5000]) {
        if (chunkBins === 1 && stateSpace === 'continuous-fragmented') continue; // 3000 chunks: slow, covered once
        const seen: number[] = [];
        const r = decodeSortedSpikes(model, spikes, {
          ...opts,
          chunkBins,
          inChunks: true,
          onProgress: (f) => seen.push(f),
        });
        expect(seen.length).toBeGreaterThan(0);
        const got = joined(r.chunks);
        expect(got.parts.length).toBe(Math.ceil(3000 / chunkBins));
        const f32 = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
        expect(f32(got.positionPosterior).equals(f32(summary.positionPosterior.data))).toBe(true);
        expect(f32(got.positionPosterior).equals(f32(Float32Array.from(whole.positionPosterior.data)))).toBe(true);
        for (const k of ['map', 'mean', 'statePosterior'] as const) expectSameBits(got[k], whole[k].data);
        expectSameBits(got.time, whole.time);
        expect(Object.is(r.logMarginal, whole.logMarginal)).toBe(true);
        expect(r.stateNames).toEqual(whole.stateNames);
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
        expect(seen.at(-1)).toBe(1);
      }
    }
    expect(() => decodeSortedSpikes(model, spikes, { start: 100, stop: 101, inChunks: true, smoother: false })).toThrow(
      /smoother.*inChunks/,
    );
  });

  it('decodes clusterless marks in chunks bit for bit', () => {
    const s = simulatePlaceSession({ seed: 9, seconds: 60, nUnits: 8 });
    const rng = createRng(3);
    // one group of 2-feature marks: each unit's amplitude plus noise
    const times: number[] = [],
      marks: number[] = [];
    s.units.forEach((u, i) =>
      u.spikeTimes.forEach((t) => (times.push(t), marks.push(40 + 10 * i + rng.normal(), 90 - 5 * i + rng.normal()))),
    );
    const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
    const group = {
      times: Float64Array.from(order, (i) => times[i]),
      marks: {
        data: Float64Array.from(order.flatMap((i) => [marks[2 * i], marks[2 * i + 1]])),
        rows: order.length,
        cols: 2,
      },
    };
    const model = fitClusterless({ position: s.position, positionTimes: s.times, interval: [0, 50] }, [group]);
    const opts = { start: 50, stop: 52 };
    const whole = decodeClusterless(model, [group], opts);
    const got = joined(decodeClusterless(model, [group], { ...opts, chunkBins: 97, inChunks: true }).chunks);
    expect(got.parts.length).toBe(Math.ceil(1000 / 97));
    for (const k of ['map', 'mean', 'statePosterior'] as const) expectSameBits(got[k], whole[k].data);
  });

  it('computes the clusterless likelihood a chunk of rows at a time, bit for bit', () => {
    const s = simulatePlaceSession({ seed: 5, seconds: 40, nUnits: 10 });
    const rng = createRng(8);
    // two groups of 3-feature marks, times not in order, a spike with a NaN feature and spikes outside the bins
    const groups = [0, 1].map((g) => {
      const times: number[] = [],
        marks: number[] = [];
      s.units.forEach((u, i) => {
        if (i % 2 !== g) return;
        u.spikeTimes.forEach((t) => {
          times.push(t);
          marks.push(30 + 8 * i + rng.normal(), 70 - 4 * i + rng.normal(), 50 + 2 * i * rng.normal());
        });
      });
      const order = times.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const data = Float64Array.from(order.flatMap((i) => marks.slice(3 * i, 3 * i + 3)));
      data[3 * order.findIndex((i) => times[i] > 35)] = NaN;
      return { times: Float64Array.from(order, (i) => times[i]), marks: { data, rows: order.length, cols: 3 } };
    });
    const model = fitClusterless({ position: s.position, positionTimes: s.times, interval: [0, 30] }, groups);
    const bins = makeTimeBins(30, 39.5);
    for (const backend of ['wasm', 'reference'] as const) {
      const whole = clusterlessLikelihood(model, groups, bins, { backend });
      const rows = clusterlessLikelihoodRows(model, groups, bins, { backend });
      expect([rows.rows, rows.cols]).toEqual([whole.rows, whole.cols]);
      for (const chunk of [backend === 'wasm' ? 1 : 97, 333, bins.nTime]) {
        const got = new Float64Array(whole.data.length);
        for (let a = 0; a < bins.nTime; a += chunk)
          got.set(rows.read(a, Math.min(bins.nTime, a + chunk)), a * rows.cols);
        expectSameBits(got, whole.data);
      }
    }
    // summaryOnly reads the rows too: the same summaries as the whole decode
    const opts = { start: 30, stop: 39.5 };
    const whole = decodeClusterless(model, groups, opts);
    const summary = decodeClusterless(model, groups, { ...opts, chunkBins: 500, summaryOnly: true });
    for (const k of ['map', 'mean', 'statePosterior'] as const) expectSameBits(summary[k].data, whole[k].data);
    expect(summary.logMarginal).toBe(whole.logMarginal);
  });

  it('joinDecodingErrors of the chunks gives decodingError of the whole, bit for bit', () => {
    const s = simulatePlaceSession({ seed: 4, seconds: 120, nUnits: 20 });
    const spikes = s.units.map((u) => u.spikeTimes);
    const model = fitSortedSpikes({ position: s.position, positionTimes: s.times, interval: [0, 100] }, spikes);
    const opts = { start: 100, stop: 120 };
    const whole = decodeSortedSpikes(model, spikes, opts);
    const err = decodingError(whole.time, whole.mean, s.times, s.position);
    const parts = [...decodeSortedSpikes(model, spikes, { ...opts, chunkBins: 777, inChunks: true }).chunks].map((c) =>
      decodingError(c.time, c.mean, s.times, s.position),
    );
    const got = joinDecodingErrors(parts);
    expect(got.nRunning).toBeGreaterThan(1000);
    for (const k of ['median', 'mean', 'medianRunning', 'meanRunning', 'n', 'nRunning'] as const)
      expect(Object.is(got[k], err[k])).toBe(true);
    expectSameBits(got.errors, err.errors);
    expect(Array.from(got.running)).toEqual(Array.from(err.running));
    // the same numbers added part by part, the parts' arrays not kept (buffers grown from 1 and from the exact size)
    for (const capacity of [1, whole.time.length]) {
      const stats = new DecodingErrorStats(capacity);
      parts.forEach((p) => stats.add(p));
      const sum = stats.summary();
      for (const k of ['median', 'mean', 'medianRunning', 'meanRunning', 'n', 'nRunning'] as const)
        expect(Object.is(sum[k], err[k])).toBe(true);
    }
    expect(new DecodingErrorStats().summary().median).toBeNaN();
  });
});
