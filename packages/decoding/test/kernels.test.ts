import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import {
  buildTransition,
  clusterlessLikelihood,
  decodingError,
  decodingKernels,
  denseTransition,
  filterSmooth,
  fitClusterless,
  fitSortedSpikes,
  makeEnvironment,
  makeTimeBins,
  sortedSpikesLikelihood,
  stateSpacePreset,
  transitionFromDense,
} from '@spyglass-wasm/decoding';

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-300, Math.abs(b[i])));
  return worst;
}

/** A small random session on a 60 cm track for kernel comparisons. */
function smallSession(seed = 3) {
  const rng = createRng(seed);
  const n = 3000,
    times = Float64Array.from({ length: n }, (_, i) => i / 30);
  const x = Float64Array.from({ length: n }, (_, i) => 30 + 29 * Math.sin(i / 60));
  const spikeTimes = Array.from({ length: 6 }, () => {
    const s: number[] = [];
    for (let t = 0; t < 100; t += rng.exponential(8)) s.push(t);
    return Float64Array.from(s);
  });
  return { times, x, spikeTimes, rng };
}

describe('expNeg (the exp in every inner loop)', () => {
  it('matches Math.exp(-x) to 5e-10 relative on [0, 700]', () => {
    const { exports: k, heap } = decodingKernels.get();
    const x = Float64Array.from({ length: 20001 }, (_, i) => i * 0.035);
    const got = heap.scoped(() => {
      const px = heap.put(x),
        po = heap.alloc(x.length * 8);
      k.expNegKernel(px, po, x.length);
      return heap.f64(po, x.length).slice();
    });
    expect(
      maxRelDiff(
        got,
        x.map((v) => Math.exp(-v)),
      ),
    ).toBeLessThan(5e-10);
  });

  it('the two-lane SIMD version agrees, and gives 0 beyond 708', () => {
    const { exports: k, heap } = decodingKernels.get();
    const x = Float64Array.from({ length: 20002 }, (_, i) => (i < 20000 ? i * 0.035 : 709 + i));
    const got = heap.scoped(() => {
      const px = heap.put(x),
        po = heap.alloc(x.length * 8);
      k.expNeg2Kernel(px, po, x.length);
      return heap.f64(po, x.length).slice();
    });
    expect(
      maxRelDiff(
        got.subarray(0, 20000),
        x.subarray(0, 20000).map((v) => Math.exp(-v)),
      ),
    ).toBeLessThan(5e-10);
    expect(Array.from(got.subarray(20000))).toEqual([0, 0]);
  });
});

describe('likelihood kernels against their TypeScript references', () => {
  it('sorted-spike Poisson likelihood', () => {
    const s = smallSession();
    const model = fitSortedSpikes({ position: s.x, positionTimes: s.times }, s.spikeTimes);
    const bins = makeTimeBins(10, 40, { binSize: 0.01 });
    const a = sortedSpikesLikelihood(model, s.spikeTimes, bins);
    const b = sortedSpikesLikelihood(model, s.spikeTimes, bins, { backend: 'reference' });
    expect(a.rows).toBe(3000);
    expect(maxRelDiff(a.data, b.data)).toBeLessThan(1e-12);
    // A bin with no spikes is -Σ λΔt.
    const empty = [...Array(bins.nTime).keys()].find((t) =>
      s.spikeTimes.every((st) => !st.some((v) => Math.floor((v - 10) / 0.01) === t)),
    )!;
    for (let bin = 0; bin < model.env.nBins; bin++) {
      let want = 0;
      for (let u = 0; u < 6; u++) want -= model.rates[u * model.env.nBins + bin] * 0.01;
      expect(a.data[empty * model.env.nBins + bin]).toBeCloseTo(want, 12);
    }
  });

  it('clusterless mark-kernel likelihood (blocked, SIMD; truncated to 1e-8, untruncated to 1e-12)', () => {
    const s = smallSession(4);
    const groups = [0, 1].map((g) => {
      const times = Float64Array.from([...s.spikeTimes[2 * g], ...s.spikeTimes[2 * g + 1]].sort((p, q) => p - q));
      const marks = new Float64Array(times.length * 4);
      for (let i = 0; i < marks.length; i++) marks[i] = 100 + 40 * s.rng.normal();
      return { times, marks: { data: marks, rows: times.length, cols: 4 } };
    });
    const model = fitClusterless({ position: s.x, positionTimes: s.times, interval: [0, 60] }, groups);
    const bins = makeTimeBins(60, 100, { binSize: 0.02 });
    // Small blocks so several decoding and encoding blocks are crossed.
    const a = clusterlessLikelihood(model, groups, bins, { decodeBlock: 37, encodeBlock: 101 });
    const b = clusterlessLikelihood(model, groups, bins, { backend: 'reference' });
    let worst = 0;
    for (let i = 0; i < a.data.length; i++)
      if (Number.isFinite(b.data[i])) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
    expect(worst).toBeLessThan(1e-8); // absolute in log space = relative in the likelihood

    // With no cutoff the SIMD kernel sums the same terms in the same order as the reference:
    // equal to ~1e-12 relative (distances bit for bit, exp to a few ulp).
    const exact = clusterlessLikelihood(model, groups, bins, { decodeBlock: 37, encodeBlock: 101, cutoff: Infinity });
    let worstRel = 0;
    for (let i = 0; i < exact.data.length; i++)
      if (Number.isFinite(b.data[i]))
        worstRel = Math.max(worstRel, Math.abs(exact.data[i] - b.data[i]) / Math.max(1, Math.abs(b.data[i])));
    expect(worstRel).toBeLessThan(1e-12);

    // A spike with a NaN feature is skipped (not a NaN row); wrong shapes are typed errors.
    const withNan = groups.map((g) => ({ times: g.times, marks: { ...g.marks, data: g.marks.data.slice() } }));
    withNan[0].marks.data[0] = NaN;
    expect(clusterlessLikelihood(model, withNan, bins).data.every((v) => !Number.isNaN(v))).toBe(true);
    expect(() => clusterlessLikelihood(model, groups.slice(0, 1), bins)).toThrow(/groups/);
    expect(() =>
      clusterlessLikelihood(
        model,
        [
          groups[0],
          {
            times: groups[1].times,
            marks: { data: new Float64Array(groups[1].times.length * 3), rows: groups[1].times.length, cols: 3 },
          },
        ],
        bins,
      ),
    ).toThrow(/marks/);
  });
});

describe('clusterless SIMD kernel in 2-D', () => {
  it('equals the reference to 1e-12 with no cutoff (position kernels over two dimensions)', () => {
    const rng = createRng(7);
    const n = 3000;
    const times = Float64Array.from({ length: n }, (_, i) => i / 100);
    const pos = new Float64Array(2 * n);
    for (let i = 0; i < n; i++)
      [pos[2 * i], pos[2 * i + 1]] = [50 + 45 * Math.sin(i / 300), 50 + 45 * Math.cos(i / 470)];
    const groups = [0, 1].map(() => {
      const t = Float64Array.from({ length: 400 }, () => 30 * rng.uniform()).sort();
      const marks = Float64Array.from({ length: 400 * 4 }, () => 100 + 40 * rng.normal());
      return { times: t, marks: { data: marks, rows: 400, cols: 4 } };
    });
    const input = {
      position: { data: pos, rows: n, cols: 2 },
      positionTimes: times,
      interval: [0, 20] as [number, number],
    };
    const model = fitClusterless({ ...input, environment: { binSize: 10 } }, groups);
    expect(model.env.dims).toBe(2);
    const bins = makeTimeBins(20, 30, { binSize: 0.02 });
    const a = clusterlessLikelihood(model, groups, bins, { cutoff: Infinity, encodeBlock: 37 }).data;
    const b = clusterlessLikelihood(model, groups, bins, { backend: 'reference' }).data;
    let worst = 0;
    for (let i = 0; i < b.length; i++)
      if (Number.isFinite(b[i])) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('filter and smoother', () => {
  it('match the hand-computed two-state HMM', () => {
    // T = [[0.9, 0.1], [0.2, 0.8]], start [0.5, 0.5], likelihoods L1 = [0.7, 0.2], L2 = [0.1, 0.6].
    // Filter t1: [0.35, 0.10] / 0.45 = [7/9, 2/9].
    // Predict t2: [7/9·0.9 + 2/9·0.2, 7/9·0.1 + 2/9·0.8] = [6.7/9, 2.3/9];
    //   × L2 = [0.67/9, 1.38/9] / (2.05/9) → [0.67/2.05, 1.38/2.05].
    // Smooth t1: ratio = filtered2 / pred2 = [0.1/0.205, 0.6/0.205] · 9/9 ... written out:
    //   back = T · [ (0.67/2.05)/(6.7/9), (1.38/2.05)/(2.3/9) ], smoothed1 ∝ [7/9, 2/9] ⊙ back.
    const tr = transitionFromDense({ data: Float64Array.of(0.9, 0.1, 0.2, 0.8), rows: 2, cols: 2 }, [0.5, 0.5]);
    expect(denseTransition(tr).data).toEqual(Float64Array.of(0.9, 0.1, 0.2, 0.8));
    expect(() => transitionFromDense({ data: Float64Array.of(1, 0), rows: 2, cols: 1 }, [1, 0])).toThrow(/'T'/);
    const ll = { data: Float64Array.from([0.7, 0.2, 0.1, 0.6].map(Math.log)), rows: 2, cols: 2 };
    // The reference uses Math.exp (12 digits); Wasm its polynomial exp (relative error <= 5e-10).
    for (const [backend, digits] of [
      ['wasm', 8],
      ['reference', 12],
    ] as const) {
      const r = filterSmooth(ll, tr, { backend });
      const f2 = [0.67 / 2.05, 1.38 / 2.05];
      expect(Array.from(r.filtered.data)).toEqual([7 / 9, 2 / 9, ...f2].map((v) => expect.closeTo(v, digits)));
      const ratio = [f2[0] / (6.7 / 9), f2[1] / (2.3 / 9)];
      const back = [0.9 * ratio[0] + 0.1 * ratio[1], 0.2 * ratio[0] + 0.8 * ratio[1]];
      const s1 = [(7 / 9) * back[0], (2 / 9) * back[1]];
      const z = s1[0] + s1[1];
      expect(Array.from(r.smoothed!.data)).toEqual([s1[0] / z, s1[1] / z, ...f2].map((v) => expect.closeTo(v, digits)));
      expect(r.logMarginal).toBeCloseTo(Math.log(0.45 * (2.05 / 9)), digits);
    }
  });

  it('Wasm (banded + rank-one) equals the dense reference on a continuous/fragmented model', () => {
    const env = makeEnvironment(
      Float64Array.from({ length: 61 }, (_, i) => i),
      { binSize: 2 },
    );
    const tr = buildTransition(env, stateSpacePreset('continuous-fragmented', { movementVar: 6 }));
    expect(tr.toIdx.length).toBeLessThan(tr.nBins * 12); // the walk is a narrow band
    const rng = createRng(9),
      nTime = 200;
    const ll = {
      data: Float64Array.from({ length: nTime * env.nBins }, () => 3 * rng.normal()),
      rows: nTime,
      cols: env.nBins,
    };
    const a = filterSmooth(ll, tr),
      b = filterSmooth(ll, tr, { backend: 'reference' });
    let worst = 0;
    for (let i = 0; i < a.smoothed!.data.length; i++) {
      worst = Math.max(
        worst,
        Math.abs(a.filtered.data[i] - b.filtered.data[i]),
        Math.abs(a.smoothed!.data[i] - b.smoothed!.data[i]),
      );
    }
    expect(worst).toBeLessThan(1e-8); // expNeg's 5e-10 relative error, carried through normalisation
    expect(a.logMarginal).toBeCloseTo(b.logMarginal, 6);
    for (let t = 0; t < nTime; t++) {
      let s = 0;
      for (let i = 0; i < tr.n; i++) s += a.smoothed!.data[t * tr.n + i];
      expect(s).toBeCloseTo(1, 12);
    }
  });

  it('a 2-D walk runs as two 1-D passes (GridWalk) and equals the dense reference, holes included', () => {
    // An L-shaped set of visited positions: bins outside it are not interior and must stay at zero.
    const pts: number[] = [];
    for (let i = 0; i <= 40; i++) pts.push(i, 0, 0, i);
    const env = makeEnvironment({ data: Float64Array.from(pts), rows: pts.length / 2, cols: 2 }, { binSize: 2.5 });
    for (const preset of ['continuous', 'continuous-fragmented'] as const) {
      const tr = buildTransition(env, stateSpacePreset(preset, { movementVar: 6 }));
      expect(tr.walk).toBeDefined();
      const rng = createRng(3),
        nTime = 60;
      const ll = {
        data: Float64Array.from({ length: nTime * env.nBins }, () => 3 * rng.normal()),
        rows: nTime,
        cols: env.nBins,
      };
      const a = filterSmooth(ll, tr),
        b = filterSmooth(ll, tr, { backend: 'reference' });
      let worst = 0;
      for (let i = 0; i < a.smoothed!.data.length; i++) {
        worst = Math.max(
          worst,
          Math.abs(a.filtered.data[i] - b.filtered.data[i]),
          Math.abs(a.smoothed!.data[i] - b.smoothed!.data[i]),
        );
      }
      expect(worst).toBeLessThan(1e-8);
      expect(a.logMarginal).toBeCloseTo(b.logMarginal, 6);
      for (let i = 0; i < tr.n; i++) if (!env.isInterior[i % env.nBins]) expect(a.smoothed!.data[i]).toBe(0);
    }
  });

  it('transition rows are probability distributions', () => {
    const env = makeEnvironment(
      { data: Float64Array.from([0, 0, 40, 30]), rows: 2, cols: 2 },
      { binSize: 2, allInterior: true },
    );
    const tr = buildTransition(env, stateSpacePreset('continuous-fragmented'));
    const rowSum = new Float64Array(tr.n);
    for (let i = 0; i < tr.n; i++) for (let k = tr.fromPtr[i]; k < tr.fromPtr[i + 1]; k++) rowSum[i] += tr.fromW[k];
    for (let l = 0; l < tr.nLow; l++) {
      let u = 0;
      for (let j = 0; j < tr.n; j++) u += tr.lowU[l * tr.n + j];
      for (let i = 0; i < tr.n; i++) rowSum[i] += tr.lowW[l * tr.n + i] * u;
    }
    for (const s of rowSum) expect(s).toBeCloseTo(1, 12);
  });
});

describe('inputs', () => {
  it('decoding intervals must be non-empty', () => {
    expect(() => makeTimeBins(10, 5)).toThrow(/stop/);
    expect(makeTimeBins(0, 1, { binSize: 0.002 }).nTime).toBe(500);
    expect(() => makeTimeBins(0, 1, { bin: 0.002 } as never)).toThrow(/'bin'/);
    expect(() => stateSpacePreset('continuous', { movement: 6 } as never)).toThrow(/'movement'/);
  });
  it('decodingError checks its arguments and names the bad one', () => {
    const times = Float64Array.of(0, 1, 2, 3);
    const truth = { data: Float64Array.of(0, 10, 20, 30), rows: 4, cols: 1 };
    const decoded = { data: Float64Array.of(1, 10, 22, 30), rows: 4, cols: 1 };
    expect(decodingError(times, decoded, times, truth)).toMatchObject({ median: 0.5, mean: 0.75, n: 4, nRunning: 4 });
    const twoCols = { data: new Float64Array(8), rows: 4, cols: 2 };
    for (const [name, call] of [
      ['decoded', () => decodingError(times, [1, 10, 22, 30] as never, times, truth)],
      ['decoded', () => decodingError(times, twoCols, times, truth)],
      ['truth', () => decodingError(times, decoded, times, { data: new Float64Array(2), rows: 4, cols: 1 })],
      ['times', () => decodingError(times.subarray(1), decoded, times, truth)],
      ['truthTimes', () => decodingError(times, decoded, [0, 1, 2, 3] as never, truth)],
      ['minSpeed', () => decodingError(times, decoded, times, truth, { minSpeed: -1 })],
      ['speed', () => decodingError(times, decoded, times, truth, { speed: Float64Array.of(1, 2) })],
      ['speed', () => decodingError(times, decoded, times, truth, { speed: [1, 2, 3, 4] as never })],
      ['minspeed', () => decodingError(times, decoded, times, truth, { minspeed: 4 } as never)],
    ] as const)
      expect(call, name).toThrow(`parameter '${name}'`);
  });
  it("decodingError's running mask follows the speed it is given (the position step's), not the positions", () => {
    // a still animal tracked with 1 cm of jitter at 30 Hz: central differences read ~30 cm/s
    const times = Float64Array.from({ length: 300 }, (_, i) => i / 30);
    const truth = { data: Float64Array.from(times, (_, i) => 99 + (i % 3)), rows: 300, cols: 1 };
    const decoded = { data: new Float64Array(300).fill(100), rows: 300, cols: 1 };
    expect(decodingError(times, decoded, times, truth).nRunning).toBe(300);
    const still = decodingError(times, decoded, times, truth, { speed: new Float64Array(300).fill(1) });
    expect(still).toMatchObject({ nRunning: 0, n: 300, median: 1 });
    // running in the second half only, and unknown (NaN) speed never counts as running
    const speed = Float64Array.from(times, (_, i) => (i < 150 ? 1 : i < 290 ? 20 : NaN));
    expect(decodingError(times, decoded, times, truth, { speed }).nRunning).toBe(140);
  });
  it('the discrete transition is a states × states Matrix; bad ones name the option', () => {
    const env = makeEnvironment(
      Float64Array.from({ length: 50 }, (_, i) => i),
      { binSize: 5 },
    );
    const preset = stateSpacePreset('continuous-fragmented', { diagonal: 0.9 });
    expect(preset.discrete).toEqual({ data: Float64Array.of(0.9, 1 - 0.9, 1 - 0.9, 0.9), rows: 2, cols: 2 });
    const same = buildTransition(env, { ...preset, discrete: { ...preset.discrete!, data: preset.discrete!.data } });
    expect(same).toEqual(buildTransition(env, preset));
    const nested = {
      ...preset,
      discrete: [
        [0.9, 0.1],
        [0.1, 0.9],
      ] as never,
    };
    expect(() => buildTransition(env, nested)).toThrow(/^parameter 'discrete': expected a Float32Array/);
    const three = { ...preset, discrete: { data: new Float64Array(9).fill(1 / 3), rows: 3, cols: 3 } };
    expect(() => buildTransition(env, three)).toThrow('parameter \'discrete\': expected a 2 × 2 matrix, got "3 × 3"');
    expect(() => buildTransition(env, { ...preset, diagonal: 0.9 } as never)).toThrow(/'diagonal'/);
  });
});

describe('estimateMovementVar', () => {
  it('is the variance of the per-bin step of a known walk', async () => {
    const { estimateMovementVar } = await import('@spyglass-wasm/decoding');
    const rng = createRng(8),
      n = 20001;
    const times = Float64Array.from({ length: n }, (_, i) => i * 0.01);
    const x = new Float64Array(n);
    for (let i = 1; i < n; i++) x[i] = x[i - 1] + 0.5 * rng.normal(); // variance 0.25 per 10 ms
    const v = estimateMovementVar(times, { data: x, rows: n, cols: 1 }, 0.01);
    expect(v).toBeGreaterThan(0.24);
    expect(v).toBeLessThan(0.26);
  });
});
